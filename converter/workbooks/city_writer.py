"""A CityPlan to one workbook: the city's Sammanställning, every action, every file.

- "Sammanställning" (one per year when the plans are of several years): the summary a
  district's workbook has, for the whole city, with the same chart; under it a table of
  actions per district and area with a total column and row, and its stacked chart.
  Every figure is a COUNTIFS over the "Åtgärder" sheet's whole columns (rows added to
  the table later are counted) with its cached value computed in Python.
- "Åtgärder": one real Excel table of every action (filter buttons, banded rows).
- "Filer": one row per input, what became of it and why.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..output import atomic_path
from ..plan import AREA, ROW, SHEET, column_headers
from ..rules.combine import DISTRICT, FILE, TEMPLATE_AREA, YEAR, CityPlan
from ..rules.quality import (
    QualityCount,
    count_quality,
    judged_columns,
    quality_headers,
    quality_marks,
)
from ..spec import EXTRA_WIDTH, STATUS, Spec
from ..text import XML_ILLEGAL, column_letter, quote_sheet, xml_safe
from .blocks import (
    Formats,
    check_lengths,
    count_chart,
    criterion,
    follow_up_block,
    follow_up_formulas,
    footer_text,
    new_workbook,
    print_landscape,
    row_heights,
    summary_block,
    write_count_table,
)

#: Widths of the city's own columns in "Åtgärder".
_WIDTHS = {DISTRICT: 20, YEAR: 7, AREA: 30, TEMPLATE_AREA: 30, FILE: 40, SHEET: 18, ROW: 6}
_WIDTHS.update(
    dict.fromkeys(
        ("quality_measured", "quality_vague", "quality_open_ended", "quality_no_cause"), 11
    )
)
TABLE_STYLE = "Table Style Medium 2"
#: Up to this many districts the city's summary prints on one page.
ONE_PAGE_DISTRICTS = 20


def write_city(city: CityPlan, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write the combined workbook of ``city`` at ``path`` (atomically, no clobbering)."""
    target = Path(path)
    files = city.actions[FILE]
    check_lengths(city.actions, lambda i: Path(str(files.iat[i])))
    with atomic_path(target, overwrite) as tmp:
        _write(city, tmp)
    return target


def default_city_name(city: CityPlan) -> str:
    return city.spec.file_name("city", years=city.years_label() or "alla")


class _Columns:
    """Letters of the Åtgärder sheet's columns, by internal name."""

    def __init__(self, names: list[str], tab: str) -> None:
        self.tab = quote_sheet(tab)
        self.letter = {n: column_letter(i) for i, n in enumerate(names)}

    def whole(self, name: str) -> str:
        letter = self.letter[name]
        return f"{self.tab}!${letter}:${letter}"


def _write(city: CityPlan, path: Path) -> None:
    spec = city.spec
    c = spec.city
    wb = new_workbook(path)
    fmt = Formats(wb)
    title = spec.render(c.title, years=city.years_label())
    wb.set_properties(
        {"title": title, "subject": spec.name, "comments": "Skapad med atgardsplan combine"}
    )
    names = [
        DISTRICT,
        YEAR,
        AREA,
        TEMPLATE_AREA,
        *spec.keys,
        *city.extra_columns,
        *MARKS,
        FILE,
        SHEET,
        ROW,
    ]
    # The judgements by Brå's method, once for the city's table and the Kvalitet sheet.
    frame = city.actions
    plan_and_area = [frame[YEAR].tolist(), frame[FILE].tolist(), frame[AREA].tolist()]
    judged = judged_columns(frame, spec, plan_and_area)
    by_header = quality_marks(spec, judged)
    marks = {name: by_header[spec.quality[key]] for name, key in MARKS.items()}
    cols = _Columns(names, c.actions_tab)
    years: list[int | None] = [*city.years] or [None]
    sheets: list[Worksheet] = []
    for year in years:
        tab = c.summary_tab if len(years) == 1 else spec.render(c.summary_year_tab, year=year)
        ws = wb.add_worksheet(tab)
        sheets.append(ws)
        if year is not None:
            _write_summary(wb, ws, fmt, city, year, tab, cols, title)
    if city.years:
        totals = _district_quality(city, judged)
        _write_quality(wb.add_worksheet(spec.quality["sheet"]), fmt, city, cols, totals)
    _write_actions(wb.add_worksheet(c.actions_tab), fmt, city, names, marks)
    _write_files(wb.add_worksheet(c.files_tab), fmt, city, title)
    sheets[0].activate()
    wb.close()


def _write_summary(
    wb: Workbook,
    ws: Worksheet,
    fmt: Formats,
    city: CityPlan,
    year: int,
    tab: str,
    cols: _Columns,
    title: str,
) -> None:
    spec = city.spec
    s, c = spec.summary, spec.city
    counts = city.area_counts(year)
    districts = city.district_counts(year)
    n_actions = sum(per["action"] for per in counts.values())
    ws.write_string(0, 0, spec.render(c.summary_title, year=year), fmt.title)
    ws.write_string(
        1,
        0,
        spec.render(c.summary_subtitle, districts=len(districts), actions=n_actions),
        fmt.subtitle,
    )
    in_year = f"{cols.whole(YEAR)},{year}"
    # (a) The summary of a district's workbook, for the whole city.
    rows = []
    for area in spec.areas:
        label = city.area_label(area.key)
        of_area = f"{cols.whole(TEMPLATE_AREA)},{criterion(label)}"
        cells = [
            (
                f'=COUNTIFS({in_year},{of_area},{cols.whole(cnt.key)},"<>")',
                counts[area.key][cnt.key],
            )
            for cnt in s.counts
        ]
        rows.append((label, cells))
    table = summary_block(wb, ws, fmt, spec, rows, tab=tab, note=c.note)

    # (b) Actions per district (rows) and area (columns).
    top = max(table.total_row + 6, table.head + 24)
    ws.write_string(top, 0, spec.render(c.matrix_title, year=year), fmt.heading)
    area_labels = [city.area_label(a.key) for a in spec.areas]
    matrix_rows = []
    for district, per_area in districts.items():
        of_district = f"{cols.whole(DISTRICT)},{criterion(district)}"
        cells = [
            (
                f"=COUNTIFS({in_year},{of_district},{cols.whole(TEMPLATE_AREA)},"
                f'{criterion(label)},{cols.whole("action")},"<>")',
                per_area[area.key],
            )
            for area, label in zip(spec.areas, area_labels, strict=True)
        ]
        matrix_rows.append((district, cells))
    matrix = write_count_table(
        ws,
        fmt,
        top + 1,
        c.matrix_district_header,
        area_labels,
        matrix_rows,
        c.matrix_total_label,
        row_totals=True,
    )
    ws.set_row(matrix.head, 60)
    ws.set_column(0, 0, 44)
    ws.set_column(1, len(spec.areas) + 1, 15)
    totals = [sum(per.values()) for per in districts.values()]
    peak = max(totals, default=0)
    stacked = count_chart(
        wb, tab, matrix, spec.render(c.matrix_chart_title, year=year), peak, stacked=True
    )
    stacked.set_size({"width": 1000, "height": 480})
    ws.insert_chart(matrix.total_row + 2, 0, stacked, {"x_offset": 5, "y_offset": 10})
    if spec.status is not None:
        _write_follow_up(wb, ws, fmt, city, year, tab, cols, matrix.total_row + 30)
    print_landscape(
        ws,
        spec.render(spec.summary_footer, workbook_title=footer_text(title)),
        one_page=len(districts) <= ONE_PAGE_DISTRICTS,
    )


def _write_follow_up(
    wb: Workbook,
    ws: Worksheet,
    fmt: Formats,
    city: CityPlan,
    year: int,
    tab: str,
    cols: _Columns,
    top: int,
) -> None:
    """(c) Follow-up per district: actions, followed up and each status, a district x
    status matrix of COUNTIFS over the Åtgärder sheet, and its stacked chart."""
    spec = city.spec
    assert spec.status is not None
    f = spec.follow_up
    in_year = f"{cols.whole(YEAR)},{year}"
    rows = []
    for i, (district, count) in enumerate(city.district_follow_up(year).items()):
        where = f"{in_year},{cols.whole(DISTRICT)},{criterion(district)}"
        formulas = follow_up_formulas(
            cols.whole("action"),
            cols.whole("follow_up"),
            cols.whole(STATUS),
            spec.status.values,
            top + 3 + i,
            where=where,
        )
        cached = [count.actions, count.followed_up, *count.status.values()]
        rows.append((district, list(zip(formulas, cached, strict=True))))
    follow_up_block(
        wb,
        ws,
        fmt,
        spec,
        top,
        f["district_header"],
        rows,
        tab=tab,
        title=spec.render(f["city_title"], year=year),
        chart_title=spec.render(f["city_chart_title"], year=year),
    )


#: The Åtgärder table's judgement columns (quality by Brå's method): internal name ->
#: the key of its header in the spec's [quality] section.
MARKS = {
    "quality_measured": "measured",
    "quality_vague": "vague",
    "quality_open_ended": "open_ended",
    "quality_no_cause": "no_cause",
}


def _district_quality(
    city: CityPlan, judged: Mapping[str, Sequence[bool]]
) -> dict[tuple[int, str], QualityCount]:
    """(year, district) -> its quality figures, from the city's judged rows."""
    rows: dict[tuple[int, str], list[int]] = {}
    keys = zip(city.actions[YEAR].tolist(), city.actions[DISTRICT].tolist(), strict=True)
    for i, key in enumerate(keys):
        rows.setdefault(key, []).append(i)
    return {
        key: count_quality({c: [judged[c][i] for i in index] for c in judged})
        for key, index in rows.items()
    }


def _write_quality(
    ws: Worksheet,
    fmt: Formats,
    city: CityPlan,
    cols: _Columns,
    totals: Mapping[tuple[int, str], QualityCount],
) -> None:
    """The sheet Kvalitet: per year, one row per district and one column per criterion
    of Brå's method, each figure a COUNTIFS over the Åtgärder table (its text columns
    and its judgement columns) with its cached value, and the share of goals that name
    a measure as a live sentence."""
    spec = city.spec
    q = spec.quality
    yes = criterion(q["yes"])
    ws.write_string(0, 0, spec.render(q["sheet_title"], years=city.years_label()), fmt.title)
    ws.merge_range(1, 0, 2, 7, q["sheet_note"], fmt.note)
    headers = quality_headers(spec)
    top = 4
    for year in city.years:
        in_year = f"{cols.whole(YEAR)},{year}"
        rows = []
        first = top + 3  # 1-based row of the first district: title, header, then rows
        for i, plan in enumerate(city.plans_of(year)):
            district = plan.meta.district or ""
            where = f"{in_year},{cols.whole(DISTRICT)},{criterion(district)}"
            action = f'{where},{cols.whole("action")},"<>"'
            r = first + i
            formulas = [
                f"=COUNTIFS({action})",
                f'=COUNTIFS({action},{cols.whole("goal")},"<>")',
                f"=COUNTIFS({action},{cols.whole('quality_measured')},{yes})",
                f"=COUNTIFS({action},{cols.whole('quality_vague')},{yes})",
                f"=COUNTIFS({action},{cols.whole('quality_open_ended')},{yes})",
                f'=B{r}-COUNTIFS({action},{cols.whole("responsible")},"<>")',
                f"=COUNTIFS({where},{cols.whole('quality_no_cause')},{yes})",
            ]
            figures = totals.get((year, district), QualityCount()).figures
            rows.append((district, list(zip(formulas, figures, strict=True))))
        if len(city.years) > 1:
            ws.write_string(top, 0, spec.render(q["city_heading"], year=year), fmt.heading)
        table = write_count_table(
            ws, fmt, top + 1, q["district_header"], headers, rows, q["total_label"]
        )
        ws.set_row(table.head, 45)
        goals = sum(cells[1][1] for _d, cells in rows)
        measured = sum(cells[2][1] for _d, cells in rows)
        total = table.total_row + 1
        share = spec.render(q["measured_share"], measured=measured, goals=goals)
        ws.write_formula(
            table.total_row + 1,
            0,
            f'=D{total}&" av "&C{total}&" mål anger ett mått."',
            fmt.subtitle,
            share,
        )
        top = table.total_row + 4
    ws.set_column(0, 0, 30)
    ws.set_column(1, len(headers), 14)
    ws.freeze_panes(0, 1)
    print_landscape(ws, f"&L{footer_text(q['sheet'])}&Rsida &P av &N")


def _write_actions(
    ws: Worksheet,
    fmt: Formats,
    city: CityPlan,
    names: list[str],
    marks: dict[str, list[str]],
) -> None:
    spec = city.spec
    c = spec.city
    headers = _headers(spec, names)
    frame = city.actions
    n = len(frame)
    widths = [
        _WIDTHS.get(name) or (spec.column(name).width if name in spec.keys else EXTRA_WIDTH)
        for name in names
    ]
    numbers = {j for j, name in enumerate(names) if name in (YEAR, ROW)}
    # Column formats style every cell written without one (wrapped, top-aligned); the
    # table style draws the bands, so empty cells need not be written at all.
    for j, width in enumerate(widths):
        ws.set_column(j, j, width, fmt.number_cell if j in numbers else fmt.cell)
    if n:
        columns = [marks[name] if name in marks else frame[name].tolist() for name in names]
        for j, col in enumerate(columns):
            if j not in numbers and names[j] not in marks and XML_ILLEGAL.search("\n".join(col)):
                columns[j] = [xml_safe(v) for v in col]
        # Row heights from the texts (the numbers and the judgements' "Ja" fit a line).
        fitted = [j for j, name in enumerate(names) if j not in numbers and name not in marks]
        heights = row_heights([columns[j] for j in fitted], [widths[j] for j in fitted])
        for i, height in enumerate(heights, start=1):
            ws.set_row(i, height)
        write_string, write_number = ws.write_string, ws.write_number
        for j, col in enumerate(columns):
            if j in numbers:
                for i, v in enumerate(col, start=1):
                    write_number(i, j, v)
            elif names[j] in marks:  # "Ja" where a judgement holds: a few rows
                for i in [i for i, v in enumerate(col, start=1) if v]:
                    write_string(i, j, col[i - 1])
            else:
                for i, v in enumerate(col, start=1):
                    if v:
                        write_string(i, j, v)
    ws.add_table(
        0,
        0,
        max(n, 1),
        len(names) - 1,
        {
            "name": _table_name(c.actions_table),
            "style": TABLE_STYLE,
            "columns": [{"header": h, "header_format": fmt.header} for h in headers],
        },
    )
    ws.freeze_panes(1, 0)
    print_landscape(ws, f"&L{footer_text(c.actions_tab)}&Rsida &P av &N")
    ws.repeat_rows(0, 0)


def _headers(spec: Spec, names: list[str]) -> list[str]:
    """Swedish headers, unique as Excel tables need (case-insensitively)."""
    c = spec.city
    fixed = {
        **column_headers(spec),
        DISTRICT: c.district_header,
        YEAR: c.year_header,
        TEMPLATE_AREA: c.template_area_header,
        FILE: c.file_header,
        **{name: spec.quality[key] for name, key in MARKS.items()},
    }
    out: list[str] = []
    taken: set[str] = set()
    for name in names:
        header = xml_safe(" ".join(fixed.get(name, name).split())) or "Kolumn"
        base, k = header, 2
        while header.casefold() in taken:
            header = f"{base} ({k})"
            k += 1
        taken.add(header.casefold())
        out.append(header)
    return out


def _table_name(text: str) -> str:
    """An Excel table name: letters, digits and underscores, not like a cell reference."""
    name = "".join(ch if ch.isalnum() else "_" for ch in text) or "Tabell"
    return name if name[0].isalpha() or name[0] == "_" else "_" + name


def _write_files(ws: Worksheet, fmt: Formats, city: CityPlan, title: str) -> None:
    c = city.spec.city
    for j, header in enumerate(c.files_headers):
        ws.write_string(0, j, header, fmt.header)
    for i, f in enumerate(city.files, start=1):
        if f.status == "read":
            status = c.status_read
        elif f.status == "skipped":
            status = city.spec.render(c.status_skipped, reason=city.spec.error_text(f.code, f.data))
        else:
            status = city.spec.render(c.status_failed, reason=city.spec.error_text(f.code, f.data))
        values: list[str | int | None] = [
            str(f.path),
            f.district,
            f.year,
            f.actions,
            f.errors,
            f.warnings,
            status,
        ]
        for j, v in enumerate(values):
            if v is None or v == "":
                ws.write_blank(i, j, None, fmt.cell)
            elif isinstance(v, int):
                ws.write_number(i, j, v, fmt.number_cell)
            else:
                ws.write_string(i, j, xml_safe(v), fmt.cell)
    for j, width in enumerate((50, 22, 7, 10, 7, 10, 70)):
        ws.set_column(j, j, width)
    ws.autofilter(0, 0, max(len(city.files), 1), len(c.files_headers) - 1)
    ws.freeze_panes(1, 0)
    print_landscape(ws, f"&L{footer_text(title)}&Rsida &P av &N")
