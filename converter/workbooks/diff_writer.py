"""A plan diff (``diff.diff_plans``) as a workbook.

One row per action, its status in Swedish, old and new text side by side with the
changed words marked inside the cell (rich text: removed red and struck through, added
green and underlined), a filter on the status, and a sheet of counts per area. The
text, JSON and HTML forms are in ``documents.diff_report``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from ..output import atomic_path
from ..plan import Plan
from ..rules.diff import STATUSES, counts, diff_columns
from ..rules.diff_records import (
    Segment,
    diff_headers,
    side_value,
    value_change,
    word_diff,
    year_label,
)
from ..text import xml_safe
from .blocks import Formats, new_workbook, print_landscape, row_heights


def write_diff_xlsx(
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


def _xlsx(frame: pd.DataFrame, old: Plan, new: Plan, path: Path) -> None:
    spec = new.spec
    d = spec.diff
    wb = new_workbook(path)
    fmt = Formats(wb)
    removed = {"font_color": "#C00000", "font_strikeout": True}
    added = {"font_color": "#00703C", "underline": 1}
    red, green = wb.add_format(removed), wb.add_format(added)
    wrap = {"text_wrap": True, "valign": "top", "font_name": "Calibri", "font_size": 10}
    red_cell, green_cell = wb.add_format({**wrap, **removed}), wb.add_format({**wrap, **added})
    old_year, new_year = year_label(old, "1"), year_label(new, "2")
    title = spec.render(d["title"], old=old_year, new=new_year)
    wb.set_properties({"title": title, "comments": "Skapad med atgardsplan diff"})
    ws = wb.add_worksheet(d["sheet"])
    columns = diff_columns(frame)
    heads = diff_headers(spec, columns)
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
            if side_value(rec[key]) is not None:
                ws.write_string(r, j, xml_safe(str(rec[key])))
        if side_value(rec["score"]) is not None:
            ws.write_number(r, 3, float(rec["score"]))
        changed = []
        for c in rec["changed"]:
            o, n = side_value(rec[f"old_{c}"]), side_value(rec[f"new_{c}"])
            change = value_change(spec, c, o or "", n or "") if o is not None else None
            changed.append(f"{heads[c]} ({change})" if change else heads[c])
        ws.write_string(r, 4, ", ".join(changed))
        for k, c in enumerate(columns):
            o, n = side_value(rec[f"old_{c}"]), side_value(rec[f"new_{c}"])
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
        [str(side_value(v) or "") for v in frame[f"{side}_{c}"].tolist()]
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
