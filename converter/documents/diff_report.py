"""A plan diff (``diff.diff_plans``) as text, JSON and HTML.

- text: counts per status and area, then each changed, moved, added and removed action
  with a word-level diff (``[-removed-]{+added+}``), for a terminal;
- JSON: a list of records ``{"status", "area_old", "area_new", "score", "changed",
  "old": {column: text, …, "sheet", "row"} or null, "new": … or null}``;
- HTML: a page in the report's look (``templates/diff.html.j2``).

The workbook form is ``workbooks.diff_writer``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from ..plan import Plan
from ..rules.diff import ADDED, CHANGED, MOVED, STATUSES, UNCHANGED, counts, diff_columns
from ..rules.diff_records import (
    Segment,
    change_segments,
    diff_headers,
    diff_records,
    side_value,
    value_change,
    word_diff,
    year_label,
)
from ..version import __version__
from .templating import environment, texts


def diff_to_json(frame: pd.DataFrame) -> str:
    """One record a line inside the list: readable, and written by the C encoder."""
    lines = [json.dumps(r, ensure_ascii=False) for r in diff_records(frame)]
    return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"


# -- text ----------------------------------------------------------------------------------


def _place(rec: Mapping[Any, Any], side: str) -> str:
    sheet, row = side_value(rec[f"{side}_sheet"]), side_value(rec[f"{side}_row"])
    if sheet is None:
        return ""
    return f"'{sheet}' row {int(row)}" if sheet else f"row {int(row)}"


def _inline(segments: Sequence[Segment]) -> str:
    marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in segments)


def diff_to_text(
    frame: pd.DataFrame,
    old: Plan,
    new: Plan,
    *,
    limit: int | None = None,
    say: Callable[[str], str] = str,
) -> str:
    """For a terminal: the counts, then every action that is not unchanged. ``say``
    puts each of its words ("area", "unchanged", ...) in the terminal's language."""
    lines = [
        say("{old} ({old_year}, {old_n} actions) → {new} ({new_year}, {new_n} actions)").format(
            old=old.meta.source or "OLD",
            old_year=old.meta.year,
            old_n=len(old.actions),
            new=new.meta.source or "NEW",
            new_year=new.meta.year,
            new_n=len(new.actions),
        ),
        "",
    ]
    table = counts(frame)
    area_word, all_word = say("area"), say("all")
    names = {s: say(s) for s in STATUSES}
    col = max(9, *(len(n) for n in names.values()))
    width = max([len(area_word), *(len(a) for a in table)])
    lines.append(f"{area_word:<{width}}  " + "  ".join(f"{names[s]:>{col}}" for s in STATUSES))
    for area, per in table.items():
        lines.append(f"{area:<{width}}  " + "  ".join(f"{per[s]:>{col}}" for s in STATUSES))
    total = {s: int((frame["status"] == s).sum()) for s in STATUSES}
    lines.append(f"{all_word:<{width}}  " + "  ".join(f"{total[s]:>{col}}" for s in STATUSES))
    columns = diff_columns(frame)
    different = frame[frame["status"] != UNCHANGED]
    listed = different if limit is None else different.iloc[:limit]
    for rec in listed.to_dict("records"):
        lines.append("")
        status = rec["status"]
        if status in (CHANGED, MOVED):
            where = f"{_place(rec, 'old')} → {_place(rec, 'new')}"
            if status == MOVED:
                where += f", {rec['area_old']} → {rec['area_new']}"
            lines.append(
                say("{status} ({where}, similarity {score:.0f})").format(
                    status=names[status], where=where, score=rec["score"]
                )
            )
            for c in rec["changed"]:
                o, n = rec[f"old_{c}"], rec[f"new_{c}"]
                diff = value_change(new.spec, c, o, n) or _inline(word_diff(o, n))
                lines.append(f"  {c}: " + diff.replace("\n", "\n    "))
        else:
            side = "new" if status == ADDED else "old"
            area = rec["area_new"] if status == ADDED else rec["area_old"]
            lines.append(f"{names[status]} ({_place(rec, side)}, {area})")
            text = rec[f"{side}_action"] or next(
                (rec[f"{side}_{c}"] for c in columns if rec[f"{side}_{c}"]), ""
            )
            lines.append("  " + str(text).replace("\n", "\n  "))
    if len(listed) < len(different):
        rest = len(different) - len(listed)
        lines += [
            "",
            say("… and {rest:,} more (--verbose, or -o FILE.xlsx for all)").format(rest=rest),
        ]
    return "\n".join(lines) + "\n"


# -- HTML ----------------------------------------------------------------------------------


def diff_to_html(
    frame: pd.DataFrame, old: Plan, new: Plan, *, template_dir: str | os.PathLike[str] | None = None
) -> str:
    spec = new.spec
    d = spec.diff
    columns = diff_columns(frame)
    heads = diff_headers(spec, columns)
    rows = []
    for rec in frame.to_dict("records"):
        cells = []
        for c in columns:
            o, n = side_value(rec[f"old_{c}"]), side_value(rec[f"new_{c}"])
            if c in rec["changed"] and o is not None and n is not None:
                cells.append({"column": heads[c], "segments": change_segments(spec, c, o, n)})
            else:
                text = n if n is not None else o
                cells.append({"column": heads[c], "segments": [("equal", text or "")]})
        rows.append(
            {
                "status": rec["status"],
                "status_text": d[rec["status"]],
                "area_old": side_value(rec["area_old"]) or "",
                "area_new": side_value(rec["area_new"]) or "",
                "score": side_value(rec["score"]),
                "changed": [heads[c] for c in rec["changed"]],
                "cells": cells,
            }
        )
    title = spec.render(d["title"], old=year_label(old, "1"), new=year_label(new, "2"))
    summary = [
        {"area": a, "figures": [per[s] for s in STATUSES]} for a, per in counts(frame).items()
    ]
    return (
        environment(template_dir)
        .get_template("diff.html.j2")
        .render(
            t=texts(spec),
            d=d,
            title=title,
            statuses=[d[s] for s in STATUSES],
            summary=summary,
            rows=rows,
            version=__version__,
        )
    )
