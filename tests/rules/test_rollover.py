"""blank_plan and next_year (issue #4)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE, KEYS, SPEC, TITLES, action

from converter import blank_plan, next_year, plan_from_records, read_plan, write_plan


def test_blank_plan_has_every_area_and_no_action() -> None:
    plan = blank_plan(2027, "Skarpnäck")
    assert list(plan.frames) == TITLES
    assert len(plan.actions) == 0
    assert (plan.meta.year, plan.meta.district) == (2027, "Skarpnäck")


def test_blank_template_reads_back_empty(tmp_path: Path) -> None:
    out = write_plan(blank_plan(2027, "Skarpnäck"), tmp_path / "t.xlsx", blank_rows=SPEC.blank_rows)
    plan = read_plan(out)
    assert list(plan.frames) == TITLES and len(plan.actions) == 0
    assert (plan.meta.year, plan.meta.district) == (2027, "Skarpnäck")
    wb = openpyxl.load_workbook(out)
    ws = wb["Otrygga platser"]
    # The formatted block to type in: borders and wrapping on the empty rows.
    cell = ws.cell(3 + SPEC.blank_rows - 1, 3)
    assert cell.border.left.style == "thin" and cell.alignment.wrap_text
    # Help where the user types: each column's instruction as an input message.
    messages = {str(dv.sqref)[0]: dv.prompt for dv in ws.data_validations.dataValidation}
    assert messages["B"] == SPEC.column("cause").instruction
    assert len(messages) == 8
    assert wb.properties.title == "Åtgärdsplan 2027 – Skarpnäck"
    # The Status column: a drop-down of its four values, a Swedish input message, other
    # text let through with a warning (it is read as typed and reported), never refused.
    (status,) = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert str(status.sqref).startswith("H3:H")
    assert status.formula1 == '"Ej påbörjad,Pågående,Genomförd,Avbruten"'
    assert status.errorStyle == "warning" and status.showDropDown is not True
    assert status.error == (
        "Välj ett av värdena i listan: Ej påbörjad, Pågående, Genomförd, Avbruten. "
        "Annan text sparas som den skrivs men räknas som Annat."
    )
    assert status.prompt.startswith("Välj åtgärdens status i listan")
    assert ws["H1"].value == "Status"
    # A light fill per value, over text that names it (never colour alone).
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert sorted(r.formula[0] for r in rules) == ['"Avbruten"', '"Genomförd"', '"Pågående"']


def test_own_area_named_at_creation(tmp_path: Path) -> None:
    out = write_plan(blank_plan(2026, own_area="Trafiksäkerhet"), tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[5] == "Trafiksäkerhet"
    assert wb["Trafiksäkerhet"]["A1"].value == "Trafiksäkerhet"
    assert wb["Sammanställning"]["A10"].value == "Trafiksäkerhet"
    assert list(read_plan(out).frames)[5] == "Trafiksäkerhet"


def test_next_year_of_the_example(tmp_path: Path) -> None:
    old = read_plan(EXAMPLE)
    statuses = ["Genomförd", "Pågående", "", "Avbruten"] * 5 + ["Ej påbörjad", "Ej klar"]
    old = old.with_actions(old.actions.assign(status=statuses))
    new = next_year(old)
    assert (new.actions["status"] == "").all()
    assert new.actions["Status 2025"].tolist() == statuses
    assert new.meta.previous_columns == ("Uppföljning 2025", "Status 2025")
    assert new.meta.year == 2026 and new.meta.district == "Norra innerstaden"
    assert len(new.actions) == 22
    assert (new.actions["follow_up"] == "").all()
    assert new.actions["Uppföljning 2025"].tolist() == old.actions["follow_up"].tolist()
    for key in KEYS[:-1]:
        assert new.actions[key].tolist() == old.actions[key].tolist()
    out = write_plan(new, tmp_path / "n.xlsx", previous_follow_up="Uppföljning 2025")
    back = read_plan(out)
    assert back.meta.year == 2026
    assert (back.actions["follow_up"] == "").all()
    assert back.actions["Uppföljning 2025"].tolist() == old.actions["follow_up"].tolist()
    assert back.actions["Status 2025"].tolist() == statuses
    ws = openpyxl.load_workbook(out)["Unga i riskzon"]
    assert ws["H1"].value == "Status" and ws["I1"].value == "Uppföljning 2025"
    assert ws["J1"].value == "Status 2025" and ws["J3"].value == "Genomförd"
    for cell in ("I3", "J3"):  # grey: last year's, for reading
        assert ws[cell].fill.fgColor.rgb.endswith("EDEDED")
    assert not ws["H3"].fill.fgColor.rgb.endswith("EDEDED")
    assert openpyxl.load_workbook(out).properties.title == "Åtgärdsplan 2026 – Norra innerstaden"


def test_next_year_empties_extra_columns_and_can_drop_follow_up() -> None:
    plan = plan_from_records([{"area": TITLES[0], **action(1), "Prioritet": "Klar"}], year=2025)
    new = next_year(plan, 2027, keep_follow_up=False)
    assert new.meta.year == 2027
    assert new.extra_columns == ["Prioritet"]
    assert new.actions["Prioritet"].tolist() == [""]
    assert new.actions["follow_up"].tolist() == [""]


def test_next_year_of_a_plan_without_year() -> None:
    plan = plan_from_records([{"area": TITLES[0], **action(1)}])
    new = next_year(plan)
    assert new.meta.year == dt.date.today().year + 1
    assert any("year is unknown" in n for n in new.meta.notes)


def test_blank_plan_rejects_own_area_for_a_spec_without_one(tmp_path: Path) -> None:
    text = SPEC.path.read_text(encoding="utf-8").replace("own = true", "own = false")
    (tmp_path / "s.toml").write_text(text, encoding="utf-8")
    from converter import load_spec

    with pytest.raises(ValueError, match=r"^this spec has no own \(renamable\) area$"):
        blank_plan(2026, spec=load_spec(tmp_path / "s.toml"), own_area="X")


def test_next_year_puts_last_years_follow_up_first_and_once() -> None:
    """The previous follow-up is the first extra column, before the plan's own ones, and
    rolling to the same year again does not make it twice (#13)."""
    plan = plan_from_records(
        [{"area": TITLES[0], **action(1, follow_up="Klar"), "Prioritet": "Pågår"}], year=2025
    )
    new = next_year(plan)
    assert new.extra_columns == ["Uppföljning 2025", "Status 2025", "Prioritet"]
    again = next_year(new, 2026)
    assert again.extra_columns == ["Uppföljning 2025", "Status 2025", "Prioritet"]
    assert again.actions["Uppföljning 2025"].tolist() == [""]  # the rolled plan's follow-up


def test_next_year_forgets_where_last_years_workbook_had_things(tmp_path: Path) -> None:
    """Next year's plan is checked as a new workbook: no stale summary, no sheet of the
    old file reported as unread or unmatched, no old cell places (#13)."""
    import shutil

    from conftest import write_area

    from converter import check_plan

    path = tmp_path / "Åtgärdsplan 2025 Norra innerstaden.xlsx"
    shutil.copy(EXAMPLE, path)
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("Anteckningar")["A1"] = "att göra"
    write_area(wb.create_sheet("Trafik"), "Trafiksäkerhet", [action(1)])
    wb.create_sheet("Listor").sheet_state = "hidden"
    wb.save(path)
    old = read_plan(path)
    assert old.meta.sheets and old.meta.summary_found is not None
    assert old.meta.unrecognised_sheets == ("Anteckningar",)
    assert old.meta.unmatched_area_sheets == ("Trafik",)
    assert old.meta.ignored_sheets == ("Listor",)
    assert {"summary-stale", "sheet-not-read", "area-unmatched"} <= {
        f.code for f in check_plan(old)
    }
    new = next_year(old)
    assert new.meta.sheets == () and new.meta.summary_found is None
    assert new.meta.unrecognised_sheets == () and new.meta.unmatched_area_sheets == ()
    assert new.meta.ignored_sheets == ()
    assert {f.code for f in check_plan(new)} <= {"timeframe-year"}
