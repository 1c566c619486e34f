"""Layouts met in hand-kept workbooks that the mutation run (#13) showed no test held.

Each test builds the workbook the way a person would lay it out and asserts what the
administrator gets: which sheets are read and under which area, which rows are actions,
what the summary sheet is taken to say, and which sheets are reported as not read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import (
    ALL_KEYS,
    INSTRUCTIONS,
    KEYS,
    SPEC,
    TITLES,
    action,
    expected_frame_rows,
    write_area,
)

from converter import InputError, read_plan
from converter.reading.reader import (
    HEADER_SCAN_ROWS,
    INSTRUCTION_PREFIX_MIN,
    SUMMARY_TITLE_TEXTS,
    TITLE_MAX,
    TITLE_TEXTS,
)
from converter.text import fold

COUNT_HEADERS = [c.header for c in SPEC.summary.counts]


def save(wb: openpyxl.Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def write_summary(
    ws: Any,
    rows: Sequence[tuple[str, int, int, int] | None],
    *,
    start_row: int = 1,
    title: str | None = None,
    counts: Sequence[str] = tuple(COUNT_HEADERS),
) -> None:
    """A summary table as found in last year's workbook; None is a blank row."""
    r = start_row
    if title is not None:
        ws.cell(row=r, column=1, value=title)
        r += 2
    for c, text in enumerate([SPEC.summary.area_header, *counts], start=1):
        ws.cell(row=r, column=c, value=text)
    for row in rows:
        r += 1
        for c, value in enumerate(row or (), start=1):
            ws.cell(row=r, column=c, value=value)


def unga_book() -> openpyxl.Workbook:
    """A workbook whose first sheet is the Unga area with one action."""
    wb = openpyxl.Workbook()
    wb.active.title = "Unga"
    write_area(wb.active, TITLES[0], [action(1)])
    return wb


# -- which rows of a sheet are a table ----------------------------------------------


def test_no_area_sheet_says_why(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Bara en anteckning"
    with pytest.raises(InputError) as err:
        read_plan(save(wb, tmp_path / "x.xlsx"))
    assert err.value.code == "no-area-sheet"
    assert err.value.message == "no area sheet found (no sheet has the template's column headers)"


def test_header_is_looked_for_in_the_sheets_first_rows(tmp_path: Path) -> None:
    """The header must be within the sheet's first HEADER_SCAN_ROWS rows, counted from
    row 1 even when the sheet's first filled row is further down."""
    wb = unga_book()
    late = wb.create_sheet("Sent")  # content from row 20, header on row 40: read
    late.cell(row=20, column=1, value="Anteckningar om platserna")
    write_area(late, TITLES[1], [action(2)], start_row=HEADER_SCAN_ROWS, instructions=False)
    later = wb.create_sheet("Senare")  # content from row 30, header on row 41: not read
    later.cell(row=30, column=1, value="Anteckningar om brottsoffren")
    write_area(later, TITLES[3], [action(3)], start_row=HEADER_SCAN_ROWS + 1)
    far = wb.create_sheet("Långt ned")  # a table starting on row 50: not read
    write_area(far, TITLES[4], [action(4)], start_row=50)
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    assert [len(f) for f in plan.frames.values()] == [1, 1, 0, 0, 0, 0]
    assert plan.meta.sheets[1].header_row == HEADER_SCAN_ROWS
    assert plan.meta.unrecognised_sheets == ("Senare", "Långt ned")


def test_three_of_the_templates_headers_make_a_table_two_do_not(tmp_path: Path) -> None:
    wb = unga_book()
    three = wb.create_sheet("Tre kolumner")
    keys = ["problem", "cause", "action", "responsible"]
    write_area(three, TITLES[1], [action(2)], keys=keys)
    two = wb.create_sheet("Två kolumner")
    write_area(two, TITLES[3], [action(3)], keys=["problem", "action", "responsible"])
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    frame = plan.frames[TITLES[1]]
    assert expected_frame_rows(frame, keys) == [{k: action(2)[k] for k in keys}]
    assert frame[["goal", "timeframe", "follow_up"]].to_numpy().tolist() == [["", "", ""]]
    assert plan.meta.unrecognised_sheets == ("Två kolumner",)


def test_header_row_of_each_sheet_is_reported(tmp_path: Path) -> None:
    wb = unga_book()
    ws = wb.create_sheet("Platser")
    ws["A1"] = "Åtgärdsplan 2025 – Kungsholmen"
    write_area(ws, TITLES[1], [action(2)], start_row=4)
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    assert [(s.tab, s.area_key, s.header_row) for s in plan.meta.sheets] == [
        ("Unga", "unga", 1),
        ("Platser", "platser", 4),
    ]


def test_a_blank_column_inside_the_table_keeps_the_columns_after_it(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    write_area(wb.active, TITLES[0], [action(1), action(2)])
    wb.active.insert_cols(3)  # a spacer between Orsak and Åtgärd
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    assert expected_frame_rows(plan.frames[TITLES[0]]) == [action(1), action(2)]
    assert plan.meta.sheets[0].columns["action"] == 3
    assert not [c for c in plan.actions.columns if c.startswith("Kolumn")]


def test_a_number_column_left_of_the_area_title(tmp_path: Path) -> None:
    """The problem column is the one headed by the area's title, not the first column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    first = write_area(ws, TITLES[1], [action(1), action(2)])
    ws.insert_cols(1)
    ws.cell(row=first - 2, column=1, value="Nr")
    ws.cell(row=first, column=1, value=1)
    ws.cell(row=first + 1, column=1, value=2)
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    assert list(plan.frames)[1] == TITLES[1]
    assert expected_frame_rows(plan.frames[TITLES[1]]) == [action(1), action(2)]
    assert plan.actions["Nr"].tolist() == ["1", "2"]


def test_a_number_column_left_of_a_problem_header(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Otrygga platser"
    first = write_area(ws, "Problem", [action(1)])
    ws.insert_cols(1)
    ws.cell(row=first - 2, column=1, value="Nr")
    ws.cell(row=first, column=1, value=1)
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    assert expected_frame_rows(plan.frames[TITLES[1]]) == [action(1)]
    assert plan.actions["Nr"].tolist() == ["1"]


def test_an_extra_column_named_like_another_area_stays_an_extra(tmp_path: Path) -> None:
    """A Ja/Nej column "Unga i riskzon" on the places sheet is not that area's title."""
    wb = openpyxl.Workbook()
    rows = [action(1, **{"Unga i riskzon": "Ja"}), action(2, **{"Unga i riskzon": "Nej"})]
    write_area(wb.active, TITLES[1], rows, extras=["Unga i riskzon"])
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    assert [len(f) for f in plan.frames.values()] == [0, 2, 0, 0, 0, 0]
    assert expected_frame_rows(plan.frames[TITLES[1]]) == [action(1), action(2)]
    assert plan.actions["Unga i riskzon"].tolist() == ["Ja", "Nej"]


def test_an_extra_column_on_one_sheet_is_blank_on_the_others(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    write_area(wb.active, TITLES[0], [action(1, Prioritet="Pågår")], extras=["Prioritet"])
    write_area(wb.create_sheet("Platser"), TITLES[1], [action(2)])
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    assert plan.actions["Prioritet"].tolist() == ["Pågår", ""]


def test_empty_columns_are_not_kept_a_note_far_right_is(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    first = write_area(wb.active, TITLES[0], [action(1)])
    wb.active.cell(row=first, column=11).value = "Anteckning i kanten"  # column K
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    extras = list(plan.actions.columns[len(ALL_KEYS) + 3 :])
    assert extras == ["Kolumn K"]
    assert plan.actions["Kolumn K"].tolist() == ["Anteckning i kanten"]


# -- the instruction row --------------------------------------------------------------


def test_without_the_instruction_row_the_first_action_is_read(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    write_area(wb.active, TITLES[0], [action(1), action(2)], instructions=False)
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    assert expected_frame_rows(plan.frames[TITLES[0]]) == [action(1), action(2)]


def test_a_first_action_holding_one_instruction_is_an_action(tmp_path: Path) -> None:
    """The follow-up still says what to write there: the row is an action all the same."""
    wb = openpyxl.Workbook()
    first = action(1, follow_up=INSTRUCTIONS["follow_up"])
    write_area(wb.active, TITLES[0], [first, action(2)], instructions=False)
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    assert expected_frame_rows(plan.frames[TITLES[0]]) == [first, action(2)]


def test_an_instruction_row_with_two_instructions_left_is_dropped(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    first = write_area(ws, TITLES[0], [action(1)])
    for c in range(3, len(KEYS) + 1):  # only the problem's and the cause's are left
        ws.cell(row=first - 1, column=c).value = None
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    assert expected_frame_rows(plan.frames[TITLES[0]]) == [action(1)]


def beginning(text: str, letters: int) -> str:
    """The shortest beginning of ``text`` with ``letters`` letters and digits."""
    return next(text[:i] for i in range(len(text) + 1) if len(fold(text[:i])) >= letters)


@pytest.mark.parametrize(
    ("length", "dropped"),
    [(None, True), (INSTRUCTION_PREFIX_MIN, True), (INSTRUCTION_PREFIX_MIN - 1, False)],
)
def test_an_instruction_row_cut_short(tmp_path: Path, length: int | None, dropped: bool) -> None:
    """Instructions shortened to their first words still mark the row, down to
    INSTRUCTION_PREFIX_MIN letters; shorter beginnings are somebody's answer."""
    wb = openpyxl.Workbook()
    ws = wb.active
    first = write_area(ws, TITLES[0], [action(1)])
    cut = {
        k: beginning(v, length) if length else v.split(".")[0][:30] for k, v in INSTRUCTIONS.items()
    }
    for c, key in enumerate(KEYS, start=1):
        ws.cell(row=first - 1, column=c).value = cut[key]
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    rows = expected_frame_rows(plan.frames[TITLES[0]])
    assert rows == ([action(1)] if dropped else [{k: cut[k] for k in KEYS}, action(1)])


# -- merged cells -------------------------------------------------------------------


def test_merges_above_and_beside_the_table_fill_nothing(tmp_path: Path) -> None:
    """A title merged over two rows, and merged blank cells right of the table, leave
    the table's cells as they are; the merge inside it still fills its rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "Åtgärdsplan 2025 – Spånga-Tensta"
    ws.merge_cells("A1:G2")
    rows = [
        action(1, problem="Tensta centrum", cause="Droghandel"),
        action(2, problem="", cause=""),
        action(3, problem="Spånga station", cause="Skadegörelse"),
        action(4, problem="", cause="Nedskräpning"),  # under Spånga station, not merged
    ]
    first = write_area(ws, TITLES[1], rows, start_row=4)
    ws.merge_cells(start_row=first, start_column=2, end_row=first + 1, end_column=2)
    ws.merge_cells(start_row=first, start_column=10, end_row=first + 3, end_column=11)
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    frame = plan.frames[TITLES[1]]
    assert frame["problem"].tolist() == ["Tensta centrum", "", "Spånga station", ""]
    assert frame["cause"].tolist() == ["Droghandel", "Droghandel", "Skadegörelse", "Nedskräpning"]
    assert list(frame.columns[len(ALL_KEYS) + 3 :]) == []


def test_a_merge_on_the_first_row_under_the_header(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    rows = [
        action(1, problem="Rinkeby torg"),
        action(2, problem=""),
        action(3, problem="Husby centrum"),
        action(4, problem=""),
    ]
    first = write_area(ws, TITLES[1], rows, instructions=False)
    ws.merge_cells(start_row=first, start_column=1, end_row=first + 1, end_column=1)
    frame = read_plan(save(wb, tmp_path / "x.xlsx")).frames[TITLES[1]]
    assert frame["problem"].tolist() == ["Rinkeby torg", "Rinkeby torg", "Husby centrum", ""]


# -- which sheet is which area ------------------------------------------------------


def test_chart_sheet_and_empty_sheet_are_listed_as_ignored(tmp_path: Path) -> None:
    wb = unga_book()
    wb.create_sheet("Blad2")
    chart = wb.create_chartsheet("Diagram")
    bar = openpyxl.chart.BarChart()
    bar.add_data(openpyxl.chart.Reference(wb["Unga"], min_col=1, min_row=1, max_row=3))
    chart.add_chart(bar)
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    assert plan.meta.ignored_sheets == ("Blad2", "Diagram")
    assert plan.meta.unrecognised_sheets == ()


def test_hidden_old_copy_is_ignored_hidden_area_tab_is_read(tmp_path: Path) -> None:
    """A hidden sheet is read when its title or tab names an area, else ignored."""
    wb = unga_book()
    old = wb.create_sheet("Gammal")
    write_area(old, "Anteckningar 2023", [action(2)])
    old.sheet_state = "hidden"
    tab = wb.create_sheet("Otrygga platser")
    write_area(tab, "Problem", [action(3)])
    tab.sheet_state = "hidden"
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    assert [len(f) for f in plan.frames.values()] == [1, 1, 0, 0, 0, 0]
    assert expected_frame_rows(plan.frames[TITLES[1]]) == [action(3)]
    assert plan.meta.ignored_sheets == ("Gammal",)
    assert plan.meta.unmatched_area_sheets == ()


def test_area_from_a_title_above_the_table(tmp_path: Path) -> None:
    wb = unga_book()
    ws = wb.create_sheet("Blad3")
    ws["A1"] = TITLES[4]
    write_area(ws, "Problem", [action(2)], start_row=3)
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    assert list(plan.frames) == TITLES
    assert [(s.tab, s.area_key) for s in plan.meta.sheets] == [
        ("Unga", "unga"),
        ("Blad3", "miljoer"),
    ]
    assert expected_frame_rows(plan.frames[TITLES[4]]) == [action(2)]


def test_a_template_areas_title_edited_on_its_tab_keeps_the_template_title(
    tmp_path: Path,
) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Unga i riskzon"
    write_area(wb.active, "Unga i riskzon i Vasastan", [action(1)])
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    assert list(plan.frames) == TITLES
    assert plan.meta.area_titles["unga"] == TITLES[0]
    assert expected_frame_rows(plan.frames[TITLES[0]]) == [action(1)]


def test_own_area_on_its_tab_with_a_title_of_its_own(tmp_path: Path) -> None:
    wb = unga_book()
    ws = wb.create_sheet("Eget område")
    write_area(ws, "Trafiksäkerhet kring skolor", [action(2)])
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    assert plan.meta.area_titles["eget"] == "Trafiksäkerhet kring skolor"
    assert expected_frame_rows(plan.frames["Trafiksäkerhet kring skolor"]) == [action(2)]


def test_own_area_left_unnamed_keeps_the_templates_title(tmp_path: Path) -> None:
    """An own-area sheet still headed by one of the template's names for it ("Eget
    område") has not been given a title: the area keeps the template's."""
    wb = unga_book()
    write_area(wb.create_sheet("Blad2"), "EGET OMRÅDE", [action(2)])
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    assert list(plan.frames) == TITLES
    assert expected_frame_rows(plan.frames[TITLES[5]]) == [action(2)]


@pytest.mark.parametrize(
    ("above", "title"),
    [
        (["Narkotikahandel vid Vasaparken"], "Narkotikahandel vid Vasaparken"),
        (["N" * (TITLE_MAX + 1), "Vasaparken kvällstid"], "Vasaparken kvällstid"),
        (["N" * TITLE_MAX, "Vasaparken kvällstid"], "N" * TITLE_MAX),
        ([], "Vasaparken"),
    ],
    ids=["title-above", "long-note-skipped", "longest-title", "tab-name"],
)
def test_own_area_headed_problem_takes_its_title_from_above_or_the_tab(
    tmp_path: Path, above: list[str], title: str
) -> None:
    wb = unga_book()
    ws = wb.create_sheet("Vasaparken")
    for r, text in enumerate(above, start=1):
        ws.cell(row=r, column=1, value=text)
    write_area(ws, "Problem", [action(2)], start_row=len(above) + 2)
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    assert plan.meta.area_titles["eget"] == title
    assert expected_frame_rows(plan.frames[title]) == [action(2)]


@pytest.mark.parametrize(("position", "found"), [(TITLE_TEXTS, True), (TITLE_TEXTS + 1, False)])
def test_year_and_district_from_the_first_texts_above_a_table(
    tmp_path: Path, position: int, found: bool
) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(1, position):
        ws.cell(row=r, column=1, value=f"Rad {r} i sidhuvudet")
    ws.cell(row=position, column=1, value="Åtgärdsplan 2024 – Södermalm")
    write_area(ws, TITLES[0], [action(1)], start_row=position + 2)
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    assert (plan.meta.year, plan.meta.district) == ((2024, "Södermalm") if found else (None, None))


# -- the summary sheet as found -----------------------------------------------------

FIGURES = [(title, i + 1, i + 2, i + 3) for i, title in enumerate(TITLES)]


def found_figures(path: Path) -> tuple[str, dict[str, tuple[float | None, ...]]] | None:
    found = read_plan(path).meta.summary_found
    if found is None:
        return None
    figures = {
        key: tuple(cells[c.key].value for c in SPEC.summary.counts)
        for key, cells in found.rows.items()
    }
    return found.tab, figures


def expected(rows: Sequence[tuple[str, int, int, int]]) -> dict[str, tuple[float, ...]]:
    keys = {a.title: a.key for a in SPEC.areas}
    return {keys[title]: (float(p), float(c), float(a)) for title, p, c, a in rows}


def test_summary_found_by_its_title_on_a_renamed_tab(tmp_path: Path) -> None:
    wb = unga_book()
    write_summary(wb.create_sheet("Blad7"), FIGURES, title=SPEC.summary.title)
    assert found_figures(save(wb, tmp_path / "x.xlsx")) == ("Blad7", expected(FIGURES))


def test_summary_found_by_its_tab_with_the_header_on_row_one(tmp_path: Path) -> None:
    wb = unga_book()
    write_summary(wb.create_sheet(SPEC.summary.tab), FIGURES)
    assert found_figures(save(wb, tmp_path / "x.xlsx")) == (SPEC.summary.tab, expected(FIGURES))


def test_summary_rows_by_alias_and_by_the_own_areas_title(tmp_path: Path) -> None:
    """Rows labelled by an area's alias, or by the own area's title in this workbook,
    are found; blank rows, sub-headings and the total row are passed over."""
    wb = unga_book()
    own = wb.create_sheet("Trafik")
    write_area(own, "Trafiksäkerhet kring skolor", [action(2)])
    rows = [
        ("Unga i riskzon", 1, 2, 3),
        None,
        ("Områden från polisens lägesbild", None, None, None),
        ("Otrygga platser", 4, 5, 6),
        ("Trafiksäkerhet kring skolor", 7, 8, 9),
        ("Totalt", 12, 15, 18),
    ]
    write_summary(wb.create_sheet(SPEC.summary.tab), rows, title=SPEC.summary.title)
    tab, figures = found_figures(save(wb, tmp_path / "x.xlsx")) or ("", {})
    assert figures == {"unga": (1, 2, 3), "platser": (4, 5, 6), "eget": (7, 8, 9)}


def test_a_cleared_summary_sheet_before_the_real_one(tmp_path: Path) -> None:
    wb = unga_book()
    cleared = wb.create_sheet("Sammanställning (gammal)")
    cleared["A1"] = SPEC.summary.title
    cleared["A3"] = "Tabellen flyttad till nästa blad"
    write_summary(wb.create_sheet(SPEC.summary.tab), FIGURES, title=SPEC.summary.title)
    assert found_figures(save(wb, tmp_path / "x.xlsx")) == (SPEC.summary.tab, expected(FIGURES))


def test_a_summary_without_count_headers_says_nothing(tmp_path: Path) -> None:
    wb = unga_book()
    ws = wb.create_sheet(SPEC.summary.tab)
    write_summary(ws, FIGURES, title=SPEC.summary.title, counts=["Kommentar", "Status", "Antal"])
    assert found_figures(save(wb, tmp_path / "x.xlsx")) is None


@pytest.mark.parametrize(
    ("position", "found"), [(SUMMARY_TITLE_TEXTS, True), (SUMMARY_TITLE_TEXTS + 1, False)]
)
def test_summary_title_among_the_first_texts(tmp_path: Path, position: int, found: bool) -> None:
    wb = unga_book()
    ws = wb.create_sheet("Blad7")
    for r in range(1, position):
        ws.cell(row=r, column=1, value=f"Anteckning {r}")
    write_summary(ws, FIGURES, title=SPEC.summary.title, start_row=position)
    plan = read_plan(save(wb, tmp_path / "x.xlsx"))
    assert (plan.meta.summary_found is not None) is found
    assert plan.meta.unrecognised_sheets == (() if found else ("Blad7",))
