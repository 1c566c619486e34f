"""Evidence for the "verified-equivalent" entries of explained.toml.

mutmut's surviving variants of ``converter.rules.diff.hungarian`` (another start for the
potentials, another tie rule, a phantom first pass, arrays longer than used) are each
applied to the function's source and run on 20,000 random cost matrices with many ties
against scipy's ``linear_sum_assignment``. Every variant must give a valid assignment
of the optimal cost every time::

    python tests/mutation/hungarian_variants.py
"""

from __future__ import annotations

import inspect
import random
import sys
from collections.abc import Callable

from scipy.optimize import linear_sum_assignment

from converter.rules import diff

#: mutmut's number -> (original text, variant text)
VARIANTS = {
    5: ('inf = float("inf")', 'inf = float("INF")'),
    8: ("u, v = [0.0] * (n + 1), [0.0] * (m + 1)", "u, v = [1.0] * (n + 1), [0.0] * (m + 1)"),
    10: ("u, v = [0.0] * (n + 1), [0.0] * (m + 1)", "u, v = [0.0] * (n + 2), [0.0] * (m + 1)"),
    12: ("u, v = [0.0] * (n + 1), [0.0] * (m + 1)", "u, v = [0.0] * (n + 1), [1.0] * (m + 1)"),
    14: ("u, v = [0.0] * (n + 1), [0.0] * (m + 1)", "u, v = [0.0] * (n + 1), [0.0] * (m + 2)"),
    19: ("match, way = [0] * (m + 1), [0] * (m + 1)", "match, way = [0] * (m + 2), [0] * (m + 1)"),
    21: ("match, way = [0] * (m + 1), [0] * (m + 1)", "match, way = [0] * (m + 1), [1] * (m + 1)"),
    23: ("match, way = [0] * (m + 1), [0] * (m + 1)", "match, way = [0] * (m + 1), [0] * (m + 2)"),
    26: ("for i in range(1, n + 1):", "for i in range(n + 1):"),
    37: (
        "least, used = [inf] * (m + 1), [False] * (m + 1)",
        "least, used = [inf] * (m + 2), [False] * (m + 1)",
    ),
    41: (
        "least, used = [inf] * (m + 1), [False] * (m + 1)",
        "least, used = [inf] * (m + 1), [False] * (m + 2)",
    ),
    46: ("i0, delta, j1 = match[j0], inf, 0", "i0, delta, j1 = match[j0], inf, 1"),
    52: ("            for j in range(1, m + 1):", "            for j in range(m + 1):"),
    63: ("if reduced < least[j]:", "if reduced <= least[j]:"),
    65: ("if least[j] < delta:", "if least[j] <= delta:"),
    85: ("column = [0] * n", "column = [1] * n"),
    88: ("    for j in range(1, m + 1):\n        if match[j]:", "    for j in range(m + 1):\n        if match[j]:"),
    90: ("    for j in range(1, m + 1):\n        if match[j]:", "    for j in range(2, m + 1):\n        if match[j]:"),
}  # fmt: skip


def variant(number: int) -> Callable[[list[list[float]]], list[int]]:
    source = inspect.getsource(diff.hungarian)
    original, changed = VARIANTS[number]
    assert source.count(original) == 1, number
    namespace: dict[str, object] = {}
    exec(source.replace(original, changed), namespace)  # noqa: S102 - our own source
    return namespace["hungarian"]  # type: ignore[return-value]


def failures(solve: Callable[[list[list[float]]], list[int]], rng: random.Random) -> int:
    bad = 0
    for _ in range(20_000):
        n, m = sorted((rng.randint(1, 6), rng.randint(1, 6)))
        values = [0.0, 0.0, -60.0, -70.0, -80.0]
        cost = [[rng.choice([*values, -float(rng.randint(60, 100))]) for _ in range(m)]
                for _ in range(n)]  # fmt: skip
        rows, cols = linear_sum_assignment(cost)
        best = sum(cost[r][c] for r, c in zip(rows, cols, strict=True))
        try:
            got = solve(cost)
        except Exception:  # noqa: BLE001 - any failure is a failure
            bad += 1
            continue
        valid = len(set(got)) == n and all(0 <= c < m for c in got)
        bad += not (valid and abs(sum(cost[i][c] for i, c in enumerate(got)) - best) < 1e-9)
    return bad


def main() -> None:
    worst = 0
    for number in VARIANTS:
        bad = failures(variant(number), random.Random(number))
        print(f"converter.rules.diff.x_hungarian__mutmut_{number}: {bad} of 20,000 not optimal")
        worst = max(worst, bad)
    sys.exit(1 if worst else 0)


if __name__ == "__main__":
    main()
