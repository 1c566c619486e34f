"""CSV, JSON and xlsx data exports (issues #2 and #5)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import ALL_KEYS, EXAMPLE, SPEC, TITLES, action, standard_workbook

from converter import OutputError, plan_from_records, read_plan, to_csv, to_json, write_export
from converter.workbooks.export import defuse

INJECTIONS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", '=HYPERLINK("http://evil")']


def test_json_is_an_array_with_exactly_the_keys() -> None:
    records = json.loads(to_json(read_plan(EXAMPLE)))
    assert len(records) == 22
    assert list(records[0]) == ["area", *ALL_KEYS, "sheet", "row"]
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
    assert header == ["area", *ALL_KEYS, "sheet", "row"]
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


def test_csv_for_swedish_excel_reads_back_exactly(tmp_path: Path, run_cli) -> None:
    """`--excel`: semicolons, UTF-8 with BOM, CRLF between rows, Swedish headers, the
    formula defusing kept; every text (with ;, quotes, line breaks) reads back (#12)."""
    texts = {
        "problem": "Otrygghet; kvällstid",
        "cause": 'Han sa "nej" – två gånger',
        "action": "Rad ett\nRad två\nRad tre",
        "goal": "=SUMMA(A1:A3)",
        "timeframe": "2025-03-01",
        "responsible": "Polis; förvaltning",
        "follow_up": "ÅÄÖ åäö é ü 🚓",
    }
    src = standard_workbook(tmp_path / "atgardsplan-2025-farsta.xlsx", {1: [texts, action(2)]})
    out = tmp_path / "data.csv"
    result = run_cli("read", src, "--excel", "-o", out)
    assert result.exit_code == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    body = raw[3:].decode("utf-8")
    assert body.count("\r\n") == 3  # header and two rows; line breaks in cells stay LF
    rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=";"))
    assert rows[0] == ["Område", *(c.header for c in SPEC.columns), "Blad", "Rad"]
    back = dict(zip(rows[0], rows[1], strict=True))
    assert back["Område"] == TITLES[1]
    for key, text in texts.items():
        expected = "'" + text if key == "goal" else text  # defused, as OWASP advises
        assert back[SPEC.column(key).header] == expected
    assert back["Blad"] == "Otrygga platser" and back["Rad"] == "3"
    piped = run_cli("read", src, "--excel")
    assert piped.stdout.startswith("\ufeffOmråde;")
    data = run_cli("read", src)  # the default stays the data-friendly CSV
    assert data.stdout.startswith("area,problem,cause")


def test_convert_writes_the_excel_csv_by_default(tmp_path: Path, run_cli) -> None:
    assert run_cli("convert", EXAMPLE, "--out", tmp_path / "a").exit_code == 0
    text = (tmp_path / "a" / f"{EXAMPLE.stem}.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("Område;Problemområde/utmaning;Orsak;")
    assert run_cli("convert", EXAMPLE, "--out", tmp_path / "b", "--data-csv").exit_code == 0
    text = (tmp_path / "b" / f"{EXAMPLE.stem}.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("area,problem,cause,")


def test_xlsx_export_is_a_table_people_can_filter(tmp_path: Path) -> None:
    """The data workbook: one sheet "Åtgärder", bold headers frozen above a filter over
    every column and row (#13)."""
    rows = [{"area": TITLES[0], **action(i), "Prioritet": "Klar"} for i in range(3)]
    out = write_export(plan_from_records(rows), tmp_path / "data.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Åtgärder"]
    ws = wb["Åtgärder"]
    header = [c.value for c in ws[1]]
    assert header[-1] == "Prioritet" and "row" in header
    assert all(c.font.b for c in ws[1]) and not ws["B2"].font.b
    assert ws.freeze_panes == "A2"
    last = openpyxl.utils.get_column_letter(len(header))
    assert ws.auto_filter.ref == f"A1:{last}4"
    empty = write_export(plan_from_records([]), tmp_path / "tom.xlsx")
    assert openpyxl.load_workbook(empty)["Åtgärder"].auto_filter.ref == f"A1:{chr(64 + 11)}2"


def test_json_is_indented_utf8_text() -> None:
    plan = plan_from_records([{"area": TITLES[0], **action(1, goal="Färre brott")}])
    text = to_json(plan)
    assert text.startswith('[\n  {\n    "area": "Unga i riskzon för destruktivt beteende",\n')
    assert '    "goal": "Färre brott",\n' in text and text.endswith("}\n]\n")


def test_csv_lines_end_as_excel_expects_and_extra_columns_keep_their_names() -> None:
    plan = plan_from_records([{"area": TITLES[0], **action(1), "Prioritet": "Klar"}])
    text = to_csv(plan, excel=True)
    lines = text.split("\r\n")
    assert len(lines) == 3 and lines[2] == ""  # header, one row, nothing after the last CRLF
    header = lines[0].split(";")
    assert header[-1] == "Prioritet" and "" not in header


def test_write_export_by_suffix_any_case_and_defused_by_default(tmp_path: Path) -> None:
    plan = plan_from_records([{"area": TITLES[0], **action(1, goal="=1+1")}])
    out = write_export(plan, tmp_path / "DATA.XLSX")
    assert openpyxl.load_workbook(out).sheetnames == ["Åtgärder"]
    csv_text = write_export(plan, tmp_path / "data.csv").read_text(encoding="utf-8-sig")
    assert "'=1+1" in csv_text
    raw = write_export(plan, tmp_path / "raw.csv", raw_csv=True).read_text(encoding="utf-8-sig")
    assert "'=1+1" not in raw and "=1+1" in raw
    with pytest.raises(
        ValueError, match=r"unknown export format 'pdf' \(choose csv, json or xlsx\)"
    ):
        write_export(plan, tmp_path / "data.pdf")
