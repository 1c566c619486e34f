"""check_plan findings: errors, warnings and places (issue #2)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from conftest import EXAMPLE, SPEC, TITLES, action, standard_workbook, write_area

from converter import check_plan, next_year, plan_from_records, read_plan
from converter.rules.checks import cell_ref, has_errors
from converter.text import column_letter
from converter.workbooks.plan_writer import placed


def codes(findings) -> list[tuple[str, str, str]]:
    return [(f.severity, f.code, f.place) for f in findings]


def test_example_reports_the_stale_summary() -> None:
    findings = check_plan(read_plan(EXAMPLE))
    assert codes(findings) == [
        ("error", "summary-stale", "'Sammanställning'!B4"),
        ("error", "summary-stale", "'Sammanställning'!C4"),
        ("error", "summary-stale", "'Sammanställning'!D4"),
    ]
    assert findings[0].message == (
        "Unga i riskzon för destruktivt beteende: Antal problem says 1, the sheet has 3"
    )
    assert has_errors(findings)


def test_missing_fields_and_other_years(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Platser"
    rows = [action(1, responsible=""), action(2, goal="", timeframe="Under 2024 och 2025")]
    first = write_area(
        ws,
        TITLES[1],
        rows,
        keys=["problem", "cause", "action", "goal", "responsible", "timeframe", "follow_up"],
    )
    wb.save(tmp_path / "atgardsplan-2025.xlsx")
    findings = check_plan(read_plan(tmp_path / "atgardsplan-2025.xlsx"))
    assert codes(findings) == [
        ("warning", "responsible-missing", f"'Platser'!E{first}"),
        ("warning", "goal-missing", f"'Platser'!D{first + 1}"),
        ("warning", "timeframe-year", f"'Platser'!F{first + 1}"),
    ]
    assert "names 2024, not the plan's year 2025" in findings[2].message
    assert not has_errors(findings)


def test_two_sheets_for_one_area_is_an_error(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    write_area(wb.active, TITLES[0], [action(1)])
    write_area(wb.create_sheet("Unga kopia"), TITLES[0], [action(2)])
    wb.save(tmp_path / "atgardsplan-2025.xlsx")
    findings = check_plan(read_plan(tmp_path / "atgardsplan-2025.xlsx"))
    assert codes(findings)[0] == ("error", "area-duplicate", "'Unga kopia'")


def test_unmatched_area_like_sheet_and_cover_sheet(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    write_area(wb.active, "Trafiksäkerhet", [action(1)])  # takes the own area
    write_area(wb.create_sheet("Extra"), "Nattliv", [action(2)])  # no area left for it
    wb.create_sheet("Om planen")["A1"] = "Kontakt: trygghetssamordnaren"
    wb.save(tmp_path / "atgardsplan-2025.xlsx")
    findings = check_plan(read_plan(tmp_path / "atgardsplan-2025.xlsx"))
    assert ("warning", "area-unmatched", "'Extra'!A1") in codes(findings)
    assert ("info", "sheet-not-read", "'Om planen'") in codes(findings)


def test_unknown_year_and_rolled_over_timeframes() -> None:
    plan = plan_from_records([{"area": TITLES[0], **action(1, timeframe="Under 2025")}])
    assert ("warning", "year-unknown", "") in codes(check_plan(plan))
    rolled = next_year(read_plan(EXAMPLE))
    review = [f for f in check_plan(rolled) if f.code == "timeframe-year"]
    assert len(review) == 3
    assert review[0].place == "'Unga i riskzon'"  # not written yet: the spec's tab, no cell


def test_control_characters_and_overlong_text_are_reported() -> None:
    plan = plan_from_records(
        [{"area": TITLES[0], **action(1, goal="a\x02b", cause="x" * 40_000)}], year=2025
    )
    found = {f.code: f for f in check_plan(plan)}
    assert found["text-too-long"].severity == "error"
    assert "40,000 characters" in found["text-too-long"].message
    assert "U+0002" in found["control-character"].message


def test_cell_references() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    assert cell_ref("Kvinnor's frid", 1, 7) == "'Kvinnor''s frid'!B7"


def test_every_finding_as_the_command_line_and_the_page_say_it(tmp_path: Path) -> None:
    """Each finding's English line (the command line) and Swedish text (the report and
    the web page, from its code and values): exact, so a changed value, key or word
    shows (#10, #13)."""
    from converter.documents.messages import finding_text

    records = [
        {"area": TITLES[0], **action(1, responsible="", goal="", timeframe="")},
        {"area": TITLES[0], **action(2, timeframe="Under 2024 och 2026")},
        {"area": TITLES[1], **action(3, follow_up="x" * 32768)},
        {"area": TITLES[1], **action(4, cause="a\x01b")},
    ]
    rows = check_plan(placed(plan_from_records(records, year=2025, district="Farsta")))
    path = standard_workbook(tmp_path / "Farsta plan.xlsx", {0: [action(1)]})
    wb = openpyxl.load_workbook(path)
    write_area(wb.create_sheet("Unga igen"), TITLES[0], [action(2)])
    write_area(wb.create_sheet("Trafik"), "Trafiksäkerhet", [action(3)])
    wb.create_sheet("Anteckningar")["A1"] = "att göra"
    wb.save(path)
    sheets = check_plan(read_plan(path))
    stale = check_plan(read_plan(EXAMPLE))[:1]
    said = [(str(f), finding_text(SPEC, f)) for f in rows + sheets + stale]
    assert said == [
        (
            "error   'Otrygga platser'!G3  text is 32,768 characters, over Excel's cell limit of 32,767",
            "Texten har 32768 tecken, fler än Excels gräns på 32767 per cell.",
        ),
        (
            "warning 'Unga i riskzon'!F3  action has no responsible (Ansvarig)",
            "Åtgärden saknar ansvarig.",
        ),
        (
            "warning 'Unga i riskzon'!D3  action has no operative goal (Operativa mål)",
            "Åtgärden saknar operativt mål.",
        ),
        ("warning 'Unga i riskzon'!E3  action has no timeframe (Tid)", "Åtgärden saknar tid."),
        (
            "warning 'Unga i riskzon'!E4  timeframe names 2024, 2026, not the plan's year 2025: "
            "'Under 2024 och 2026'",
            "Tiden nämner 2024, 2026, inte planens år 2025: ”Under 2024 och 2026”.",
        ),
        (
            "warning 'Otrygga platser'!B4  text holds the control character U+0001, which is "
            "written to xlsx as U+FFFD",
            "Texten innehåller styrtecknet U+0001, som skrivs som U+FFFD i xlsx.",
        ),
        (
            "error   'Unga igen'  2 sheets for the same area 'Unga i riskzon för destruktivt "
            "beteende': 'Unga i riskzon', 'Unga igen'",
            "Området Unga i riskzon för destruktivt beteende finns på flera blad: "
            "Unga i riskzon, Unga igen.",
        ),
        (
            "warning 'Trafik'!A1  sheet has the template's columns but matches no area; "
            "its rows were not read",
            "Bladet Trafik har mallens kolumner men hör inte till något område; raderna "
            "lästes inte.",
        ),
        (
            "warning the plan's year is unknown (no property, title or file name gives it); "
            "pass --year",
            "Planens år framgår inte (ingen egenskap, rubrik eller filnamn anger det).",
        ),
        (
            "info    'Anteckningar'  sheet is not an area or summary sheet; not read",
            "Bladet Anteckningar är inget områdesblad och lästes inte.",
        ),
        (
            "error   'Sammanställning'!B4  Unga i riskzon för destruktivt beteende: "
            "Antal problem says 1, the sheet has 3",
            "Unga i riskzon för destruktivt beteende: Antal problem anger 1, bladet har 3.",
        ),
    ]


def test_findings_carry_their_values() -> None:
    """A notebook user (or another front end) gets each finding's values, not only its
    sentence (#10, #13)."""
    records = [
        {"area": TITLES[0], **action(1, responsible="", timeframe="Under 2024")},
        {"area": TITLES[1], **action(2, cause="a\x02b", follow_up="y" * 32768)},
    ]
    found = check_plan(placed(plan_from_records(records, year=2025, district="Farsta")))
    assert {f.code: f.data for f in found} == {
        "text-too-long": {"length": 32768, "limit": 32767},
        "responsible-missing": {"column": "Ansvarig"},
        "timeframe-year": {"text": "Under 2024", "years": [2024], "plan_year": 2025},
        "control-character": {"codepoint": "U+0002"},
    }


def test_findings_in_sheet_row_and_column_order() -> None:
    """Within a severity: by row, then the order of the columns (#13)."""
    records = [
        {"area": TITLES[0], **action(1, timeframe="Under 2024")},
        {"area": TITLES[0], **action(2, goal="")},
        {
            "area": TITLES[0],
            **action(3, problem="p\x04", cause="a\x01", goal="b\x02", follow_up="c\x03"),
        },
        {
            "area": TITLES[0],
            **action(4, problem="w" * 32768, cause="x" * 32768, follow_up="z" * 32768),
        },
    ]
    found = check_plan(placed(plan_from_records(records, year=2025)))
    assert [(f.code, f.place) for f in found] == [
        ("text-too-long", "'Unga i riskzon'!A6"),
        ("text-too-long", "'Unga i riskzon'!B6"),
        ("text-too-long", "'Unga i riskzon'!G6"),
        ("timeframe-year", "'Unga i riskzon'!E3"),
        ("goal-missing", "'Unga i riskzon'!D4"),
        ("control-character", "'Unga i riskzon'!A5"),
        ("control-character", "'Unga i riskzon'!B5"),
        ("control-character", "'Unga i riskzon'!D5"),
        ("control-character", "'Unga i riskzon'!G5"),
    ]


def test_text_of_exactly_the_cell_limit_is_fine() -> None:
    plan = plan_from_records([{"area": TITLES[0], **action(1, follow_up="x" * 32767)}])
    assert not [f for f in check_plan(plan) if f.code == "text-too-long"]


def test_a_sheet_without_a_column_puts_the_finding_in_column_a(tmp_path: Path) -> None:
    """A hand-made sheet without Ansvarig: the missing responsible is placed at the
    row's first cell (#13)."""
    keys = [k for k in SPEC.keys if k != "responsible"]
    wb = openpyxl.Workbook()
    write_area(wb.active, TITLES[0], [action(1)], keys=keys)
    wb.active.title = "Unga"
    path = tmp_path / "Åtgärdsplan 2025 Farsta.xlsx"
    wb.save(path)
    found = [f for f in check_plan(read_plan(path)) if f.code == "responsible-missing"]
    assert [f.place for f in found] == ["'Unga'!A3"]


def test_an_empty_summary_cell_says_nothing(tmp_path: Path) -> None:
    import shutil

    path = tmp_path / "plan.xlsx"
    shutil.copy(EXAMPLE, path)
    wb = openpyxl.load_workbook(path)
    wb["Sammanställning"]["B4"] = None
    wb.save(path)
    first = check_plan(read_plan(path))[0]
    assert str(first) == (
        "error   'Sammanställning'!B4  Unga i riskzon för destruktivt beteende: "
        "Antal problem says nothing, the sheet has 3"
    )


def test_compact_places() -> None:
    from converter.rules.checks import compact_places

    places = [f"'Unga'!E{r}" for r in range(3, 15)] + ["'Hej!'!B2", "'Platser'"]
    assert compact_places(places) == (
        "'Unga'!E3, E4, E5, E6, E7, E8, E9, E10, E11, E12 … and 4 more"
    )
    assert compact_places(places[-3:], limit=2) == "'Unga'!E14, 'Hej!'!B2 … and 1 more"
    assert compact_places(places[-3:], limit=None) == "'Unga'!E14, 'Hej!'!B2, 'Platser'"
    assert compact_places(["'Hej!'!B2", "'Hej!'!B3"]) == "'Hej!'!B2, B3"  # a ! in a tab name


def test_make_finding_is_a_finding_like_any_other() -> None:
    """The quick constructor of the quality findings gives what Finding(...) gives:
    equal, hashable, frozen, printed alike."""
    import dataclasses

    import pytest

    from converter.rules.checks import Finding, make_finding

    made = make_finding(
        "warning", "goal-repeated", "'Unga'!D3", "the same goal", {"count": 2}, "Unga"
    )
    plain = Finding("warning", "goal-repeated", "'Unga'!D3", "the same goal", {"count": 2}, "Unga")
    assert made == plain and hash(made) == hash(plain) and str(made) == str(plain)
    assert (made.data, made.area) == (plain.data, plain.area)
    assert set(vars(made)) == {f.name for f in dataclasses.fields(Finding)}
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.code = "other"  # type: ignore[misc]
