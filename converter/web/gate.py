"""How much work the server takes on at once, by what it will cost (``WorkGate``).

Reading a workbook takes about three times its unpacked size in memory. One upload of
eight 18,000-action plans unpacks to 128 MiB; four such uploads at once would take
gigabytes. The gate lets uploads in while the unpacked size of those at work stays
within its capacity; the others wait their turn (an upload larger than the whole
capacity runs alone), and one that waits too long is answered "busy". Small uploads,
the usual case, pass beside a large one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class WorkGate:
    """A budget of bytes shared by the requests at work."""

    def __init__(self, capacity: int, wait_seconds: float) -> None:
        self.capacity = capacity
        self.wait_seconds = wait_seconds
        self.in_use = 0
        self._changed = threading.Condition()

    @contextmanager
    def admit(self, cost: int) -> Iterator[bool]:
        """Wait until ``cost`` fits (or nothing else is at work); yield whether it was
        let in before ``wait_seconds`` passed."""
        cost = max(0, cost)
        deadline = time.monotonic() + self.wait_seconds
        with self._changed:
            while self.in_use and self.in_use + cost > self.capacity:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)
            admitted = not self.in_use or self.in_use + cost <= self.capacity
            if admitted:
                self.in_use += cost
        try:
            yield admitted
        finally:
            if admitted:
                with self._changed:
                    self.in_use -= cost
                    self._changed.notify_all()
