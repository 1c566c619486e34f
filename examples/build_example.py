"""Build the bundled example workbook from its transcription, the way a person made it.

    python examples/build_example.py

Reads ``atgardsplan-2025-norra-innerstaden.json`` (a clean transcription of the 2025
plan of Norra innerstaden) and writes ``atgardsplan-2025-norra-innerstaden.xlsx`` with
openpyxl, not with this project's writer, so that the reader is tested on a file the
writer did not make: short hand-chosen tab names, the area title as column A's header,
the grey instruction row, runs of repeated problem and cause text merged into one cell,
and the summary sheet exactly as found (stale figures and chart included).
"""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

HERE = Path(__file__).parent
SOURCE = HERE / "atgardsplan-2025-norra-innerstaden.json"
TARGET = HERE / "atgardsplan-2025-norra-innerstaden.xlsx"

# Tab names as the district typed them (not the spec's).
TABS = ["Unga", "Platser", "Systemhot", "Brottsoffer", "Kriminella miljöer", "Eget område"]
# The seed spells the third area "Systemhotade brottslighet" in its sheet header.
SHEET_TITLES = {"Systemhotande brottslighet": "Systemhotade brottslighet"}
WIDTHS = [24, 40, 44, 38, 18, 28, 48]

thin = Side(style="thin", color="808080")
BORDER = Border(left=thin, right=thin, top=thin, bottom=thin)
WRAP = Alignment(wrap_text=True, vertical="top")


def merge_runs(ws, col: int, first_row: int, values: list[str]) -> None:
    """Merge consecutive rows that repeat the same text, as people do by hand."""
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            if i - start > 1:
                ws.merge_cells(
                    start_row=first_row + start,
                    start_column=col,
                    end_row=first_row + i - 1,
                    end_column=col,
                )
            start = i


def build(source: Path = SOURCE, target: Path = TARGET) -> Path:
    data = json.loads(source.read_text(encoding="utf-8"))
    columns = data["columns"]
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = f"Åtgärdsplan {data['year']} – {data['district']}"
    wb.properties.creator = "Norra innerstadens stadsdelsförvaltning"

    for tab, area in zip(TABS, data["areas"], strict=True):
        ws = wb.create_sheet(tab)
        headers = [SHEET_TITLES.get(area["title"], area["title"])] + [
            c["header"] for c in columns[1:]
        ]
        for c, text in enumerate(headers, start=1):
            cell = ws.cell(row=1, column=c, value=text)
            cell.font = Font(bold=True, size=12)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = WRAP
            cell.border = BORDER
        for c, col in enumerate(columns, start=1):
            cell = ws.cell(row=2, column=c, value=col["instruction"])
            cell.font = Font(italic=True, size=8, color="808080")
            cell.alignment = WRAP
            cell.border = BORDER
        for r, row in enumerate(area["rows"], start=3):
            for c, col in enumerate(columns, start=1):
                cell = ws.cell(row=r, column=c)
                value = row[col["key"]]
                # A merged run keeps its text in the top cell only, as Excel does.
                above = area["rows"][r - 4][col["key"]] if r > 3 else None
                if not (col["key"] in ("problem", "cause") and value == above):
                    cell.value = value
                cell.alignment = WRAP
                cell.border = BORDER
        for key, col in (("problem", 1), ("cause", 2)):
            merge_runs(ws, col, 3, [row[key] for row in area["rows"]])
        for c, width in enumerate(WIDTHS, start=1):
            ws.column_dimensions[chr(64 + c)].width = width
        ws.freeze_panes = "A3"

    found = data["summary_as_found"]
    ws = wb.create_sheet("Sammanställning")
    ws["A1"] = found["title"]
    ws["A1"].font = Font(bold=True, size=14)
    for c, text in enumerate(found["header"], start=1):
        ws.cell(row=3, column=c, value=text).font = Font(bold=True)
    for r, row in enumerate(found["rows"], start=4):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    ws.column_dimensions["A"].width = 42
    for col in "BCD":
        ws.column_dimensions[col].width = 16
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = found["chart_title"]
    last = 3 + len(found["rows"])
    chart.add_data(
        Reference(ws, min_col=2, max_col=4, min_row=3, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=4, max_row=last))
    chart.width, chart.height = 22, 11
    ws.add_chart(chart, "F3")

    wb.save(target)
    return target


if __name__ == "__main__":
    print(build())
