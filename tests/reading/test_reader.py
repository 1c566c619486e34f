"""read_plan on the example and on workbooks laid out by hand in every way issue #2 lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from conftest import (
    ALL_KEYS,
    EXAMPLE,
    KEYS,
    SPEC,
    TITLES,
    action,
    expected_frame_rows,
    standard_workbook,
    transcription,
    write_area,
)

from converter import InputError, read_plan


def test_example_reads_as_the_transcription() -> None:
    plan = read_plan(EXAMPLE)
    data = transcription()
    assert [len(f) for f in plan.frames.values()] == [3, 7, 0, 10, 2, 0]
    assert len(plan.actions) == 22
    for (title, frame), area in zip(plan.frames.items(), data["areas"], strict=True):
        assert title == area["title"]
        assert expected_frame_rows(frame) == area["rows"]  # every text, exactly
    assert plan.meta.year == 2025
    assert plan.meta.district == "Norra innerstaden"
    assert plan.meta.unrecognised_sheets == ()


def test_example_provenance_and_columns() -> None:
    plan = read_plan(EXAMPLE)
    assert list(plan.actions.columns) == ["area", *ALL_KEYS, "sheet", "row"]
    unga = plan.frames[TITLES[0]]
    assert unga["sheet"].tolist() == ["Unga"] * 3
    assert unga["row"].tolist() == [3, 4, 5]  # header row 1, instruction row 2
    platser = plan.frames[TITLES[1]]
    assert platser["row"].tolist() == list(range(3, 10))
    # Merged problem cells (Klaraområdet over four rows) reach every row.
    assert platser["problem"].tolist()[:4] == ["Klaraområdet"] * 4


def test_example_summary_as_found() -> None:
    found = read_plan(EXAMPLE).meta.summary_found
    assert found is not None and found.tab == "Sammanställning"
    figures = [found.rows[a.key]["problem"].value for a in SPEC.areas]
    assert figures == [1, 7, 0, 10, 2, 0]


def test_frames_include_empty_areas_in_spec_order(tmp_path: Path) -> None:
    path = standard_workbook(tmp_path / "p.xlsx", {1: [action(1)]})
    plan = read_plan(path)
    assert list(plan.frames) == TITLES
    assert [len(f) for f in plan.frames.values()] == [0, 1, 0, 0, 0, 0]
    assert list(plan.frames[TITLES[0]].columns) == list(plan.actions.columns)


def test_title_block_above_header(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Blad1"
    ws["A1"] = "Åtgärdsplan 2024 – Södermalm"
    ws["A2"] = "Samverkansöverenskommelse mellan stadsdelsförvaltning och polis"
    ws.merge_cells("A1:G1")
    first = write_area(ws, TITLES[1], [action(1), action(2)], start_row=5)
    wb.save(tmp_path / "x.xlsx")
    plan = read_plan(tmp_path / "x.xlsx")
    assert plan.meta.year == 2024 and plan.meta.district == "Södermalm"
    frame = plan.frames[TITLES[1]]
    assert expected_frame_rows(frame) == [action(1), action(2)]
    assert frame["row"].tolist() == [first, first + 1] == [7, 8]


def test_columns_reordered(tmp_path: Path) -> None:
    order = ["problem", "action", "cause", "responsible", "timeframe", "goal", "follow_up"]
    wb = openpyxl.Workbook()
    write_area(wb.active, TITLES[0], [action(1), action(2)], keys=order)
    wb.save(tmp_path / "x.xlsx")
    plan = read_plan(tmp_path / "x.xlsx")
    assert expected_frame_rows(plan.frames[TITLES[0]]) == [action(1), action(2)]


def test_extra_status_column_is_kept_after_the_known_ones(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    rows = [action(1, Prioritet="Pågår"), action(2, Prioritet="Klar")]
    write_area(wb.active, TITLES[4], rows, extras=["Prioritet"])
    wb.save(tmp_path / "x.xlsx")
    plan = read_plan(tmp_path / "x.xlsx")
    assert list(plan.actions.columns) == ["area", *ALL_KEYS, "sheet", "row", "Prioritet"]
    assert plan.actions["Prioritet"].tolist() == ["Pågår", "Klar"]


def test_headers_spelled_differently(tmp_path: Path) -> None:
    headers = {
        "cause": "ORSAK",
        "action": "Atgard",
        "goal": "OPERATIVA MÅL",
        "timeframe": " Tid ",
        "responsible": "Ansvarig:",
        "follow_up": "uppföljning",
    }
    wb = openpyxl.Workbook()
    write_area(wb.active, "UNGA I RISKZON FÖR DESTRUKTIVT BETEENDE", [action(1)], headers=headers)
    wb.save(tmp_path / "x.xlsx")
    plan = read_plan(tmp_path / "x.xlsx")
    assert expected_frame_rows(plan.frames[TITLES[0]]) == [action(1)]


def test_blank_rows_between_entries_are_dropped(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    rows = [action(1), action(2), action(3)]
    first = write_area(wb.active, TITLES[3], rows, blank_after=[0, 1])
    wb.active.cell(row=first + 1, column=2).value = "   "  # white space only is blank too
    wb.save(tmp_path / "x.xlsx")
    frame = read_plan(tmp_path / "x.xlsx").frames[TITLES[3]]
    assert expected_frame_rows(frame) == rows
    assert frame["row"].tolist() == [first, first + 2, first + 4]


def test_merged_problem_and_cause_cells(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    rows = [
        action(1, problem="Klara", cause="Öppen narkotikahandel"),
        action(2, problem="", cause=""),
        action(3, problem="", cause="Ordningsstörningar"),
        action(4, problem="Odenplan", cause="Ungdomsgäng"),
    ]
    first = write_area(ws, TITLES[1], rows)
    ws.merge_cells(start_row=first, start_column=1, end_row=first + 2, end_column=1)
    ws.merge_cells(start_row=first, start_column=2, end_row=first + 1, end_column=2)
    wb.save(tmp_path / "x.xlsx")
    frame = read_plan(tmp_path / "x.xlsx").frames[TITLES[1]]
    assert frame["problem"].tolist() == ["Klara", "Klara", "Klara", "Odenplan"]
    assert frame["cause"].tolist() == [
        "Öppen narkotikahandel",
        "Öppen narkotikahandel",
        "Ordningsstörningar",
        "Ungdomsgäng",
    ]
    assert frame["action"].tolist() == [r["action"] for r in rows]


def test_merge_reaching_past_the_table_adds_no_rows(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    first = write_area(ws, TITLES[1], [action(1)])
    ws.merge_cells(start_row=first, start_column=1, end_row=first + 4, end_column=1)
    wb.save(tmp_path / "x.xlsx")
    assert len(read_plan(tmp_path / "x.xlsx").actions) == 1


def test_own_area_renamed_and_filled_in(tmp_path: Path) -> None:
    titles = [*TITLES[:5], "Trafiksäkerhet kring skolor"]
    tabs = [a.tab for a in SPEC.areas[:5]] + ["Trafik"]
    path = standard_workbook(
        tmp_path / "x.xlsx", {5: [action(1), action(2)]}, tabs=tabs, titles=titles
    )
    plan = read_plan(path)
    assert list(plan.frames)[5] == "Trafiksäkerhet kring skolor"
    frame = plan.frames["Trafiksäkerhet kring skolor"]
    assert expected_frame_rows(frame) == [action(1), action(2)]
    assert frame["sheet"].tolist() == ["Trafik", "Trafik"]
    assert plan.meta.area_titles["eget"] == "Trafiksäkerhet kring skolor"


def test_hidden_helper_sheet_and_cover_sheet(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Försättsblad"
    cover["A1"] = "Åtgärdsplan 2025 – Kungsholmen"
    cover["A3"] = "Kontaktpersoner: trygghetssamordnare och kommunpolis"
    ws = wb.create_sheet("Unga")
    write_area(ws, TITLES[0], [action(1)])
    helper = wb.create_sheet("Listor")
    helper["A1"] = "Linjearbete"
    helper["A2"] = "Löpande"
    helper.sheet_state = "hidden"
    wb.save(tmp_path / "x.xlsx")
    plan = read_plan(tmp_path / "x.xlsx")
    assert len(plan.actions) == 1
    assert plan.meta.unrecognised_sheets == ("Försättsblad",)
    assert plan.meta.ignored_sheets == ("Listor",)
    assert (plan.meta.year, plan.meta.district) == (2025, "Kungsholmen")


def test_hidden_area_sheet_is_still_read(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    write_area(wb.active, TITLES[0], [action(1)])
    ws = wb.create_sheet("Gömd")
    write_area(ws, TITLES[2], [action(2)])
    ws.sheet_state = "hidden"
    wb.save(tmp_path / "x.xlsx")
    assert len(read_plan(tmp_path / "x.xlsx").frames[TITLES[2]]) == 1


def test_recognised_by_tab_when_header_says_problem(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Otrygga platser"
    write_area(ws, "Problemområde/utmaning", [action(1)])
    wb.save(tmp_path / "x.xlsx")
    assert len(read_plan(tmp_path / "x.xlsx").frames[TITLES[1]]) == 1


def test_seed_spelling_systemhotade_is_accepted(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    write_area(wb.active, "Systemhotade brottslighet", [action(1)])
    wb.save(tmp_path / "x.xlsx")
    assert len(read_plan(tmp_path / "x.xlsx").frames["Systemhotande brottslighet"]) == 1


def test_text_normalisation(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    first = write_area(ws, TITLES[0], [action(1)])
    ws.cell(row=first, column=2).value = "  Rad ett\r\nRad två\rRad\u00a0tre  "
    ws.cell(row=first, column=3).value = "A\u030angström"  # decomposed Å
    ws.cell(row=first, column=4).value = "Inre  mellanrum\n\n behålls"
    ws.cell(row=first, column=5).value = 2025
    ws.cell(row=first + 1, column=1).value = "Barn"
    ws.cell(row=first + 1, column=5).value = dt.datetime(2025, 3, 1)
    ws.cell(row=first + 1, column=6).value = 2.5
    wb.save(tmp_path / "x.xlsx")
    frame = read_plan(tmp_path / "x.xlsx").frames[TITLES[0]]
    assert frame.at[0, "cause"] == "Rad ett\nRad två\nRad tre"
    assert frame.at[0, "action"] == "Ångström"
    assert frame.at[0, "goal"] == "Inre  mellanrum\n\n behålls"
    assert frame.at[0, "timeframe"] == "2025"
    assert frame.at[1, "timeframe"] == "2025-03-01"
    assert frame.at[1, "responsible"] == "2.5"
    assert frame.at[1, "cause"] == ""


def test_next_years_previous_follow_up_is_not_this_years(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    rows = [action(1, follow_up="", **{"Uppföljning 2025": "Gjort i fjol"})]
    write_area(wb.active, TITLES[0], rows, extras=["Uppföljning 2025"])
    wb.save(tmp_path / "x.xlsx")
    plan = read_plan(tmp_path / "x.xlsx")
    assert plan.actions["follow_up"].tolist() == [""]
    assert plan.actions["Uppföljning 2025"].tolist() == ["Gjort i fjol"]


def test_own_area_title_that_looks_like_a_reserved_name(tmp_path: Path) -> None:
    """The title is taken from the headers before extra headers are made unique."""
    wb = openpyxl.Workbook()
    write_area(wb.active, "row", [action(1)])
    wb.save(tmp_path / "x.xlsx")
    plan = read_plan(tmp_path / "x.xlsx")
    assert plan.meta.area_titles["eget"] == "row"
    assert expected_frame_rows(plan.frames["row"]) == [action(1)]


def test_data_in_a_column_without_header_is_kept(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    first = write_area(wb.active, TITLES[0], [action(1)])
    wb.active.cell(row=first, column=9).value = "Anteckning i kanten"
    wb.save(tmp_path / "x.xlsx")
    plan = read_plan(tmp_path / "x.xlsx")
    assert plan.actions["Kolumn I"].tolist() == ["Anteckning i kanten"]


def test_year_and_district_from_file_name_and_overrides(tmp_path: Path) -> None:
    path = standard_workbook(tmp_path / "atgardsplan-2023-hasselby-vallingby.xlsx")
    plan = read_plan(path)
    assert (plan.meta.year, plan.meta.district) == (2023, "Hässelby-Vällingby")
    plan = read_plan(path, year=2030, district="Hässelby-Vällingby")
    assert (plan.meta.year, plan.meta.district) == (2030, "Hässelby-Vällingby")


def test_two_sheets_for_one_area_keep_both(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    write_area(wb.active, TITLES[0], [action(1)])
    write_area(wb.create_sheet("Unga (2)"), TITLES[0], [action(2)])
    wb.save(tmp_path / "x.xlsx")
    plan = read_plan(tmp_path / "x.xlsx")
    assert plan.frames[TITLES[0]]["sheet"].tolist() == ["Sheet", "Unga (2)"]


def test_no_area_sheet_is_an_input_error(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Bara en anteckning"
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(InputError, match="no area sheet"):
        read_plan(tmp_path / "x.xlsx")


def test_another_spec_file(tmp_path: Path) -> None:
    text = SPEC.path.read_text(encoding="utf-8")
    text = text.replace('header = "Ansvarig"', 'header = "Huvudansvarig"')
    text = text.replace(
        'title = "Unga i riskzon för destruktivt beteende"', 'title = "Barn och unga i riskzon"'
    )
    spec_path = tmp_path / "annan.toml"
    spec_path.write_text(text, encoding="utf-8")
    wb = openpyxl.Workbook()
    write_area(
        wb.active, "Barn och unga i riskzon", [action(1)], headers={"responsible": "Huvudansvarig"}
    )
    wb.save(tmp_path / "x.xlsx")
    plan = read_plan(tmp_path / "x.xlsx", spec_path)
    assert list(plan.frames)[0] == "Barn och unga i riskzon"
    assert expected_frame_rows(plan.frames["Barn och unga i riskzon"]) == [action(1)]


def test_ods_with_spans_repeats_and_properties(tmp_path: Path) -> None:
    """A plan a district saved as .ods: problem and cause cells spanning rows (covered
    cells below), repeated empty cells and rows, user-defined properties."""
    from conftest import HEADERS, INSTRUCTIONS, ods_cell, write_ods

    header = "".join(ods_cell(t) for t in [TITLES[1], *(HEADERS[k] for k in KEYS[1:])])
    instruction = "".join(ods_cell(INSTRUCTIONS[k]) for k in KEYS)
    covered = "<table:covered-table-cell/>"
    rows = [
        ods_cell("", repeat=3),  # a blank first row, three empty cells
        header,
        instruction,
        ods_cell("Otrygghet i centrum", rows=3)
        + ods_cell("Mörka gångvägar", rows=2)
        + "".join(ods_cell(t) for t in ["Belysning", "Tryggare", "2026", "Trafikkontoret", ""]),
        covered + covered + "".join(ods_cell(t) for t in ["Vandring", "Fler", "Vt", "Polis", ""]),
        '<table:table-row table:number-rows-repeated="2">'
        + ods_cell("", repeat=7)
        + "</table:table-row>",
        covered
        + ods_cell("Narkotika\nhandel")
        + "".join(ods_cell(t) for t in ["Kamera", "Färre", "Ht", "Polis", "Klar"]),
        '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>',
    ]
    path = write_ods(
        tmp_path / "plan.ods",
        {"Platser": rows},
        {"title": "Åtgärdsplan 2025", "Stadsdelsförvaltning": "Skärholmen"},
    )
    plan = read_plan(path)
    assert (plan.meta.year, plan.meta.district) == (2025, "Skärholmen")
    assert plan.actions["problem"].tolist() == ["Otrygghet i centrum"] * 2 + [""]
    assert plan.actions["cause"].tolist() == ["Mörka gångvägar"] * 2 + ["Narkotika\nhandel"]
    assert plan.actions["action"].tolist() == ["Belysning", "Vandring", "Kamera"]
    assert plan.actions["row"].tolist() == [4, 5, 8]
    assert plan.actions["follow_up"].tolist() == ["", "", "Klar"]


def test_lone_carriage_returns_become_line_feeds(tmp_path: Path) -> None:
    """Old Mac line ends and text pasted from PDFs: a lone CR is a line break (#13)."""
    rows = [action(1, action="Första raden\randra raden", goal="Ett\r\ntvå\rtre")]
    path = standard_workbook(tmp_path / "atgardsplan-2025-farsta.xlsx", {0: rows})
    frame = read_plan(path).actions
    assert frame["action"].tolist() == ["Första raden\nandra raden"]
    assert frame["goal"].tolist() == ["Ett\ntvå\ntre"]


def test_extra_columns_of_the_same_name_are_told_apart(tmp_path: Path) -> None:
    """Three "Kommentar" columns (and one named like a reserved column) keep every text
    under a name of its own: the first as written, the others with their letter (#13)."""
    wb = openpyxl.Workbook()
    wb.active.title = "Unga"
    write_area(
        wb.active,
        TITLES[0],
        [{**action(1), "Kommentar": "a", "Kommentar2": "b", "Kommentar3": "c", "row": "d"}],
        extras=["Kommentar", "Kommentar2", "Kommentar3", "row"],
        headers={"Kommentar2": "Kommentar", "Kommentar3": "Kommentar", "row": "row"},
    )
    path = tmp_path / "Åtgärdsplan 2025 Farsta.xlsx"
    wb.save(path)
    plan = read_plan(path)
    assert plan.extra_columns == ["Kommentar", "Kommentar (I)", "Kommentar (J)", "row (K)"]
    first = plan.actions.iloc[0]
    assert [first[c] for c in plan.extra_columns] == ["a", "b", "c", "d"]


@pytest.mark.slow  # a second or more: not in the quick loop
def test_a_server_sets_a_lower_unpacked_limit(tmp_path: Path) -> None:
    import hostile

    from converter import InputError

    dense = hostile.dense_cells(tmp_path / "tat.xlsx", 20)
    with pytest.raises(InputError) as err:
        read_plan(dense, max_unpacked_bytes=16 * 1024 * 1024)
    assert (err.value.code, err.value.data) == ("zip-bomb", {"size_mib": 20, "limit_mib": 16})
    with pytest.raises(InputError) as err:
        read_plan(dense)  # under the command line's limit it is read, and has no area sheet
    assert err.value.code == "no-area-sheet"
