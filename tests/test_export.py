"""CSV, JSON and xlsx data exports (issues #2 and #5)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE, KEYS, TITLES, action

from converter import OutputError, plan_from_records, read_plan, to_csv, to_json, write_export
from converter.export import defuse

INJECTIONS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", '=HYPERLINK("http://evil")']


def test_json_is_an_array_with_exactly_the_keys() -> None:
    records = json.loads(to_json(read_plan(EXAMPLE)))
    assert len(records) == 22
    assert list(records[0]) == ["area", *KEYS, "sheet", "row"]
    assert records[0]["row"] == 3 and records[0]["sheet"] == "Unga"
    assert "å" in to_json(read_plan(EXAMPLE))  # unescaped UTF-8


def test_csv_defuses_formulas_by_default_and_raw_keeps_them() -> None:
    plan = plan_from_records(
        [{"area": TITLES[0], **action(i, follow_up=t)} for i, t in enumerate(INJECTIONS)]
    )
    rows = list(csv.DictReader(io.StringIO(to_csv(plan))))
    assert [r["follow_up"] for r in rows] == ["'" + t for t in INJECTIONS]
    raw = list(csv.DictReader(io.StringIO(to_csv(plan, raw=True))))
    assert [r["follow_up"] for r in raw] == INJECTIONS
    assert defuse("Polisen") == "Polisen" and defuse("-") == "'-"


def test_csv_keeps_line_breaks_and_quotes(tmp_path: Path) -> None:
    text = 'Rad ett\nRad "två", tre'
    plan = plan_from_records([{"area": TITLES[0], **action(1, goal=text)}])
    out = write_export(plan, tmp_path / "a.csv")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert rows[0]["goal"] == text


def test_xlsx_export_is_a_flat_table_of_strings(tmp_path: Path) -> None:
    plan = plan_from_records([{"area": TITLES[0], **action(1, follow_up="=1+1", goal="007")}])
    out = write_export(plan, tmp_path / "a.xlsx")
    ws = openpyxl.load_workbook(out).active
    header = [c.value for c in ws[1]]
    assert header == ["area", *KEYS, "sheet", "row"]
    values = {h: c for h, c in zip(header, ws[2], strict=True)}
    assert values["follow_up"].value == "=1+1" and values["follow_up"].data_type == "s"
    assert values["goal"].value == "007" and values["goal"].data_type == "s"


def test_export_refuses_to_clobber(tmp_path: Path) -> None:
    plan = read_plan(EXAMPLE)
    target = tmp_path / "a.json"
    target.write_text("old")
    with pytest.raises(OutputError):
        write_export(plan, target)
    assert target.read_text() == "old"
    write_export(plan, target, overwrite=True)
    assert len(json.loads(target.read_text())) == 22
