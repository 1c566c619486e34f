"""The summary figures: filled-in cells per counted column per area.

One function that both the writer (cached values of the formulas) and the checks (is the
workbook's own summary stale?) use, so they can never disagree.
"""

from __future__ import annotations

from .plan import AREA, Plan

Counts = dict[str, dict[str, int]]  # area key -> count key -> number


def area_counts(plan: Plan) -> Counts:
    """For every area in spec order, the number of filled-in cells of each counted column.

    This is what the template's COUNTA formulas compute: the seed's "Barn" named twice
    in one sheet counts twice.
    """
    spec = plan.spec
    keys = [c.key for c in spec.summary.counts]
    out: Counts = {a.key: dict.fromkeys(keys, 0) for a in spec.areas}
    frame = plan.actions
    if len(frame):
        filled = frame[keys].ne("").groupby(frame[AREA], sort=False).sum()
        for key, title in plan.areas:
            if title in filled.index:
                out[key] = {k: int(filled.at[title, k]) for k in keys}
    return out


def totals(counts: Counts) -> dict[str, int]:
    result: dict[str, int] = {}
    for per_area in counts.values():
        for k, n in per_area.items():
            result[k] = result.get(k, 0) + n
    return result
