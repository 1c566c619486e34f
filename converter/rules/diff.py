"""What changed between two plans, action by action, without a key column.

``diff_plans(old, new)`` pairs the actions of two plans and gives one row per action of
either plan with its status:

- ``unchanged``: same area, same texts; ``changed``: same area, reworded (``changed``
  lists the columns); ``moved``: another area (texts may have changed too);
- ``added``: only in NEW; ``removed``: only in OLD.

Pairing, in this order, each step only over what is still unpaired:

1. identical actions in the same area (identical duplicates paired in order);
2. identical actions in another area (moved);
3. within each area, then across areas, by similarity of the whole action: each
   compared column's text similarity (rapidfuzz's normalised Indel ratio, 0–100),
   weighted (the action text counts most, see ``WEIGHTS``), as an optimal one-to-one
   assignment per group of actions that could match each other (the Hungarian method;
   scipy's ``linear_sum_assignment`` for groups over ``SMALL_GROUP``). Pairs scoring
   under ``threshold`` (default 60), or whose action texts alone are less than
   ``ACTION_FLOOR`` (70) alike, are "removed" plus "added".

Candidates are bounded: an action is only scored against the new actions that share
the most distinctive words of its action and cause with it (at most ``CANDIDATES``;
a word counts when at most ``MAX_POSTING`` actions hold it), found through an index of
words, so neither memory nor time ever grows as all-against-all. Two plans with
nothing in common end quickly, all "removed" and "added".
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter

import numpy as np
import pandas as pd

from ..plan import AREA, ROW, SHEET, Plan
from ..spec import STATUS, Spec

UNCHANGED, CHANGED, MOVED, ADDED, REMOVED = "unchanged", "changed", "moved", "added", "removed"
STATUSES = (UNCHANGED, CHANGED, MOVED, ADDED, REMOVED)
#: The columns compared, with their weight in an action's similarity.
WEIGHTS = {
    "action": 4.0,
    "cause": 1.5,
    "problem": 1.0,
    "goal": 1.0,
    "timeframe": 0.5,
    "responsible": 0.5,
}
EXTRA_WEIGHT = 0.5
FOLLOW_UP_WEIGHT = 0.5
#: Under this similarity (0–100) two actions are "removed" plus "added".
DEFAULT_THRESHOLD = 60.0
#: And the action texts themselves must be at least this similar: two different
#: actions under one long problem and cause are not one action reworded.
ACTION_FLOOR = 70.0
#: An action is scored against at most this many candidates.
CANDIDATES = 12
#: Words shorter than this (numbers apart) are too common to find candidates by.
MIN_WORD = 4
#: A word in more new actions than this is not distinctive enough to find candidates.
MAX_POSTING = 64
#: Groups up to this size per side are paired by the Hungarian method in Python;
#: larger ones by scipy's linear_sum_assignment (whose import costs 0.3 s).
SMALL_GROUP = 60
#: A group of mutually matchable actions larger than this is paired greedily (best
#: score first) instead of optimally, to bound time; never met in real plans.
MAX_GROUP = 2500

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Side:
    """One plan's actions as the diff sees them."""

    area: list[str]  # area key
    title: list[str]  # area title
    texts: dict[str, list[str]]  # compared column -> texts
    sheet: list[str]
    row: list[int]

    _words: dict[int, set[str]] = field(default_factory=dict, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.area)

    @cached_property
    def keys(self) -> list[tuple[str, ...]]:
        """Each action's compared texts, as one hashable key."""
        return list(zip(*self.texts.values(), strict=True))

    def words(self, i: int) -> set[str]:
        """The words of action ``i``'s action and cause that can find candidates."""
        found = self._words.get(i)
        if found is None:
            text = self.texts["action"][i] + " " + self.texts["cause"][i]
            found = self._words[i] = _words(text)
        return found


def compared_columns(old: Plan, new: Plan, follow_up: bool = False) -> list[str]:
    """The spec's compared columns, the extra columns both plans have (never a
    rolled-over "Uppföljning YEAR" or "Status YEAR"), and the follow-up and the status
    when asked for."""
    previous = previous_follow_up_pattern(old.spec)
    extras = [c for c in old.extra_columns if c in new.extra_columns and not previous.fullmatch(c)]
    asked = ["follow_up", *([STATUS] if STATUS in old.spec.keys else [])] if follow_up else []
    return [*WEIGHTS, *extras, *asked]


def previous_follow_up_pattern(spec: Spec) -> re.Pattern[str]:
    """Last year's follow-up or status column as rolled over: "Uppföljning 2025",
    "Status 2025" for any year."""
    headers = (spec.previous_follow_up_header, spec.previous_status_header)
    samples = [re.escape(spec.render(h, previous_year=1111)) for h in headers]
    return re.compile("|".join(s.replace("1111", r"\d{4}") for s in samples))


def diff_plans(
    old: Plan,
    new: Plan,
    *,
    follow_up: bool = False,
    threshold: float = DEFAULT_THRESHOLD,
) -> pd.DataFrame:
    """One row per action of either plan: status, areas, score, changed columns, and the
    old and new texts (``old_<column>``, ``new_<column>``) with sheet and row."""
    with _collector_paused():
        return _diff(old, new, follow_up, threshold)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pairing makes many small lists and tuples and no reference cycles: the cyclic
    garbage collector's passes over them cost 15 % of the time for nothing."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _diff(old: Plan, new: Plan, follow_up: bool, threshold: float) -> pd.DataFrame:
    columns = compared_columns(old, new, follow_up)
    a, b = _side(old, columns), _side(new, columns)
    pairs: list[tuple[int, int, float]] = []
    left = set(range(len(a)))
    right = set(range(len(b)))
    # 1 and 2: identical texts, first in the same area, then anywhere.
    for same_area in (True, False):
        found = _exact(a, b, left, right, same_area)
        pairs += [(i, j, 100.0) for i, j in found]
        left -= {i for i, _ in found}
        right -= {j for _, j in found}
    # 3: similar texts, first within each area, then across areas.
    weights = [
        WEIGHTS.get(c, FOLLOW_UP_WEIGHT if c in ("follow_up", STATUS) else EXTRA_WEIGHT)
        for c in columns
    ]
    for same_area in (True, False):
        found3 = _similar(a, b, left, right, columns, weights, threshold, same_area)
        pairs += found3
        left -= {i for i, _, _ in found3}
        right -= {j for _, j, _ in found3}
    return _frame(a, b, pairs, sorted(left), sorted(right), columns)


def _side(plan: Plan, columns: Sequence[str]) -> Side:
    frame = plan.actions
    key_of = {plan.meta.title_of(area.key): area.key for area in plan.spec.areas}
    titles = frame[AREA].tolist()
    return Side(
        area=[key_of.get(t, t) for t in titles],
        title=titles,
        texts={c: frame[c].tolist() for c in columns},  # compared_columns: both plans have them
        sheet=frame[SHEET].tolist(),
        row=[int(r) for r in frame[ROW].tolist()],
    )


def _exact(
    a: Side, b: Side, left: set[int], right: set[int], same_area: bool
) -> list[tuple[int, int]]:
    keys_a, keys_b = a.keys, b.keys
    waiting: dict[object, deque[int]] = defaultdict(deque)
    for j in sorted(right):
        waiting[(keys_b[j], b.area[j]) if same_area else keys_b[j]].append(j)
    out = []
    for i in sorted(left):
        queue = waiting.get((keys_a[i], a.area[i]) if same_area else keys_a[i])
        if queue:
            out.append((i, queue.popleft()))  # identical duplicates paired in order
    return out


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.casefold()) if len(w) >= MIN_WORD or w.isdigit()}


def _candidates(
    a: Side, b: Side, left: Sequence[int], right: Sequence[int], same_area: bool
) -> dict[int, list[int]]:
    """For each old action, the new ones that share the most distinctive words of its
    action and cause with it: words found in at most MAX_POSTING new actions, the
    rarer the weightier. Common words find no candidates, so the work per action is
    bounded whatever the plans hold."""
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for j in right:
        scope = b.area[j] if same_area else ""
        for w in b.words(j):
            index[(scope, w)].append(j)
    by_area: dict[str, list[int]] = defaultdict(list)
    if same_area:
        for j in right:
            by_area[b.area[j]].append(j)
    out: dict[int, list[int]] = {}
    for i in left:
        scope = a.area[i] if same_area else ""
        scores: dict[int, float] = defaultdict(float)
        for w in a.words(i):
            posting = index.get((scope, w))
            if posting and len(posting) <= MAX_POSTING:
                weight = 1.0 / len(posting)
                for j in posting:
                    scores[j] += weight
        if same_area:
            pool = by_area.get(a.area[i], [])
            if len(pool) <= CANDIDATES:  # in a small area every action is a candidate
                for j in pool:
                    scores[j] += 0.0
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:CANDIDATES]
        out[i] = [j for j, _ in best]
    return out


def similarity(a_texts: Sequence[str], b_texts: Sequence[str], weights: Sequence[float]) -> float:
    """The weighted similarity (0–100) of two actions' compared texts."""
    from rapidfuzz.fuzz import ratio

    total = weight_sum = 0.0
    for x, y, w in zip(a_texts, b_texts, weights, strict=True):
        if not x and not y:
            continue  # two empty cells say nothing either way
        total += w * (100.0 if x == y else ratio(x, y))
        weight_sum += w
    return total / weight_sum if weight_sum else 100.0


def _similar(
    a: Side,
    b: Side,
    left: set[int],
    right: set[int],
    columns: Sequence[str],
    weights: Sequence[float],
    threshold: float,
    same_area: bool,
) -> list[tuple[int, int, float]]:
    if not left or not right:
        return []
    from rapidfuzz.fuzz import ratio

    candidates = _candidates(a, b, sorted(left), sorted(right), same_area)
    edges: dict[tuple[int, int], float] = {}
    for i, js in candidates.items():
        ta = [a.texts[c][i] for c in columns]
        for j in js:
            x, y = a.texts["action"][i], b.texts["action"][j]
            if (x or y) and ratio(x, y) < ACTION_FLOOR:
                continue
            score = similarity(ta, [b.texts[c][j] for c in columns], weights)
            if score >= threshold:
                edges[(i, j)] = score
    return [p for group in _groups(edges) for p in _assign(group, edges)]


def _groups(edges: dict[tuple[int, int], float]) -> Iterable[list[tuple[int, int]]]:
    """The edges split into groups no pairing can cross (connected components)."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in edges:
        ra, rb = find(("a", i)), find(("b", j))
        if ra != rb:
            parent[ra] = rb
    groups: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for i, j in edges:
        groups[find(("a", i))].append((i, j))
    return groups.values()


def _assign(
    group: list[tuple[int, int]], edges: dict[tuple[int, int], float]
) -> list[tuple[int, int, float]]:
    """The pairing of one group with the highest total similarity."""
    rows = sorted({i for i, _ in group})
    cols = sorted({j for _, j in group})
    if len(rows) == 1 or len(cols) == 1:
        i, j = max(group, key=lambda e: edges[e])
        return [(i, j, edges[(i, j)])]
    if max(len(rows), len(cols)) <= SMALL_GROUP:
        return _assign_small(rows, cols, edges)
    if max(len(rows), len(cols)) > MAX_GROUP:
        taken_i: set[int] = set()
        taken_j: set[int] = set()
        out = []
        for i, j in sorted(group, key=lambda e: -edges[e]):
            if i not in taken_i and j not in taken_j:
                out.append((i, j, edges[(i, j)]))
                taken_i.add(i)
                taken_j.add(j)
        return out
    from scipy.optimize import linear_sum_assignment

    r = {i: k for k, i in enumerate(rows)}
    c = {j: k for k, j in enumerate(cols)}
    gain = np.zeros((len(rows), len(cols)))
    for i, j in group:
        gain[r[i], c[j]] = edges[(i, j)]
    picked_rows, picked_cols = linear_sum_assignment(gain, maximize=True)
    return [
        (rows[x], cols[y], float(gain[x, y]))
        for x, y in zip(picked_rows.tolist(), picked_cols.tolist(), strict=True)
        if gain[x, y] > 0
    ]


def _assign_small(
    rows: list[int], cols: list[int], edges: dict[tuple[int, int], float]
) -> list[tuple[int, int, float]]:
    """The optimal pairing of a group of up to SMALL_GROUP a side, by the Hungarian
    method in plain Python: quicker than importing scipy for the groups plans have."""
    flip = len(rows) > len(cols)
    short, long = (cols, rows) if flip else (rows, cols)

    def gain(x: int, y: int) -> float:
        return edges.get((y, x) if flip else (x, y), 0.0)

    cost = [[-gain(x, y) for y in long] for x in short]
    out = []
    for x, k in zip(short, hungarian(cost), strict=True):
        score = gain(x, long[k])
        if score > 0:
            out.append((long[k], x, score) if flip else (x, long[k], score))
    return out


def hungarian(cost: list[list[float]]) -> list[int]:
    """The minimum-cost assignment of an n x m matrix (n <= m): each row's column.

    The Hungarian method with potentials, O(n^2 m).
    """
    n, m = len(cost), len(cost[0])
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    match, way = [0] * (m + 1), [0] * (m + 1)  # match[j]: the row (1-based) in column j
    for i in range(1, n + 1):
        match[0], j0 = i, 0
        least, used = [inf] * (m + 1), [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = match[j0], inf, 0
            row = cost[i0 - 1]
            for j in range(1, m + 1):
                if not used[j]:
                    reduced = row[j - 1] - u[i0] - v[j]
                    if reduced < least[j]:
                        least[j], way[j] = reduced, j0
                    if least[j] < delta:
                        delta, j1 = least[j], j
            for j in range(m + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    column = [0] * n
    for j in range(1, m + 1):
        if match[j]:
            column[match[j] - 1] = j - 1
    return column


def _frame(
    a: Side,
    b: Side,
    pairs: list[tuple[int, int, float]],
    removed: list[int],
    added: list[int],
    columns: Sequence[str],
) -> pd.DataFrame:
    """The rows, built column by column: paired (in NEW's order), added, removed."""
    pairs = sorted(pairs, key=itemgetter(1))  # each new action is paired once
    left = [i for i, _, _ in pairs]
    right = [j for _, j, _ in pairs]
    status: list[object] = []
    changed: list[object] = []
    for i, j, score in pairs:
        if score == 100.0 and a.area[i] == b.area[j]:
            status.append(UNCHANGED)  # paired as identical in the same area
            changed.append([])
            continue
        diffs = [c for c in columns if a.texts[c][i] != b.texts[c][j]]
        status.append(MOVED if a.area[i] != b.area[j] else CHANGED if diffs else UNCHANGED)
        changed.append(diffs)
    status += [ADDED] * len(added) + [REMOVED] * len(removed)
    changed += [[] for _ in range(len(added) + len(removed))]
    unpaired: list[object] = [None] * (len(added) + len(removed))

    def take(values: Sequence[object], index: list[int]) -> list[object]:
        if not index:
            return []
        got = itemgetter(*index)(values)  # a C loop: quicker than a comprehension
        return list(got) if len(index) > 1 else [got]

    def olds(values: Sequence[object]) -> list[object]:
        return take(values, left) + [None] * len(added) + take(values, removed)

    def news(values: Sequence[object]) -> list[object]:
        return take(values, right) + take(values, added) + [None] * len(removed)

    data: dict[str, list[object]] = {
        "status": status,
        "area_old": olds(a.title),
        "area_new": news(b.title),
        "score": [*(round(s, 1) for _, _, s in pairs), *unpaired],
        "changed": changed,
    }
    for c in columns:
        data[f"old_{c}"] = olds(a.texts[c])
        data[f"new_{c}"] = news(b.texts[c])
    data["old_sheet"], data["new_sheet"] = olds(a.sheet), news(b.sheet)
    data["old_row"], data["new_row"] = olds(a.row), news(b.row)
    return pd.DataFrame(data, dtype=object)


def diff_columns(frame: pd.DataFrame) -> list[str]:
    """The compared columns of a diff frame, in order."""
    return [
        c[4:] for c in frame.columns if c.startswith("old_") and c not in ("old_sheet", "old_row")
    ]


def counts(frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Area (new, else old) -> status -> number of actions, areas in order of appearance."""
    areas = frame["area_new"].where(frame["area_new"].notna(), frame["area_old"])
    tally: dict[str, dict[str, int]] = {}
    for area, status in zip(areas.astype(str).tolist(), frame["status"].tolist(), strict=True):
        per = tally.setdefault(area, dict.fromkeys(STATUSES, 0))
        per[status] += 1
    return tally
