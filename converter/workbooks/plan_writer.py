"""Plan to xlsx with xlsxwriter: area sheets, the Sammanställning, its native chart.

Every cell made from user text is an explicit string cell (``write_string``) in a
workbook whose automatic conversions are all off: a follow-up beginning with "=" or
holding a URL stays exactly that string.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..output import atomic_path
from ..plan import AREA, ROW, SHEET, Plan, SheetInfo
from ..rules.follow_up import area_follow_up
from ..rules.summary import area_counts
from ..spec import EXTRA_WIDTH, STATUS, Column, Spec
from ..text import XML_ILLEGAL, column_letter, quote_sheet, slug, xml_safe
from .blocks import (
    Formats,
    check_lengths,
    follow_up_block,
    follow_up_formulas,
    footer_text,
    new_workbook,
    print_landscape,
    row_height,
    row_heights,
    status_looks,
    summary_block,
)

HEADER_ROW = 0  # 0-based: the header row, the instruction row under it, then data
INSTRUCTION_ROW = 1
FIRST_DATA_ROW = 2
_TAB_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Layout:
    """What a written area sheet looks like: for the summary's formulas and the tests."""

    tab: str
    title: str
    data_rows: int
    blank_rows: int


def write_plan(
    plan: Plan,
    path: str | os.PathLike[str],
    spec: Spec | None = None,
    *,
    blank_rows: int = 0,
    overwrite: bool = False,
    previous_follow_up: str | None = None,
) -> Path:
    """Write ``plan`` as a complete Åtgärdsplan workbook at ``path``.

    ``blank_rows`` formatted empty rows follow the actions of each area sheet, ready to
    type in. ``previous_follow_up`` names an extra column shown grey (last year's
    follow-up in next year's workbook). The file appears atomically; an existing file
    is replaced only with ``overwrite``.
    """
    spec = spec or plan.spec
    target = Path(path)
    check_lengths(plan.actions, plan.meta.source or target)
    with atomic_path(target, overwrite) as tmp:
        _write(plan, spec, tmp, blank_rows, previous_follow_up)
    return target


def tab_names(plan: Plan, spec: Spec) -> dict[str, str]:
    """Tab name of every area: the spec's, or the renamed own area's title made legal."""
    tabs: dict[str, str] = {}
    used = {spec.summary.tab.casefold()}
    for area in spec.areas:
        title = plan.meta.title_of(area.key)
        tab = area.tab
        if area.own and title != area.title:
            tab = legal_tab(title) or area.tab
        tabs[area.key] = unique_tab(tab, used)
    return tabs


def unique_tab(tab: str, used: set[str]) -> str:
    """``tab``, or "tab (2)", "tab (3)" … cut to 31 characters, unlike every name in
    ``used`` (compared in any case, as Excel does); the name is added to ``used``."""
    base, n = tab, 2
    while tab.casefold() in used:
        suffix = f" ({n})"
        tab = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(tab.casefold())
    return tab


def legal_tab(title: str) -> str:
    tab = _TAB_FORBIDDEN.sub(" ", title)
    tab = " ".join(tab.split())[:31].strip().strip("'").strip()
    return tab


def _write(plan: Plan, spec: Spec, path: Path, blank_rows: int, previous: str | None) -> None:
    wb = new_workbook(path)
    fmt = Formats(wb)
    year, district = plan.meta.year, plan.meta.district
    workbook_title = spec.workbook_title_for(year, district)
    wb.set_properties(
        {
            "title": workbook_title,
            "subject": spec.name,
            "keywords": "Åtgärdsplan, samverkansöverenskommelse",
            "comments": "Skapad med atgardsplan",
        }
    )
    if year is not None:
        wb.set_custom_property(spec.year_property, int(year))
    if district:
        wb.set_custom_property(spec.district_property, district)

    grey = {*plan.meta.previous_columns, *([previous] if previous else [])}
    tabs = tab_names(plan, spec)
    layouts: dict[str, Layout] = {}
    frames = plan.frames
    extras = plan.extra_columns
    sheets: list[Worksheet] = []
    for area in spec.areas:
        title = plan.meta.title_of(area.key)
        ws = wb.add_worksheet(tabs[area.key])
        sheets.append(ws)
        layouts[area.key] = _write_area(
            ws,
            fmt,
            spec,
            title,
            tabs[area.key],
            frames[title],
            extras,
            blank_rows,
            grey,
            workbook_title,
        )
    # The summary comes last, as in the official template.
    summary_ws = wb.add_worksheet(spec.summary.tab)
    _write_summary(wb, summary_ws, fmt, plan, spec, layouts, workbook_title)
    sheets[0].activate()
    wb.close()


def _write_area(
    ws: Worksheet,
    fmt: Formats,
    spec: Spec,
    title: str,
    tab: str,
    frame: pd.DataFrame,
    extras: list[str],
    blank_rows: int,
    grey: set[str],
    workbook_title: str,
) -> Layout:
    keys = list(spec.keys)
    names = keys + extras
    # Header and instruction rows.
    for c, col in enumerate(spec.columns):
        ws.write_string(HEADER_ROW, c, xml_safe(title) if c == 0 else col.header, fmt.header)
        ws.write_string(INSTRUCTION_ROW, c, col.instruction, fmt.instruction)
        ws.set_column(c, c, col.width)
    for j, name in enumerate(extras, start=len(keys)):
        ws.write_string(HEADER_ROW, j, xml_safe(name), fmt.header)
        ws.write_blank(INSTRUCTION_ROW, j, None, fmt.instruction)
        ws.set_column(j, j, EXTRA_WIDTH)
    widths = [c.width for c in spec.columns] + [EXTRA_WIDTH] * len(extras)
    ws.set_row(HEADER_ROW, row_height([title, *names[1:]], widths, 11))
    ws.set_row(INSTRUCTION_ROW, row_height([c.instruction for c in spec.columns], widths, 8))
    # Data: every cell written in full, as an explicit string.
    styles = [fmt.previous if name in grey else fmt.cell for name in names]
    n = len(frame)
    if n:
        columns: list[list[str]] = [frame[name].tolist() for name in names]
        for j, texts in enumerate(columns):
            if XML_ILLEGAL.search("\n".join(texts)):
                columns[j] = [xml_safe(v) for v in texts]
        write_string = ws.write_string
        write_blank = ws.write_blank
        for i, height in enumerate(row_heights(columns, widths)):
            ws.set_row(FIRST_DATA_ROW + i, height)
        for j, texts in enumerate(columns):
            style = styles[j]
            r = FIRST_DATA_ROW
            for v in texts:
                if v:
                    write_string(r, j, v, style)
                else:
                    write_blank(r, j, None, style)
                r += 1
    for r in range(FIRST_DATA_ROW + n, FIRST_DATA_ROW + n + blank_rows):
        for j in range(len(names)):
            ws.write_blank(r, j, None, styles[j])
    last_row = FIRST_DATA_ROW + n + blank_rows - 1
    # Help where the user types: each column's instruction as an input message.
    help_to = max(last_row, FIRST_DATA_ROW) + spec.summary.counted_rows
    for c, col in enumerate(spec.columns):
        help_text = {"input_title": col.label[:32], "input_message": col.instruction[:255]}
        if col.values:
            # A drop-down of the allowed values; other text is let through with a warning
            # (it is read as typed and reported), never refused.
            ws.data_validation(
                FIRST_DATA_ROW, c, help_to, c, {**_value_list(spec, col), **help_text}
            )
            status_looks(ws, fmt, col, FIRST_DATA_ROW, c, help_to)
        else:
            ws.data_validation(FIRST_DATA_ROW, c, help_to, c, {"validate": "any", **help_text})
    # Finding and filtering.
    ws.freeze_panes(FIRST_DATA_ROW, 0)
    ws.autofilter(HEADER_ROW, 0, max(last_row, INSTRUCTION_ROW), len(names) - 1)
    # Print-ready: A4 landscape, one page wide, header rows on every page.
    footer = spec.render(
        spec.area_footer,
        area_title=footer_text(title),
        area_tab=footer_text(tab),
        workbook_title=footer_text(workbook_title),
    )
    print_landscape(ws, footer)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.repeat_rows(HEADER_ROW, INSTRUCTION_ROW)
    ws.hide_gridlines(0)
    return Layout(tab=tab, title=title, data_rows=n, blank_rows=blank_rows)


def _value_list(spec: Spec, col: Column) -> dict[str, object]:
    return {
        "validate": "list",
        "source": list(col.values),
        "error_type": "warning",
        "error_title": col.label[:32],
        "error_message": spec.render(spec.value_list_error, values=col.values)[:255],
    }


def _write_summary(
    wb: Workbook,
    ws: Worksheet,
    fmt: Formats,
    plan: Plan,
    spec: Spec,
    layouts: dict[str, Layout],
    workbook_title: str,
) -> None:
    s = spec.summary
    counts = area_counts(plan)
    ws.write_string(0, 0, s.title, fmt.title)
    subtitle = spec.render(s.subtitle, workbook_title=workbook_title) if s.subtitle else ""
    if subtitle:
        ws.write_string(1, 0, subtitle, fmt.subtitle)
    rows = []
    for area in spec.areas:
        layout = layouts[area.key]
        end = _counted_end(spec, layout)
        cells = []
        for cnt in s.counts:
            letter = column_letter(spec.keys.index(cnt.key))
            rng = f"{quote_sheet(layout.tab)}!{letter}{FIRST_DATA_ROW + 1}:{letter}{end}"
            cells.append((f"=COUNTA({rng})", counts[area.key][cnt.key]))
        rows.append((layout.title, cells))
    table = summary_block(wb, ws, fmt, spec, rows, tab=s.tab, note=s.note)
    ws.set_row(table.total_row, 22)
    ws.set_column(0, 0, 44)
    ws.set_column(1, len(s.counts), 15)
    bottom = max(table.total_row + 3, table.head + 22)
    if spec.status is not None:
        top = max(table.total_row + 6, table.head + 24)
        bottom = _write_follow_up(wb, ws, fmt, plan, spec, layouts, top)
    print_landscape(
        ws,
        spec.render(spec.summary_footer, workbook_title=footer_text(workbook_title)),
        one_page=True,
    )
    ws.print_area(0, 0, bottom, len(s.counts) + 14)


def _counted_end(spec: Spec, layout: Layout) -> int:
    """The last 1-based row the summary's formulas count in an area sheet."""
    return max(
        FIRST_DATA_ROW + spec.summary.counted_rows,
        FIRST_DATA_ROW + layout.data_rows + layout.blank_rows + 1000,
    )


def _write_follow_up(
    wb: Workbook,
    ws: Worksheet,
    fmt: Formats,
    plan: Plan,
    spec: Spec,
    layouts: dict[str, Layout],
    top: int,
) -> int:
    """The Sammanställning's second table, "Uppföljning per område", and its chart;
    the last row it takes."""
    assert spec.status is not None
    f = spec.follow_up
    figures = area_follow_up(plan)
    values = spec.status.values
    rows = []
    first_row = top + 3  # 1-based row of the first area: heading, header, then areas
    for i, area in enumerate(spec.areas):
        layout = layouts[area.key]
        end = _counted_end(spec, layout)

        def rng(key: str, tab: str = layout.tab, end: int = end) -> str:
            letter = column_letter(spec.keys.index(key))
            return f"{quote_sheet(tab)}!${letter}${FIRST_DATA_ROW + 1}:${letter}${end}"

        formulas = follow_up_formulas(
            rng("action"), rng("follow_up"), rng(STATUS), values, first_row + i
        )
        count = figures[area.key]
        cached = [count.actions, count.followed_up, *count.status.values()]
        rows.append((layout.title, list(zip(formulas, cached, strict=True))))
    table, bottom = follow_up_block(
        wb,
        ws,
        fmt,
        spec,
        top,
        f["area_header"],
        rows,
        tab=spec.summary.tab,
        title=f["title"],
        chart_title=f["chart_title"],
    )
    ws.set_column(len(spec.summary.counts) + 1, table.columns, 13)
    return bottom


def default_summary_name(spec: Spec, source: Path) -> str:
    return spec.file_name("summary", stem=source.stem)


def default_template_name(spec: Spec, year: int, district: str | None) -> str:
    return spec.file_name("template", year=year, district_slug=slug(district or ""))


def placed(plan: Plan, spec: Spec | None = None) -> Plan:
    """``plan`` with each action's sheet and row set to where ``write_plan`` puts it, so
    that findings about a plan not yet written name the cells of the written file."""
    spec = spec or plan.spec
    tabs = tab_names(plan, spec)
    frame = plan.actions
    tab_of = {plan.meta.title_of(a.key): tabs[a.key] for a in spec.areas}
    order = {title: i for i, title in enumerate(tab_of)}
    rank = frame[AREA].map(order)
    frame = frame.iloc[rank.argsort(kind="stable")].reset_index(drop=True)
    frame[SHEET] = frame[AREA].map(tab_of)
    frame[ROW] = (frame.groupby(AREA, sort=False).cumcount() + FIRST_DATA_ROW + 1).astype("int64")
    columns = {k: i for i, k in enumerate(spec.keys)}
    columns.update({name: len(columns) + j for j, name in enumerate(plan.extra_columns)})
    sheets = tuple(
        SheetInfo(tab=tabs[a.key], area_key=a.key, header_row=HEADER_ROW + 1, columns=columns)
        for a in spec.areas
    )
    return plan.with_actions(frame, sheets=sheets)
