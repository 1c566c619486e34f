"""A plan diff (``diff.diff_plans``) as plain values that every output shows alike.

``diff_records`` gives each paired action as a record (the JSON output), ``word_diff``
the runs of kept, removed and added words of two texts, ``diff_headers`` the headers
people read for the compared columns. Pure: frames in, values out.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..plan import Plan, column_headers
from ..spec import Spec
from .diff import diff_columns

_TOKENS = re.compile(r"\s+|[^\s]+")
Segment = tuple[str, str]  # ("equal" | "delete" | "insert", text)


def word_diff(old: str, new: str) -> list[Segment]:
    """The two texts as runs of kept, removed and added words (spaces kept)."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append(("delete", "".join(a[i1:i2])))
            if j2 > j1:
                out.append(("insert", "".join(b[j1:j2])))
    return out


def value_change(spec: Spec, column: str, old: str, new: str) -> str | None:
    """ "Pågående → Genomförd" for a column of allowed values (the status), None for a
    free-text column (shown as a word diff). A blank side reads "Ej angiven"."""
    if column not in spec.keys or not spec.column(column).values:
        return None
    blank = spec.follow_up.get("not_given", "–")
    return f"{old or blank} → {new or blank}"


def change_segments(spec: Spec, column: str, old: str, new: str) -> list[Segment]:
    """How a changed cell is shown: a status as "old → new", any other text as its
    word diff."""
    if value_change(spec, column, old, new) is None:
        return word_diff(old, new)
    blank = spec.follow_up.get("not_given", "–")
    return [("delete", old or blank), ("equal", " → "), ("insert", new or blank)]


def side_value(v: object) -> Any:
    """None for the missing side (pandas may hold it as NaN)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return v


def diff_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The diff as plain records (the JSON output), built from the columns."""
    columns = diff_columns(frame)
    col = {name: frame[name].tolist() for name in frame.columns}
    fields = [*columns, "sheet", "row"]
    out = []
    for k in range(len(frame)):
        sides: dict[str, Any] = {}
        for side in ("old", "new"):
            if side_value(col[f"{side}_sheet"][k]) is None:
                sides[side] = None
            else:
                sides[side] = {f: col[f"{side}_{f}"][k] for f in fields}
        out.append(
            {
                "status": col["status"][k],
                "area_old": side_value(col["area_old"][k]),
                "area_new": side_value(col["area_new"][k]),
                "score": side_value(col["score"][k]),
                "changed": list(col["changed"][k]),
                "old": sides["old"],
                "new": sides["new"],
            }
        )
    return out


def diff_headers(spec: Spec, columns: Sequence[str]) -> dict[str, str]:
    known = column_headers(spec)
    return {c: known.get(c, c) for c in columns}


def year_label(plan: Plan, fallback: str) -> str:
    return str(plan.meta.year) if plan.meta.year is not None else fallback
