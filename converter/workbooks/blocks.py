"""Building blocks every workbook writer uses: the look, a table of counted figures with
live formulas and cached values and its native column chart, the Sammanställning's
block of both, row heights that fit the text, and Excel's cell limit.

A district's Sammanställning and the city's are drawn by the same code, so management
reads them the same way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.chart import Chart
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..errors import OutputError
from ..plan import AREA, ROW, SHEET
from ..rules.checks import EXCEL_CELL_LIMIT
from ..rules.follow_up import follow_up_headers
from ..spec import Column, Spec
from ..text import column_letter, xml_safe

# Colours and fonts of the official template's look.
HEADER_FILL = "#DDEBF7"
INSTRUCTION_GREY = "#7F7F7F"
PREVIOUS_FILL = "#EDEDED"
BORDER_GREY = "#A6A6A6"
#: A light fill per status, over text that always says it (colour is never the only
#: sign): done green, under way yellow, cancelled grey; not started stays white.
STATUS_FILLS = ("#FFFFFF", "#FFF2CC", "#E2EFDA", "#EDEDED")
#: The status chart's series: not started, under way, done, cancelled, not given,
#: other. Told apart by the legend and the table as well as by colour.
STATUS_CHART_COLOURS = ("#8EA9DB", "#FFC000", "#548235", "#7F7F7F", "#D9D9D9", "#7030A0")
A4 = 9


#: The functions xlsxwriter prefixes with "_xlfn." in a formula (dynamic arrays): a
#: formula naming none of them is left as it is.
_DYNAMIC_FUNCTIONS = re.compile(
    r"\b(?:ANCHORARRAY|BYCOL|BYROW|CHOOSECOLS|CHOOSEROWS|DROP|EXPAND|FILTER|HSTACK|LAMBDA"
    r"|MAKEARRAY|MAP|RANDARRAY|REDUCE|SCAN|SINGLE|SEQUENCE|SORT|SORTBY|SWITCH|TAKE|TEXTSPLIT"
    r"|TOCOL|TOROW|UNIQUE|VSTACK|WRAPCOLS|WRAPROWS|XLOOKUP)\("
)


class FormulaSheet(Worksheet):  # type: ignore[misc]  # xlsxwriter is untyped here
    """xlsxwriter's worksheet, preparing a formula without its 30 regular expressions
    when the formula names none of the functions they rewrite. Ours are COUNTA,
    COUNTIFS and SUM: the 15,000 formulas of a city workbook of 1,000 districts took
    1.2 s to prepare, now 0.05 s. The result is the same text (a test compares the
    two on every formula we write and on dynamic ones)."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        if expand_future_functions or _DYNAMIC_FUNCTIONS.search(formula):
            prepared: str = super()._prepare_formula(formula, expand_future_functions)
            return prepared
        if formula.startswith("{"):
            formula = formula[1:]
        if formula.startswith("="):
            formula = formula[1:]
        if formula.endswith("}"):
            formula = formula[:-1]
        return formula


def new_workbook(path: Path) -> Workbook:
    """An xlsxwriter workbook that never turns a string into a number, formula or link."""
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "use_future_functions": False,
        },
    )
    wb.worksheet_class = FormulaSheet
    return wb


class Formats:
    def __init__(self, wb: Workbook) -> None:
        border = {"border": 1, "border_color": BORDER_GREY}
        base = {"font_name": "Calibri", "font_size": 10, "valign": "top", "text_wrap": True}
        self.header = wb.add_format(
            {**base, **border, "bold": True, "font_size": 11, "bg_color": HEADER_FILL}
        )
        self.instruction = wb.add_format(
            {**base, **border, "italic": True, "font_size": 8, "font_color": INSTRUCTION_GREY}
        )
        self.cell = wb.add_format({**base, **border})
        self.number_cell = wb.add_format({**base, **border, "num_format": "0"})
        self.previous = wb.add_format(
            {**base, **border, "bg_color": PREVIOUS_FILL, "font_color": "#595959"}
        )
        self._wb = wb
        self._fills: dict[str, Format] = {}
        self.title = wb.add_format({"bold": True, "font_size": 16, "font_name": "Calibri"})
        self.heading = wb.add_format({"bold": True, "font_size": 13, "font_name": "Calibri"})
        self.subtitle = wb.add_format({"font_size": 11, "font_name": "Calibri", "italic": True})
        middle = {**border, "valign": "vcenter", "font_name": "Calibri"}
        self.table_header = wb.add_format(
            {**middle, "bold": True, "bg_color": HEADER_FILL, "text_wrap": True}
        )
        self.table_area = wb.add_format({**middle, "text_wrap": True})
        self.table_number = wb.add_format({**middle, "num_format": "0", "align": "center"})
        self.total_label = wb.add_format({**middle, "bold": True, "top": 2})
        self.total_number = wb.add_format(
            {**middle, "bold": True, "num_format": "0", "align": "center", "top": 2}
        )
        self.note = wb.add_format(
            {
                "italic": True,
                "font_size": 8,
                "font_color": INSTRUCTION_GREY,
                "text_wrap": True,
                "valign": "top",
                "font_name": "Calibri",
            }
        )

    def status_fill(self, colour: str) -> Format:
        """A conditional format's fill (made once per colour)."""
        if colour not in self._fills:
            self._fills[colour] = self._wb.add_format({"bg_color": colour})
        return self._fills[colour]


def status_looks(
    ws: Worksheet, fmt: Formats, column: Column, first: int, col: int, last: int
) -> None:
    """Fill each allowed value's cells in its light colour (conditional formats, so a
    value chosen later in Excel gets its colour too)."""
    for value, fill in zip(column.values, STATUS_FILLS, strict=False):
        if fill == "#FFFFFF":
            continue
        ws.conditional_format(
            first,
            col,
            last,
            col,
            {
                "type": "cell",
                "criteria": "==",
                "value": '"' + value.replace('"', '""') + '"',
                "format": fmt.status_fill(fill),
            },
        )


@dataclass(frozen=True)
class CountTable:
    """Where a written count table lies (0-based rows), for its chart."""

    head: int
    first: int
    last: int
    total_row: int
    columns: int  # counted columns, without a row-total column


def write_count_table(
    ws: Worksheet,
    fmt: Formats,
    head: int,
    corner: str,
    headers: Sequence[str],
    rows: Sequence[tuple[str, Sequence[tuple[str, int]]]],
    total_label: str,
    *,
    row_totals: bool = False,
) -> CountTable:
    """A table of figures: each cell a formula with its cached value, totals as SUMs.

    ``rows`` are (label, [(formula, cached value), ...]); ``row_totals`` adds a total
    column at the right.
    """
    ws.write_string(head, 0, xml_safe(corner), fmt.table_header)
    for j, text in enumerate(headers, start=1):
        ws.write_string(head, j, xml_safe(text), fmt.table_header)
    n = len(headers)
    if row_totals:
        ws.write_string(head, n + 1, total_label, fmt.table_header)
    first = head + 1
    for i, (label, cells) in enumerate(rows):
        r = first + i
        ws.write_string(r, 0, xml_safe(label), fmt.table_area)
        for j, (formula, value) in enumerate(cells, start=1):
            ws.write_formula(r, j, formula, fmt.table_number, value)
        if row_totals:
            ws.write_formula(
                r,
                n + 1,
                f"=SUM(B{r + 1}:{column_letter(n)}{r + 1})",
                fmt.total_number,
                sum(v for _f, v in cells),
            )
    last = first + len(rows) - 1
    total_row = last + 1
    ws.write_string(total_row, 0, total_label, fmt.total_label)
    for j in range(1, n + (2 if row_totals else 1)):
        letter = column_letter(j)
        value = sum(
            (sum(v for _f, v in cells) if j == n + 1 else cells[j - 1][1]) for _l, cells in rows
        )
        ws.write_formula(
            total_row,
            j,
            f"=SUM({letter}{first + 1}:{letter}{max(last, first) + 1})" if rows else "=0",
            fmt.total_number,
            value,
        )
    return CountTable(head, first, last, total_row, n)


def summary_block(
    wb: Workbook,
    ws: Worksheet,
    fmt: Formats,
    spec: Spec,
    rows: Sequence[tuple[str, Sequence[tuple[str, int]]]],
    *,
    tab: str,
    note: str,
    head: int = 3,
) -> CountTable:
    """The Sammanställning's table of figures per area (``rows``: label and formula
    cells), its note and its clustered column chart beside it: one block for a
    district's workbook and the city's alike."""
    s = spec.summary
    headers = [c.header for c in s.counts]
    table = write_count_table(ws, fmt, head, s.area_header, headers, rows, s.total_label)
    ws.set_row(table.head, 45)
    for r in range(table.first, table.last + 1):
        ws.set_row(r, 30)
    if note:
        ws.merge_range(table.total_row + 2, 0, table.total_row + 3, len(s.counts), note, fmt.note)
    peak = max((n for _, cells in rows for _, n in cells), default=0)
    chart = count_chart(wb, tab, table, s.chart_title, peak)
    chart.set_size({"width": 760, "height": 440})
    ws.insert_chart(table.head, len(s.counts) + 2, chart, {"x_offset": 10, "y_offset": 0})
    return table


def criterion(text: str) -> str:
    """A COUNTIFS criterion matching exactly ``text``: wildcards and operators escaped,
    quotes doubled, as a formula string literal."""
    escaped = text.replace("~", "~~").replace("*", "~*").replace("?", "~?")
    return '"=' + escaped.replace('"', '""') + '"'


def follow_up_formulas(
    action: str, follow_up: str, status: str, values: Sequence[str], row: int, *, where: str = ""
) -> list[str]:
    """The formulas of one row of the follow-up table (1-based ``row``), over the
    ranges of the action, follow-up and status columns (``where``: more COUNTIFS
    conditions, "year,2025,district,…"): actions, followed up, each value, Ej angiven
    (actions without a status) and Annat (a status that is none of the values)."""
    cond = f"{where}," if where else ""
    has_action = f'{cond}{action},"<>"'
    first, last = column_letter(3), column_letter(2 + len(values))
    with_status = f'COUNTIFS({has_action},{status},"<>")'
    return [
        f"=COUNTIFS({has_action})",
        f'=COUNTIFS({has_action},{follow_up},"<>")',
        *(f"=COUNTIFS({has_action},{status},{criterion(v)})" for v in values),
        f"=B{row}-{with_status}",
        f"={with_status}-SUM({first}{row}:{last}{row})",
    ]


def follow_up_block(
    wb: Workbook,
    ws: Worksheet,
    fmt: Formats,
    spec: Spec,
    top: int,
    corner: str,
    rows: Sequence[tuple[str, Sequence[tuple[str, int]]]],
    *,
    tab: str,
    title: str,
    chart_title: str,
) -> tuple[CountTable, int]:
    """The follow-up table (``rows``: label and, per column of ``follow_up_headers``,
    formula and cached value) under its heading at row ``top``, its note, and a
    stacked chart of the statuses under it. Returns the table and the first row below
    the chart."""
    f = spec.follow_up
    ws.write_string(top, 0, title, fmt.heading)
    headers = follow_up_headers(spec)
    table = write_count_table(ws, fmt, top + 1, corner, headers, rows, f["total_label"])
    ws.set_row(table.head, 45)
    for r in range(table.first, table.last + 1):
        ws.set_row(r, 30)
    ws.set_row(table.total_row, 22)
    below = table.total_row + 2
    if f.get("note"):
        ws.merge_range(below, 0, below + 1, min(len(headers), 6), f["note"], fmt.note)
        ws.set_row(below, 24)
        below += 3
    peak = max((sum(n for _f, n in cells[2:]) for _l, cells in rows), default=0)
    chart = count_chart(
        wb,
        tab,
        table,
        chart_title,
        peak,
        stacked=True,
        series=range(3, len(headers) + 1),
        colours=STATUS_CHART_COLOURS,
    )
    chart.set_size({"width": 900, "height": 420})
    ws.insert_chart(below, 0, chart, {"x_offset": 5, "y_offset": 5})
    return table, below + 22


def nice_step(maximum: int) -> int:
    """A whole-number axis step giving at most about ten gridlines."""
    if maximum <= 10:
        return 1
    raw = maximum / 10
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * magnitude >= raw:
            return int(m * magnitude)
    return int(10 * magnitude)


def count_chart(
    wb: Workbook,
    tab: str,
    table: CountTable,
    title: str,
    peak: int,
    *,
    stacked: bool = False,
    series: range | None = None,
    colours: Sequence[str] = (),
) -> Chart:
    """A native column chart of a count table, one series per counted column over its
    rows (or the columns of ``series``), clustered (with data labels) or stacked; axis
    from 0 in whole steps."""
    chart = wb.add_chart({"type": "column", "subtype": "stacked" if stacked else "clustered"})
    assert chart is not None
    columns = series if series is not None else range(1, table.columns + 1)
    for i, j in enumerate(columns):
        options: dict[str, object] = {
            "name": [tab, table.head, j],
            "categories": [tab, table.first, 0, table.last, 0],
            "values": [tab, table.first, j, table.last, j],
            "data_labels": {"value": not stacked},
            "gap": 80 if not stacked else 50,
        }
        if i < len(colours):
            options["fill"] = {"color": colours[i]}
            options["border"] = {"color": "#FFFFFF"}
        chart.add_series(options)
    chart.set_title({"name": title, "name_font": {"size": 14, "bold": True}})
    chart.set_y_axis(
        {
            "min": 0,
            "major_unit": nice_step(peak),
            "num_format": "0",
            "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
        }
    )
    chart.set_x_axis({"num_font": {"size": 9}})
    chart.set_legend({"position": "bottom"})
    return chart


def print_landscape(ws: Worksheet, footer: str, *, one_page: bool = False) -> None:
    """A4 landscape, one page wide (and tall with ``one_page``), a footer."""
    ws.set_paper(A4)
    ws.set_landscape()
    ws.fit_to_pages(1, 1 if one_page else 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer(footer[:255])


def footer_text(text: str) -> str:
    """Escape an Excel header/footer text: a lone & starts a control code."""
    return text.replace("&", "&&")


# -- row heights and cell lengths -------------------------------------------------------

# Row heights: Excel and LibreOffice do not fit wrapped rows to their text when a file
# is opened, so each row's height is estimated from its text and the column widths.
LINE_POINTS = {10: 13.0, 8: 10.5, 11: 14.5}  # line height by font size
CHARS_PER_WIDTH = {10: 1.22, 8: 1.5, 11: 1.05}  # characters per column-width unit
MAX_ROW_POINTS = 409.0  # Excel's largest row height


def check_lengths(frame: pd.DataFrame, blame: Path | Callable[[int], Path]) -> None:
    """Refuse a text over Excel's cell limit, naming its sheet, row and column.

    ``blame`` is the file to name, or a function giving it for a row of ``frame``.
    """
    for name in frame.columns:
        if not len(frame) or not pd.api.types.is_string_dtype(frame[name]):
            continue
        lengths = [len(v) for v in frame[name].tolist()]
        longest = max(lengths)
        if longest > EXCEL_CELL_LIMIT:
            i = lengths.index(longest)
            row = int(frame[ROW].tolist()[i])
            where = f"sheet {frame[SHEET].tolist()[i] or frame[AREA].tolist()[i]!r}"
            if row:
                where += f" row {row}"
            raise OutputError(
                f"{where}, column {name!r}: text of {longest:,} characters is over "
                f"Excel's cell limit of {EXCEL_CELL_LIMIT:,}",
                blame(i) if callable(blame) else blame,
                code="text-too-long",
                length=longest,
                limit=EXCEL_CELL_LIMIT,
            )


def _lines(text: str, per_line: int) -> int:
    if "\n" not in text:
        return -(-len(text) // per_line) or 1
    return sum(-(-len(part) // per_line) or 1 for part in text.split("\n"))


def row_height(texts: Sequence[str], widths: Sequence[float], size: int = 10) -> float:
    """Points needed to show every text of one row wrapped in its column."""
    return row_heights([[t] for t in texts], widths, size)[0]


def row_heights(
    columns: Sequence[Sequence[str]], widths: Sequence[float], size: int = 10
) -> list[float]:
    """Points each row needs to show its texts wrapped in their columns (vectorised)."""
    factor = CHARS_PER_WIDTH[size]
    lines = np.ones(len(columns[0]) if columns else 0, dtype=np.int64)
    for col, width in zip(columns, widths, strict=False):
        per_line = max(int(width * factor) - 1, 1)
        texts = pd.Series(col, dtype=object)
        n = np.maximum(-(-texts.str.len().to_numpy(dtype=np.int64) // per_line), 1)
        multi = texts.str.contains("\n", regex=False).to_numpy(dtype=bool)
        for i in np.flatnonzero(multi).tolist():
            n[i] = _lines(col[i], per_line)
        np.maximum(lines, n, out=lines)
    heights: list[float] = np.minimum(lines * LINE_POINTS[size] + 4.0, MAX_ROW_POINTS).tolist()
    return heights
