"""A plan diff (``diff.diff_plans``) as text, JSON, xlsx and HTML.

- text: counts per status and area, then each changed, moved, added and removed action
  with a word-level diff (``[-removed-]{+added+}``), for a terminal;
- JSON: a list of records ``{"status", "area_old", "area_new", "score", "changed",
  "old": {column: text, …, "sheet", "row"} or null, "new": … or null}``;
- xlsx: one row per action, its status in Swedish, old and new text side by side with
  the changed words marked inside the cell (rich text: removed red and struck through,
  added green and underlined), a filter on the status, and a sheet of counts per area;
- HTML: the same, in the report's look (``templates/diff.html.j2``).
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..output import atomic_path, write_text_atomic
from ..plan import Plan
from ..rules.diff import ADDED, CHANGED, MOVED, STATUSES, UNCHANGED, counts, diff_columns
from ..spec import Spec
from ..text import xml_safe
from .export import column_headers

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


def _value(v: object) -> Any:
    """None for the missing side (pandas may hold it as NaN)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return v


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The diff as plain records (the JSON output), built from the columns."""
    columns = diff_columns(frame)
    col = {name: frame[name].tolist() for name in frame.columns}
    fields = [*columns, "sheet", "row"]
    out = []
    for k in range(len(frame)):
        sides: dict[str, Any] = {}
        for side in ("old", "new"):
            if _value(col[f"{side}_sheet"][k]) is None:
                sides[side] = None
            else:
                sides[side] = {f: col[f"{side}_{f}"][k] for f in fields}
        out.append(
            {
                "status": col["status"][k],
                "area_old": _value(col["area_old"][k]),
                "area_new": _value(col["area_new"][k]),
                "score": _value(col["score"][k]),
                "changed": list(col["changed"][k]),
                "old": sides["old"],
                "new": sides["new"],
            }
        )
    return out


def to_json(frame: pd.DataFrame) -> str:
    """One record a line inside the list: readable, and written by the C encoder."""
    lines = [json.dumps(r, ensure_ascii=False) for r in records(frame)]
    return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"


# -- text ----------------------------------------------------------------------------------


def _place(rec: Mapping[Any, Any], side: str) -> str:
    sheet, row = _value(rec[f"{side}_sheet"]), _value(rec[f"{side}_row"])
    if sheet is None:
        return ""
    return f"'{sheet}' row {int(row)}" if sheet else f"row {int(row)}"


def _inline(segments: Sequence[Segment]) -> str:
    marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in segments)


def to_text(frame: pd.DataFrame, old: Plan, new: Plan, *, limit: int | None = None) -> str:
    """For a terminal: the counts, then every action that is not unchanged."""
    lines = [
        f"{old.meta.source or 'OLD'} ({old.meta.year}, {len(old.actions)} actions) → "
        f"{new.meta.source or 'NEW'} ({new.meta.year}, {len(new.actions)} actions)",
        "",
    ]
    table = counts(frame)
    width = max([len("area"), *(len(a) for a in table)])
    lines.append(f"{'area':<{width}}  " + "  ".join(f"{s:>9}" for s in STATUSES))
    for area, per in table.items():
        lines.append(f"{area:<{width}}  " + "  ".join(f"{per[s]:>9}" for s in STATUSES))
    total = {s: int((frame["status"] == s).sum()) for s in STATUSES}
    lines.append(f"{'all':<{width}}  " + "  ".join(f"{total[s]:>9}" for s in STATUSES))
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
            lines.append(f"{status} ({where}, similarity {rec['score']:.0f})")
            for c in rec["changed"]:
                diff = _inline(word_diff(rec[f"old_{c}"], rec[f"new_{c}"]))
                lines.append(f"  {c}: " + diff.replace("\n", "\n    "))
        else:
            side = "new" if status == ADDED else "old"
            area = rec["area_new"] if status == ADDED else rec["area_old"]
            lines.append(f"{status} ({_place(rec, side)}, {area})")
            text = rec[f"{side}_action"] or next(
                (rec[f"{side}_{c}"] for c in columns if rec[f"{side}_{c}"]), ""
            )
            lines.append("  " + str(text).replace("\n", "\n  "))
    if len(listed) < len(different):
        rest = len(different) - len(listed)
        lines += ["", f"… and {rest:,} more (--verbose, or -o FILE.xlsx for all)"]
    return "\n".join(lines) + "\n"


# -- xlsx ----------------------------------------------------------------------------------


def write_xlsx(
    frame: pd.DataFrame,
    old: Plan,
    new: Plan,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
) -> Path:
    target = Path(path)
    with atomic_path(target, overwrite) as tmp:
        _xlsx(frame, old, new, tmp)
    return target


def _headers(spec: Spec, columns: Sequence[str]) -> dict[str, str]:
    known = column_headers(spec)
    return {c: known.get(c, c) for c in columns}


def _year(plan: Plan, fallback: str) -> str:
    return str(plan.meta.year) if plan.meta.year is not None else fallback


def _xlsx(frame: pd.DataFrame, old: Plan, new: Plan, path: Path) -> None:
    from .blocks import Formats, new_workbook, print_landscape
    from .plan_writer import row_heights  # the xlsx machinery only when an xlsx is asked for

    spec = new.spec
    d = spec.diff
    wb = new_workbook(path)
    fmt = Formats(wb)
    removed = {"font_color": "#C00000", "font_strikeout": True}
    added = {"font_color": "#00703C", "underline": 1}
    red, green = wb.add_format(removed), wb.add_format(added)
    wrap = {"text_wrap": True, "valign": "top", "font_name": "Calibri", "font_size": 10}
    red_cell, green_cell = wb.add_format({**wrap, **removed}), wb.add_format({**wrap, **added})
    old_year, new_year = _year(old, "1"), _year(new, "2")
    title = spec.render(d["title"], old=old_year, new=new_year)
    wb.set_properties({"title": title, "comments": "Skapad med atgardsplan diff"})
    ws = wb.add_worksheet(d["sheet"])
    columns = diff_columns(frame)
    heads = _headers(spec, columns)
    header = [
        d["status_header"],
        f"{d['area_header']} ({old_year})",
        f"{d['area_header']} ({new_year})",
        d["score_header"],
        d["changed_header"],
    ]
    for c in columns:
        header += [f"{heads[c]} ({old_year})", f"{heads[c]} ({new_year})"]
    for j, text in enumerate(header):
        ws.write_string(0, j, xml_safe(text), fmt.header)
    widths = [12, 26, 26, 8, 22] + [34, 34] * len(columns)
    for j, w in enumerate(widths):
        ws.set_column(j, j, w, fmt.cell)
    for r, rec in enumerate(frame.to_dict("records"), start=1):
        ws.write_string(r, 0, d[rec["status"]])
        for j, key in ((1, "area_old"), (2, "area_new")):
            if _value(rec[key]) is not None:
                ws.write_string(r, j, xml_safe(str(rec[key])))
        if _value(rec["score"]) is not None:
            ws.write_number(r, 3, float(rec["score"]))
        ws.write_string(r, 4, ", ".join(heads[c] for c in rec["changed"]))
        for k, c in enumerate(columns):
            o, n = _value(rec[f"old_{c}"]), _value(rec[f"new_{c}"])
            col = 5 + 2 * k
            if c in rec["changed"] and o is not None and n is not None:
                segments = word_diff(o, n)
                kept_old = [(op, t) for op, t in segments if op != "insert"]
                kept_new = [(op, t) for op, t in segments if op != "delete"]
                _rich(ws, r, col, kept_old, red, red_cell, fmt.cell)
                _rich(ws, r, col + 1, kept_new, green, green_cell, fmt.cell)
            else:
                if o:
                    ws.write_string(r, col, xml_safe(o))
                if n:
                    ws.write_string(r, col + 1, xml_safe(n))
    shown = [
        [str(_value(v) or "") for v in frame[f"{side}_{c}"].tolist()]
        for c in columns
        for side in ("old", "new")
    ]
    if len(frame):
        for r, height in enumerate(row_heights(shown, widths[5:]), start=1):
            ws.set_row(r, height)
    ws.autofilter(0, 0, max(len(frame), 1), len(header) - 1)
    ws.freeze_panes(1, 1)
    print_landscape(ws, f"&L{title}&Rsida &P av &N")
    summary = wb.add_worksheet(d["summary_sheet"])
    summary.write_string(0, 0, title, fmt.title)
    summary.write_string(1, 0, d["summary_intro"], fmt.subtitle)
    summary.write_string(3, 0, d["area_header"], fmt.table_header)
    for j, s in enumerate(STATUSES, start=1):
        summary.write_string(3, j, d[s], fmt.table_header)
    table = counts(frame)
    for i, (area, per) in enumerate(table.items(), start=4):
        summary.write_string(i, 0, xml_safe(area), fmt.table_area)
        for j, s in enumerate(STATUSES, start=1):
            summary.write_number(i, j, per[s], fmt.table_number)
    summary.write_string(5 + len(table), 0, d["legend"], fmt.note)
    summary.set_column(0, 0, 44)
    summary.set_column(1, len(STATUSES), 12)
    wb.close()


def _rich(
    ws: Any, r: int, c: int, segments: list[Segment], mark: Any, whole: Any, cell: Any
) -> None:
    """A cell whose changed words carry ``mark`` (rich text); a cell that is one run is
    written plain, or wholly in ``whole`` when that run changed."""
    parts: list[Any] = []
    for op, text in segments:
        if text:
            parts += ([mark] if op != "equal" else []) + [xml_safe(text)]
    strings = [p for p in parts if isinstance(p, str)]
    if len(strings) >= 2:
        ws.write_rich_string(r, c, *parts, cell)
    elif strings:
        ws.write_string(r, c, strings[0], whole if len(parts) == 2 else cell)


# -- HTML ----------------------------------------------------------------------------------


def to_html(
    frame: pd.DataFrame, old: Plan, new: Plan, *, template_dir: str | os.PathLike[str] | None = None
) -> str:
    from ..documents.report import environment, texts
    from ..version import __version__

    spec = new.spec
    d = spec.diff
    columns = diff_columns(frame)
    heads = _headers(spec, columns)
    rows = []
    for rec in frame.to_dict("records"):
        cells = []
        for c in columns:
            o, n = _value(rec[f"old_{c}"]), _value(rec[f"new_{c}"])
            if c in rec["changed"] and o is not None and n is not None:
                cells.append({"column": heads[c], "segments": word_diff(o, n)})
            else:
                text = n if n is not None else o
                cells.append({"column": heads[c], "segments": [("equal", text or "")]})
        rows.append(
            {
                "status": rec["status"],
                "status_text": d[rec["status"]],
                "area_old": _value(rec["area_old"]) or "",
                "area_new": _value(rec["area_new"]) or "",
                "score": _value(rec["score"]),
                "changed": [heads[c] for c in rec["changed"]],
                "cells": cells,
            }
        )
    title = spec.render(d["title"], old=_year(old, "1"), new=_year(new, "2"))
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


def write_diff(
    frame: pd.DataFrame,
    old: Plan,
    new: Plan,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
) -> Path:
    """Write the diff as xlsx, json or html, by the extension of ``path``."""
    p = Path(path)
    kind = p.suffix.lower().lstrip(".")
    if kind == "xlsx":
        return write_xlsx(frame, old, new, p, overwrite=overwrite)
    if kind == "json":
        return write_text_atomic(p, to_json(frame), overwrite)
    if kind in ("html", "htm"):
        return write_text_atomic(p, to_html(frame, old, new), overwrite)
    raise ValueError(f"cannot tell the format from {p.name!r} (use .xlsx, .json or .html)")
