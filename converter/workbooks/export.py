"""Data exports of a Plan's actions: CSV, JSON and a flat xlsx table.

CSV defuses formula injection by default, following OWASP's guidance: a cell that
begins with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading
apostrophe, so a spreadsheet shows it as text. ``raw=True`` writes every text exactly
(lossless, for programs). JSON and xlsx always hold the exact text (xlsx as explicit
string cells).
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import TextIO

import xlsxwriter

from ..output import atomic_path
from ..plan import ROW, Plan, column_headers
from ..text import xml_safe

FORMATS = ("csv", "json", "xlsx")
_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def defuse(text: str) -> str:
    """OWASP CSV-injection defence: prefix a formula-like cell with an apostrophe."""
    return "'" + text if text.startswith(_CSV_TRIGGERS) else text


def action_records(plan: Plan) -> list[dict[str, object]]:
    """The actions as a list of dicts (``row`` an int, everything else text)."""
    frame = plan.actions
    cols = list(frame.columns)
    out = []
    for values in frame.itertuples(index=False, name=None):
        rec = dict(zip(cols, values, strict=True))
        rec[ROW] = int(rec[ROW])
        out.append(rec)
    return out


def to_csv(plan: Plan, raw: bool = False, *, excel: bool = False) -> str:
    """The actions as CSV, one row per action, CRLF line ends.

    By default for programs: comma-separated, the column keys as headers. With
    ``excel``, what a Swedish Excel opens with a double click: semicolon-separated
    (Excel's list separator under a Swedish locale) under the template's Swedish
    headers. Formula-like cells get an apostrophe unless ``raw``.
    """
    buf = io.StringIO()
    _write_csv(plan, buf, raw, excel)
    return buf.getvalue()


def _write_csv(plan: Plan, out: TextIO, raw: bool, excel: bool) -> None:
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(swedish_headers(plan) if excel else list(plan.actions.columns))
    for values in plan.actions.itertuples(index=False, name=None):
        row = [str(v) for v in values]
        writer.writerow(row if raw else [defuse(v) for v in row])


def swedish_headers(plan: Plan) -> list[str]:
    """The actions' columns under the template's Swedish headers."""
    words = column_headers(plan.spec)
    return [words.get(name, name) for name in plan.actions.columns]


def to_json(plan: Plan) -> str:
    return json.dumps(action_records(plan), ensure_ascii=False, indent=2) + "\n"


def _write_json(plan: Plan, out: TextIO) -> None:
    """``to_json``'s text, written in pieces: a large plan's 27 MB never in memory."""
    for chunk in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(action_records(plan)):
        out.write(chunk)
    out.write("\n")


def write_export(
    plan: Plan,
    path: str | os.PathLike[str],
    fmt: str | None = None,
    *,
    overwrite: bool = False,
    raw_csv: bool = False,
    excel_csv: bool = False,
) -> Path:
    """Write the actions to ``path`` as csv, json or xlsx (from the extension by default).

    CSV files carry a UTF-8 byte-order mark so that Excel shows å, ä, ö right;
    ``excel_csv`` makes them Swedish Excel's (see ``to_csv``).
    """
    p = Path(path)
    fmt = (fmt or p.suffix.lstrip(".")).lower()
    if fmt in ("csv", "json"):  # written as made, never whole in memory
        with (
            atomic_path(p, overwrite) as tmp,
            tmp.open("w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as fh,
        ):
            if fmt == "csv":
                _write_csv(plan, fh, raw_csv, excel_csv)
            else:
                _write_json(plan, fh)
        return p
    if fmt == "xlsx":
        with atomic_path(p, overwrite) as tmp:
            _write_xlsx_table(plan, tmp)
        return p
    raise ValueError(f"unknown export format {fmt!r} (choose csv, json or xlsx)")


def _write_xlsx_table(plan: Plan, path: Path) -> None:
    wb = xlsxwriter.Workbook(
        str(path),
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    ws = wb.add_worksheet("Åtgärder")
    bold = wb.add_format({"bold": True})
    cols = list(plan.actions.columns)
    for c, name in enumerate(cols):
        ws.write_string(0, c, name, bold)
    row_col = cols.index(ROW)
    for r, values in enumerate(plan.actions.itertuples(index=False, name=None), start=1):
        for c, v in enumerate(values):
            if c == row_col:
                ws.write_number(r, c, int(v))
            elif v:
                ws.write_string(r, c, xml_safe(v))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(plan.actions), 1), len(cols) - 1)
    wb.close()
