"""Building blocks both workbook writers use: the look, a table of counted figures with
live formulas and cached values, and its native column chart.

A district's Sammanställning and the city's are drawn by the same code, so management
reads them the same way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from xlsxwriter.chart import Chart
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..text import column_letter, xml_safe

# Colours and fonts of the official template's look.
HEADER_FILL = "#DDEBF7"
INSTRUCTION_GREY = "#7F7F7F"
PREVIOUS_FILL = "#EDEDED"
BORDER_GREY = "#A6A6A6"
A4 = 9


def new_workbook(path: Path) -> Workbook:
    """An xlsxwriter workbook that never turns a string into a number, formula or link."""
    return xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "use_future_functions": False,
        },
    )


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
) -> Chart:
    """A native column chart of a count table, one series per counted column over its
    rows, clustered (with data labels) or stacked; axis from 0 in whole steps."""
    chart = wb.add_chart({"type": "column", "subtype": "stacked" if stacked else "clustered"})
    assert chart is not None
    for j in range(1, table.columns + 1):
        chart.add_series(
            {
                "name": [tab, table.head, j],
                "categories": [tab, table.first, 0, table.last, 0],
                "values": [tab, table.first, j, table.last, j],
                "data_labels": {"value": not stacked},
                "gap": 80 if not stacked else 50,
            }
        )
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
