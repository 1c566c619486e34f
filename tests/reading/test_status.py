"""The Status column as people type it (#19): every variant of a status, blank, unknown,
the column moved, missing or twice, and a spec without the column at all."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import KEYS, SPEC, TITLES, action, write_area

from converter import check_plan, load_spec, read_plan, write_plan
from converter.rules.checks import WARNING

TYPED = {
    "Genomförd": "Genomförd",
    "genomförd.": "Genomförd",
    "GENOMFÖRD": "Genomförd",
    "klar": "Genomförd",
    "Klart.": "Genomförd",
    " avslutad ": "Genomförd",
    "Pågående": "Pågående",
    "pågår": "Pågående",
    "Påbörjad": "Pågående",
    "Löpande": "Pågående",
    "pagaende": "Pågående",  # typed without å/ä/ö
    "Ej påbörjad": "Ej påbörjad",
    "ej startad": "Ej påbörjad",
    "Inte  påbörjad": "Ej påbörjad",
    "Avbruten": "Avbruten",
    "Inställd": "Avbruten",
    "stoppad.": "Avbruten",
    "": "",
}
UNKNOWN = ["Väntar på beslut", "Delvis", "=1+1", "50 %"]


def _workbook(tmp_path: Path, keys: list[str], statuses: list[str], header: str = "Status") -> Path:
    wb = openpyxl.Workbook()
    rows = [action(i, status=s) for i, s in enumerate(statuses)]
    write_area(wb.active, TITLES[0], rows, keys=keys, headers={"status": header})
    wb.active.title = SPEC.areas[0].tab
    path = tmp_path / "Åtgärdsplan 2025 Farsta.xlsx"
    wb.save(path)
    return path


def test_every_variant_is_read_as_its_status_and_unknown_text_as_typed(tmp_path: Path) -> None:
    typed = [*TYPED, *UNKNOWN]
    plan = read_plan(_workbook(tmp_path, [*KEYS, "status"], typed))
    assert plan.actions["status"].tolist() == [*TYPED.values(), *UNKNOWN]
    findings = [f for f in check_plan(plan) if f.code == "status-unknown"]
    first = 3 + len(TYPED)  # the header, the instruction row, then the actions
    assert [(f.severity, f.place) for f in findings] == [
        (WARNING, f"'Unga i riskzon'!H{first + i}") for i in range(len(UNKNOWN))
    ]
    assert findings[0].data["text"] == "Väntar på beslut"
    assert "Väntar på beslut" in findings[0].message


@pytest.mark.parametrize("header", ["status", " STATUS ", "Status för åtgärden"])
def test_the_column_is_found_before_the_follow_up_in_any_case(tmp_path: Path, header: str) -> None:
    keys = [k for k in KEYS if k != "follow_up"] + ["status", "follow_up"]
    plan = read_plan(_workbook(tmp_path, keys, ["klar", "Pågår"], header=header))
    assert plan.actions["status"].tolist() == ["Genomförd", "Pågående"]
    assert plan.actions["follow_up"].tolist() == [action(0)["follow_up"], action(1)["follow_up"]]
    assert plan.meta.sheets[0].columns["status"] == 6  # column G, where it was typed
    assert [f.place for f in check_plan(plan) if f.code == "status-unknown"] == []


def test_a_workbook_without_the_column_reads_blank_statuses(tmp_path: Path) -> None:
    plan = read_plan(_workbook(tmp_path, KEYS, ["", ""]))
    assert plan.actions["status"].tolist() == ["", ""]
    assert not [f for f in check_plan(plan) if f.code in ("status-unknown", "column-repeated")]


def test_a_second_status_column_is_kept_as_an_extra_and_reported(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SPEC.areas[0].tab
    rows = [{**action(1, status="Klar"), "Status (gammal)": "pågår"}]
    write_area(ws, TITLES[0], rows, keys=[*KEYS, "status"], extras=["Status (gammal)"])
    ws.cell(1, 9).value = "Status"  # the second column has the same header
    wb.save(tmp_path / "två.xlsx")
    plan = read_plan(tmp_path / "två.xlsx", year=2025)
    assert plan.actions["status"].tolist() == ["Genomförd"]
    assert plan.extra_columns == ["Status"]
    assert plan.actions["Status"].tolist() == ["pågår"]  # an extra column: kept as typed
    repeated = [f for f in check_plan(plan) if f.code == "column-repeated"]
    assert [(f.severity, f.place) for f in repeated] == [(WARNING, "'Unga i riskzon'!I1")]


def test_a_formula_like_status_stays_text_in_every_output(tmp_path: Path) -> None:
    from converter import to_csv

    plan = read_plan(_workbook(tmp_path, [*KEYS, "status"], ['=HYPERLINK("x")']))
    assert plan.actions["status"].tolist() == ['=HYPERLINK("x")']
    out = write_plan(plan, tmp_path / "ut.xlsx")
    cell = openpyxl.load_workbook(out)[SPEC.areas[0].tab]["H3"]
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"
    assert "'=HYPERLINK" in to_csv(plan)  # defused for spreadsheets, as the other columns


def test_a_spec_without_the_status_column_works_as_before(tmp_path: Path) -> None:
    text = SPEC.path.read_text(encoding="utf-8")
    start = text.index('[[columns]]\nkey = "status"')
    end = text.index("# The priority areas")
    spec_path = tmp_path / "utan-status.toml"
    spec_path.write_text(text[:start] + text[end:], encoding="utf-8")
    spec = load_spec(spec_path)
    assert spec.status is None and "status" not in spec.keys
    source = _workbook(tmp_path, [*KEYS, "status"], ["Klar"])
    plan = read_plan(source, spec)
    assert "status" not in plan.actions.columns
    assert plan.actions["Status"].tolist() == ["Klar"]  # an extra column like any other
    out = write_plan(plan, tmp_path / "ut.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb[SPEC.areas[0].tab]["H1"].value == "Status"
    summary = wb[SPEC.summary.tab]
    texts = [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Uppföljning per område" not in texts
    assert len(summary._charts) == 1
