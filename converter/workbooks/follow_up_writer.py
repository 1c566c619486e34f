"""The follow-up list as a workbook (``atgardsplan follow-up -o``): one sheet per
district that a coordinator can mail to it.

Each sheet: the plan's figures per area (actions, followed up, each status, Ej angiven,
Annat) with a total row, the share followed up, then every action lacking its follow-up
text or its status, with its cell in the district's own workbook. The figures are
values, not formulas: the actions they count are in the district's workbook, not here.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from xlsxwriter.worksheet import Worksheet

from ..output import atomic_path
from ..rules.follow_up import LACKS, PlanFollowUp, follow_up_headers
from ..spec import Spec
from ..text import xml_safe
from .blocks import Formats, footer_text, new_workbook, print_landscape
from .plan_writer import legal_tab, unique_tab


def write_follow_up(
    plans: Sequence[PlanFollowUp], path: str | os.PathLike[str], *, overwrite: bool = False
) -> Path:
    """Write one sheet per plan (district and year) at ``path``, atomically."""
    target = Path(path)
    with atomic_path(target, overwrite) as tmp:
        wb = new_workbook(tmp)
        fmt = Formats(wb)
        years = {f.plan.meta.year for f in plans}
        used: set[str] = set()
        for f in plans:
            spec = f.plan.spec
            name = f.plan.meta.district or "?"
            if len(years) > 1:
                name = f"{name} {f.plan.meta.year}"
            tab = unique_tab(legal_tab(name) or "Plan", used)
            _write_sheet(wb.add_worksheet(tab), fmt, spec, f)
        if plans:
            heading = plans[0].plan.spec.follow_up["heading"]
            wb.set_properties({"title": heading, "comments": "Skapad med atgardsplan"})
        wb.close()
    return target


def _write_sheet(ws: Worksheet, fmt: Formats, spec: Spec, f: PlanFollowUp) -> None:
    words = spec.follow_up
    meta = f.plan.meta
    title = spec.render(words["sheet_title"], district=meta.district or "", year=meta.year or "")
    ws.write_string(0, 0, xml_safe(title), fmt.title)
    total = f.total
    share = spec.render(
        words["share"],
        followed=total.followed_up,
        actions=total.actions,
        percent=round(100 * total.share),
    )
    ws.write_string(1, 0, share, fmt.subtitle)
    if meta.source is not None:
        ws.write_string(2, 0, xml_safe(str(meta.source.name)), fmt.note)
    headers = follow_up_headers(spec)
    head = 4
    ws.write_string(head, 0, words["area_header"], fmt.table_header)
    for j, text in enumerate(headers, start=1):
        ws.write_string(head, j, text, fmt.table_header)
    r = head
    for key, count in f.areas.items():
        r += 1
        ws.write_string(r, 0, xml_safe(meta.title_of(key)), fmt.table_area)
        for j, n in enumerate([count.actions, count.followed_up, *count.status.values()], 1):
            ws.write_number(r, j, n, fmt.table_number)
    r += 1
    ws.write_string(r, 0, words["total_label"], fmt.total_label)
    for j, n in enumerate([total.actions, total.followed_up, *total.status.values()], 1):
        ws.write_number(r, j, n, fmt.total_number)
    ws.set_row(head, 32)
    # Every action that lacks its follow-up or its status.
    r += 2
    ws.write_string(r, 0, words["missing_heading"], fmt.heading)
    r += 1
    lacks_words = {key: words[f"lacks_{key}"] for key in LACKS}
    for j, text in enumerate(
        [spec.city.area_header, spec.column("action").header, words["lacks"], words["cell"]]
    ):
        ws.write_string(r, j, text, fmt.header)
    first = r
    for m in f.missing:
        r += 1
        ws.write_string(r, 0, xml_safe(m.area), fmt.cell)
        ws.write_string(r, 1, xml_safe(m.action), fmt.cell)
        ws.write_string(r, 2, ", ".join(lacks_words[k] for k in m.lacks), fmt.cell)
        ws.write_string(r, 3, xml_safe(m.cell), fmt.cell)
    if f.missing:
        ws.autofilter(first, 0, r, 3)
    ws.set_column(0, 0, 40)
    ws.set_column(1, 1, 60)
    ws.set_column(2, 2, 22)
    ws.set_column(3, len(headers), 14)
    print_landscape(ws, f"&L{footer_text(title)}&Rsida &P av &N")
