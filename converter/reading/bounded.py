"""Parsing an untrusted workbook where it cannot hurt: a child process with limits.

python-calamine parses in Rust. A damaged file can make it panic (Python sees a
``PanicException``, which derives from ``BaseException`` and so passes every
``except Exception``), abort, or allocate memory without limit: a 1 KB .xls with a loop
in its sector chain grew past 8 GB. The size checks of ``source`` run before the file
is parsed and cannot see such damage.

So the parse runs in a forked child process whose address space is limited to what the
parent already uses plus ``ReadLimits.memory_bytes`` and which is killed after
``ReadLimits.seconds``. The child sends the cells sheet by sheet (pickled) through a
pipe, so that the parent unpickles one sheet while the child parses the next; its
standard error is captured, so that a panic's message never reaches the user's
terminal. Whatever happens to the child, the caller
gets a value or a ``ParseFailure`` saying which limit was met or that the file is
damaged; the caller's process is never at risk. Where there is no ``fork`` (Windows)
the parse runs in process, and a panic is still turned into a ``ParseFailure``.

A batch read on several cores does without a child per file: each worker of its pool
is bounded itself (``enter_worker``). ``tests/benchmarks/bench.py`` prints what the
child costs on an 18,000-action plan (the cells are pickled across: about 0.15 s).
"""

from __future__ import annotations

import contextlib
import faulthandler
import fcntl
import math
import os
import pickle
import select
import signal
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ..errors import is_panic
from ..limits import MAX_READ_BYTES, MAX_READ_SECONDS, MiB

T = TypeVar("T")


@dataclass(frozen=True)
class ReadLimits:
    """The memory and time one workbook may take to parse."""

    memory_bytes: int = MAX_READ_BYTES
    seconds: float = MAX_READ_SECONDS

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> ReadLimits:
        """The limits of ``ATGARDSPLAN_READ_MB`` and ``ATGARDSPLAN_READ_SECONDS``
        (the defaults where they are not set)."""
        env = os.environ if environ is None else environ
        mb = env.get("ATGARDSPLAN_READ_MB")
        seconds = env.get("ATGARDSPLAN_READ_SECONDS")
        return cls(
            memory_bytes=int(float(mb) * MiB) if mb else MAX_READ_BYTES,
            seconds=float(seconds) if seconds else MAX_READ_SECONDS,
        )

    @property
    def memory_mb(self) -> int:
        return round(self.memory_bytes / MiB)


class ParseFailure(Exception):
    """The parse did not give a result: ``kind`` is "memory", "time", "damaged" (a
    panic, an abort, a crash) or "error" (the parser's own error, ``detail`` its text;
    ``name`` its class name)."""

    def __init__(self, kind: str, detail: str = "", name: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail
        self.name = name


#: Set in a worker process of a batch (``enter_worker``): the worker is the boundary.
_worker: ReadLimits | None = None


def enter_worker(limits: ReadLimits) -> None:  # pragma: no cover - runs in pool workers
    """Make this process (a worker of a batch's process pool) the boundary itself, so
    that its files are parsed without a child each: its address space is capped at
    what it maps now plus the budget, a file that takes longer than the time limit
    ends it (SIGALRM), and the parser's messages go nowhere. A worker that ends so
    breaks the pool; ``inputs.map_files`` then reads the files it held again, each in a
    child of the parent, and so learns which file it was and why."""
    global _worker
    _worker = limits
    devnull = os.open(os.devnull, os.O_WRONLY)
    _contain(limits, stderr=devnull)
    os.close(devnull)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)


def call_bounded(func: Callable[[], T], limits: ReadLimits) -> T:
    """``func()`` in a child process under ``limits``; its value, or ParseFailure.

    ``func`` raising an ordinary exception gives ParseFailure("error") with the
    exception's class name and first line (exceptions are not sent across whole: the
    parser's may not survive pickling). In a batch's worker (``enter_worker``) the
    worker itself is bounded and ``func`` runs in it.
    """
    return next(iter(iter_bounded(lambda: [func()], limits)))


def iter_bounded(produce: Callable[[], Iterable[T]], limits: ReadLimits) -> Iterator[T]:
    """The items of ``produce()``, made in a child process under ``limits`` and sent one
    at a time, so that this process unpickles one (a sheet's cells) while the child makes
    the next; ParseFailure as for ``call_bounded``, when the child fails at any point."""
    for _, item in iter_bounded_shares([produce], limits):
        yield item


def iter_bounded_shares(
    producers: Sequence[Callable[[], Iterable[T]]], limits: ReadLimits
) -> Iterator[tuple[int, T]]:
    """(share, item) for the items of every producer, each made in a child of its own
    (all at once: a large workbook's sheets parsed on every core), each child under
    ``limits``, all within one deadline. The first child to fail ends them all with its
    ParseFailure."""
    if _worker is not None or not hasattr(os, "fork"):  # pragma: no cover
        # A pool worker bounds itself (SIGALRM ends it after the time limit); without
        # fork (Windows) the parse runs here, a panic still a ParseFailure.
        if _worker is not None:
            signal.alarm(max(1, math.ceil(_worker.seconds)))
        try:
            for i, produce in enumerate(producers):
                for item in _in_process(lambda p=produce: list(p())):  # type: ignore[misc]
                    yield i, item
        finally:
            if _worker is not None:
                signal.alarm(0)
        return
    deadline = time.monotonic() + limits.seconds
    children = [_Child.start(produce, limits) for produce in producers]
    try:
        while not all(c.ended for c in children):
            for i, child in enumerate(children):
                for item in child.items():
                    yield i, item
            live = [c for c in children if not c.ended]
            if not live:
                break
            failed = next((c for c in live if c.data_r not in c.open), None)
            if failed is not None:  # its data ended without an end frame: it failed
                raise failed.failure(deadline)
            left = deadline - time.monotonic()
            if left <= 0:
                raise ParseFailure("time")
            fds = [fd for c in live for fd in c.open]
            ready, _, _ = select.select(fds, [], [], left)
            for child in live:
                child.read([fd for fd in ready if fd in child.open])
    finally:
        for child in children:
            child.close()


class _Child:
    """One forked child: its data pipe read into frames, its stderr kept aside."""

    def __init__(self, pid: int, data_r: int, err_r: int) -> None:
        self.pid, self.data_r, self.err_r = pid, data_r, err_r
        self.open = [data_r, err_r]
        self.buffer = bytearray()
        self.errors = b""
        self.ended = False
        self.status: int | None = None

    @classmethod
    def start(cls, produce: Callable[[], Iterable[Any]], limits: ReadLimits) -> _Child:
        data_r, data_w = os.pipe()
        err_r, err_w = os.pipe()
        for fd in (data_r, data_w):
            _widen(fd)
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; its outcomes are tested from outside
            _child(produce, limits, data_r, data_w, err_r, err_w)
        os.close(data_w)
        os.close(err_w)
        return cls(pid, data_r, err_r)

    def items(self) -> Iterator[Any]:
        """The items whose frames have come whole; ParseFailure for an error frame."""
        while not self.ended and len(self.buffer) >= _HEAD:
            size = int.from_bytes(self.buffer[:_HEAD], "little")
            if len(self.buffer) < _HEAD + size:
                return
            kind, value = pickle.loads(memoryview(self.buffer)[_HEAD : _HEAD + size])
            del self.buffer[: _HEAD + size]
            if kind == _ITEM:
                yield value
            elif kind == _END:
                self.ended = True
            elif kind == _ERROR:
                raise ParseFailure("error", value[1], value[0])
            else:
                raise ParseFailure("memory")

    def read(self, ready: Sequence[int]) -> None:
        for fd in ready:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                self.open.remove(fd)
            elif fd == self.data_r:
                self.buffer += chunk
            elif len(self.errors) < 64 * 1024:  # a flood of messages: 64 KB say enough
                self.errors += chunk

    def failure(self, deadline: float) -> ParseFailure:
        """Why a child that sent no end frame failed: what it said, how it ended."""
        while self.err_r in self.open and time.monotonic() < deadline:
            ready, _, _ = select.select([self.err_r], [], [], deadline - time.monotonic())
            self.read(ready)
        _, self.status = os.waitpid(self.pid, 0)
        text = self.errors.decode("utf-8", "replace")
        if "memory allocation" in text or "MemoryError" in text:
            return ParseFailure("memory")
        if _killed_by(self.status, signal.SIGKILL):
            return ParseFailure("memory")  # the kernel's answer to a machine out of memory
        return ParseFailure("damaged", _first_line(text) or _describe(self.status))

    def close(self) -> None:
        if self.status is None:
            if not self.ended:
                _kill(self.pid)
            os.waitpid(self.pid, 0)
            self.status = 0
        for fd in (self.data_r, self.err_r):
            with contextlib.suppress(OSError):
                os.close(fd)


def _in_process(func: Callable[[], T]) -> T:
    try:
        return func()
    except MemoryError:
        raise ParseFailure("memory") from None
    except Exception as exc:
        raise ParseFailure("error", _first_line(str(exc)), type(exc).__name__) from None
    except BaseException as exc:
        if is_panic(exc):
            raise ParseFailure("damaged", _first_line(str(exc))) from None
        raise


#: The kinds of frame a child sends: an item, the end, its error, out of memory.
_ITEM, _END, _ERROR, _MEMORY = "item", "end", "error", "memory"
#: A frame: its length (8 bytes, little-endian), then the pickled (kind, value).
_HEAD = 8


def _child(
    produce: Callable[[], Iterable[Any]],
    limits: ReadLimits,
    data_r: int,
    data_w: int,
    err_r: int,
    err_w: int,
) -> None:  # pragma: no cover - runs in the forked child
    """Make the items, send each as a frame, end with an end frame, and leave without
    running any of the parent's exit handlers. A panic or crash sends no end frame and
    says why on stderr."""
    code = 0
    try:
        os.close(data_r)
        os.close(err_r)
        _contain(limits, stderr=err_w)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        try:
            for item in produce():
                _send(data_w, (_ITEM, item))
            _send(data_w, (_END, None))
        except MemoryError:
            _send(data_w, (_MEMORY, None))
        except BaseException as exc:  # a panic too: it is the parent's to name
            if is_panic(exc):
                os.write(2, f"panic: {_first_line(str(exc))}\n".encode())
                os._exit(3)
            _send(data_w, (_ERROR, (type(exc).__name__, _first_line(str(exc)))))
    except BaseException:
        code = 4
    finally:
        os._exit(code)


def _send(fd: int, frame: tuple[str, Any]) -> None:  # pragma: no cover - in the child
    try:
        data = pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps((_MEMORY, None))
    view = memoryview(len(data).to_bytes(_HEAD, "little") + data)
    while view:
        view = view[os.write(fd, view) :]


def _widen(fd: int) -> None:
    """A pipe of 1 MiB rather than 64 KiB: a sheet of cells crosses in a few steps."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or not allowed
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)


def _contain(limits: ReadLimits, *, stderr: int) -> None:  # pragma: no cover - a child
    """Make this process (a parse's child, or a pool's worker) one that a parser may
    exhaust or crash: its address space capped, its messages to ``stderr``, no fault
    dump (ending so is the caller's to report), and SIGTERM ending it at once (a pool
    ends its other workers so when one ends: no inherited handler may block it)."""
    os.dup2(stderr, 2)
    faulthandler.disable()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _limit_memory(limits.memory_bytes)


def _limit_memory(budget: int) -> None:  # pragma: no cover - runs in the forked child
    """Cap the address space at what this process maps now plus ``budget``."""
    import resource

    try:
        with open("/proc/self/statm") as fh:
            mapped = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        mapped = 0
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = mapped + budget
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or limit < soft:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended on its own meanwhile
        os.kill(pid, signal.SIGKILL)


def _killed_by(status: int, sig: int) -> bool:
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == sig


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"the reader stopped ({signal.Signals(os.WTERMSIG(status)).name})"
    return f"the reader stopped (exit {os.WEXITSTATUS(status)})"


def _first_line(text: str) -> str:
    """The first line that says something: a panic's message, not its location."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    for i, line in enumerate(lines):
        if line.startswith("thread ") and "panicked at" in line and i + 1 < len(lines):
            return lines[i + 1]
        if line.startswith("panic: "):
            return line.removeprefix("panic: ")
    return lines[0] if lines else ""
