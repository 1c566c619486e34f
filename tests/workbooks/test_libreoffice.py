"""Outputs reopened by a real spreadsheet program: LibreOffice headless recalculates the
summary, keeps the chart, and reads what we wrote (issues #3, #4, #5).

The LibreOffice profile used here recalculates every formula on load, so figures read
from its re-saved files are LibreOffice's own, not our cached values.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE, KEYS, SPEC, TITLES, LibreOffice, action, expected_frame_rows

from converter import blank_plan, next_year, plan_from_records, read_plan, write_plan

pytestmark = pytest.mark.libreoffice

FIGURES = [[3, 3, 3], [7, 7, 7], [0, 0, 0], [10, 10, 10], [2, 2, 2], [0, 0, 0], [22, 22, 22]]


def summary_figures(path: Path) -> list[list[object]]:
    ws = openpyxl.load_workbook(path, data_only=True)[SPEC.summary.tab]
    return [[ws.cell(r, c).value for c in (2, 3, 4)] for r in range(5, 12)]


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lo") / "rebuilt.xlsx"
    write_plan(read_plan(EXAMPLE), out)
    return out


def test_recalculated_summary_equals_cached(
    rebuilt: Path, libreoffice: LibreOffice, tmp_path: Path
) -> None:
    assert summary_figures(rebuilt) == FIGURES  # our cached values
    resaved = libreoffice.convert(rebuilt, "xlsx", tmp_path / "lo")
    assert summary_figures(resaved) == FIGURES  # LibreOffice's own results


#: The example with a status per action, some of them typed by hand, and three actions
#: without follow-up: (actions, followed up, Ej påbörjad, Pågående, Genomförd, Avbruten,
#: Ej angiven, Annat) per area, then the totals.
STATUSES = ["Genomförd", "pågår", "", "Avbruten", "Klart.", "Väntar på beslut"] * 3 + [
    "Ej påbörjad",
    "Ej startad",
    "GENOMFÖRD",
    "",
]
FOLLOW_UP_FIGURES = [
    [3, 3, 0, 1, 1, 0, 1, 0],
    [7, 5, 0, 1, 2, 2, 1, 1],
    [0, 0, 0, 0, 0, 0, 0, 0],
    [10, 10, 2, 1, 3, 1, 1, 2],
    [2, 2, 0, 0, 1, 0, 1, 0],
    [0, 0, 0, 0, 0, 0, 0, 0],
    [22, 20, 2, 3, 7, 3, 4, 3],
]


def follow_up_figures(path: Path) -> list[list[object]]:
    ws = openpyxl.load_workbook(path, data_only=True)[SPEC.summary.tab]
    head = next(r for r in range(1, 60) if ws.cell(r, 1).value == "Uppföljning per område")
    return [[ws.cell(r, c).value for c in range(2, 10)] for r in range(head + 2, head + 9)]


def test_follow_up_table_recalculated_equals_cached(
    libreoffice: LibreOffice, tmp_path: Path
) -> None:
    plan = read_plan(EXAMPLE)
    frame = plan.actions.assign(status=STATUSES)
    frame.loc[[3, 4], "follow_up"] = ""  # two actions of Otrygga platser not followed up
    source = write_plan(plan.with_actions(frame), tmp_path / "med-status.xlsx")
    rebuilt = write_plan(read_plan(source), tmp_path / "rebuilt.xlsx")
    assert follow_up_figures(rebuilt) == FOLLOW_UP_FIGURES  # our cached values
    poisoned = poison_cached_values(rebuilt, tmp_path / "poisoned.xlsx")
    assert follow_up_figures(poisoned)[0] == [999] * 8
    resaved = libreoffice.convert(poisoned, "xlsx", tmp_path / "lo")
    assert follow_up_figures(resaved) == FOLLOW_UP_FIGURES  # LibreOffice's own results


def poison_cached_values(src: Path, dst: Path) -> Path:
    """Copy ``src`` with every cached formula result replaced by 999."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"(</f>)<v>[^<]*</v>", rb"\1<v>999</v>", data)
            zout.writestr(item, data)
    return dst


def test_libreoffice_really_recalculates(
    rebuilt: Path, libreoffice: LibreOffice, tmp_path: Path
) -> None:
    poisoned = poison_cached_values(rebuilt, tmp_path / "poisoned.xlsx")
    assert summary_figures(poisoned) == [[999, 999, 999]] * 7
    resaved = libreoffice.convert(poisoned, "xlsx", tmp_path / "lo")
    assert summary_figures(resaved) == FIGURES


def test_appended_row_is_counted_after_recalculation(
    rebuilt: Path, libreoffice: LibreOffice, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(rebuilt)  # openpyxl keeps formulas, drops cached values
    ws = wb["Unga i riskzon"]
    new = action(99)
    r = ws.max_row + 1
    for c, key in enumerate(KEYS, start=1):
        ws.cell(r, c, new[key])
    wb.save(tmp_path / "edited.xlsx")
    resaved = libreoffice.convert(tmp_path / "edited.xlsx", "xlsx", tmp_path / "lo")
    figures = summary_figures(resaved)
    assert figures[0] == [4, 4, 4]
    assert figures[1:6] == FIGURES[1:6]
    assert figures[6] == [23, 23, 23]


def test_chart_survives_the_round_trip(
    rebuilt: Path, libreoffice: LibreOffice, tmp_path: Path
) -> None:
    resaved = libreoffice.convert(rebuilt, "xlsx", tmp_path / "lo")
    with zipfile.ZipFile(resaved) as zf:
        charts = sorted(n for n in zf.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 2  # the summary's and the follow-up's
        xml = zf.read(charts[0]).decode()
        stacked = zf.read(charts[1]).decode()
    assert '<c:grouping val="stacked"/>' in stacked and stacked.count("<c:ser>") == 6
    assert "Åtgärdernas status per område" in stacked
    assert "<c:barChart>" in xml and 'barDir val="col"' in xml
    assert xml.count("<c:ser>") == 3
    assert "Sammanställning av åtgärdsplan" in xml
    assert "Sammanställning" in xml and "$B$5:$B$10" in xml


def test_libreoffice_resave_reads_back_the_same(
    rebuilt: Path, libreoffice: LibreOffice, tmp_path: Path
) -> None:
    resaved = libreoffice.convert(rebuilt, "xlsx", tmp_path / "lo")
    before = read_plan(EXAMPLE).actions.drop(columns=["sheet", "row"])
    after = read_plan(resaved).actions.drop(columns=["sheet", "row"])
    assert after.equals(before)


def test_text_cells_unchanged_by_recalculation(libreoffice: LibreOffice, tmp_path: Path) -> None:
    texts = [
        "=1+1",
        "+46 8 508 00 000",
        "-5",
        "@SUM(A1)",
        "https://start.stockholm",
        "007",
        "2025-03-01",
        "1e5",
    ]
    plan = plan_from_records(
        [{"area": TITLES[0], **action(i, follow_up=t)} for i, t in enumerate(texts)], year=2025
    )
    out = write_plan(plan, tmp_path / "t.xlsx")
    resaved = libreoffice.convert(out, "xlsx", tmp_path / "lo")
    ws = openpyxl.load_workbook(resaved)["Unga i riskzon"]
    col = KEYS.index("follow_up") + 1
    cells = [ws.cell(3 + i, col) for i in range(len(texts))]
    assert [c.value for c in cells] == texts
    assert all(c.data_type == "s" for c in cells)


def test_summary_prints_whole_on_one_page(
    rebuilt: Path, libreoffice: LibreOffice, tmp_path: Path
) -> None:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext missing: apt-get install -y poppler-utils")
    pdf = libreoffice.convert(rebuilt, "pdf", tmp_path / "pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    summary_page = [p for p in pages if SPEC.summary.title in p]
    assert len(summary_page) == 1  # the summary fits one page
    page = summary_page[0]
    for label in [*TITLES, "Totalt", "Sammanställning av åtgärdsplan", "Antal åtgärder"]:
        assert label in page, label
    # Every area sheet's footer names its area and numbers the pages "N av M".
    assert f"sida 1 av {len(pages) - (1 if not pages[-1].strip() else 0)}" in text


def test_legacy_xls_reads_like_the_xlsx(libreoffice: LibreOffice, tmp_path: Path) -> None:
    xls = libreoffice.convert(EXAMPLE, "xls", tmp_path / "xls")
    plan = read_plan(xls)
    assert [len(f) for f in plan.frames.values()] == [3, 7, 0, 10, 2, 0]
    expected = read_plan(EXAMPLE).actions.drop(columns=["sheet", "row"])
    assert plan.actions.drop(columns=["sheet", "row"]).equals(expected)


def test_blank_template_sums_to_zero(libreoffice: LibreOffice, tmp_path: Path) -> None:
    out = write_plan(
        blank_plan(2026, "Norra innerstaden"), tmp_path / "mall.xlsx", blank_rows=SPEC.blank_rows
    )
    resaved = libreoffice.convert(out, "xlsx", tmp_path / "lo")
    assert summary_figures(resaved) == [[0, 0, 0]] * 7


def test_filled_in_template_is_read_and_counted(libreoffice: LibreOffice, tmp_path: Path) -> None:
    out = write_plan(
        blank_plan(2026, "Norra innerstaden"), tmp_path / "mall.xlsx", blank_rows=SPEC.blank_rows
    )
    wb = openpyxl.load_workbook(out)
    typed = {"Otrygga platser": [action(1), action(2)], "Utsatta brottsoffer": [action(3)]}
    for tab, rows in typed.items():
        ws = wb[tab]
        for i, row in enumerate(rows):
            for c, key in enumerate(KEYS, start=1):
                ws.cell(3 + i, c, row[key])
    below = 3 + SPEC.blank_rows + 5  # appended well below the formatted block
    for c, key in enumerate(KEYS, start=1):
        wb["Otrygga platser"].cell(below, c, action(4)[key])
    wb.save(tmp_path / "ifylld.xlsx")
    plan = read_plan(tmp_path / "ifylld.xlsx")
    assert expected_frame_rows(plan.frames[TITLES[1]]) == [action(1), action(2), action(4)]
    assert plan.frames[TITLES[1]]["row"].tolist() == [3, 4, below]
    assert expected_frame_rows(plan.frames[TITLES[3]]) == [action(3)]
    assert len(plan.actions) == 4
    resaved = libreoffice.convert(tmp_path / "ifylld.xlsx", "xlsx", tmp_path / "lo")
    figures = summary_figures(resaved)
    assert figures[1] == [3, 3, 3] and figures[3] == [1, 1, 1] and figures[6] == [4, 4, 4]


def test_next_year_workbook_opens_and_reads_back(libreoffice: LibreOffice, tmp_path: Path) -> None:
    rolled = next_year(read_plan(EXAMPLE))
    out = write_plan(
        rolled,
        tmp_path / "2026.xlsx",
        blank_rows=SPEC.next_year_blank_rows,
        previous_follow_up="Uppföljning 2025",
    )
    resaved = libreoffice.convert(out, "xlsx", tmp_path / "lo")
    plan = read_plan(resaved)
    assert plan.meta.year == 2026
    assert (plan.actions["follow_up"] == "").all()
    old = read_plan(EXAMPLE).actions["follow_up"].tolist()
    assert plan.actions["Uppföljning 2025"].tolist() == old
    assert summary_figures(resaved) == FIGURES


def test_ods_from_libreoffice_reads_like_the_xlsx(libreoffice: LibreOffice, tmp_path: Path) -> None:
    """A plan a district saved as .ods: merged problem and cause cells come from the
    spans in content.xml (issue #8)."""
    ods = libreoffice.convert(EXAMPLE, "ods", tmp_path / "ods")
    plan = read_plan(ods)
    expected = read_plan(EXAMPLE)
    assert (plan.meta.year, plan.meta.district) == (2025, "Norra innerstaden")
    assert plan.actions.equals(expected.actions)  # rows and sheets included


def test_blank_cells_under_a_problem_count_once_everywhere(
    libreoffice: LibreOffice, tmp_path: Path
) -> None:
    """Problem and cause written once, blank cells below (not merged): area_counts, the
    cached values and LibreOffice's recalculation agree, and differ from the number of
    actions (issue #13)."""
    from converter import area_counts

    rows = [
        action(1, problem="Otrygghet", cause="Mörker"),
        action(2, problem="", cause=""),
        action(3, problem="", cause="Trängsel"),
        action(4, problem="Klotter", cause="Skymd plats"),
    ]
    plan = plan_from_records([{"area": TITLES[1], **r} for r in rows], year=2025)
    expected = {"problem": 2, "cause": 3, "action": 4}
    assert area_counts(plan)["platser"] == expected
    out = write_plan(plan, tmp_path / "glest.xlsx")
    assert summary_figures(out)[1] == [2, 3, 4]  # cached by us
    poisoned = poison_cached_values(out, tmp_path / "poisoned.xlsx")
    resaved = libreoffice.convert(poisoned, "xlsx", tmp_path / "lo")
    assert summary_figures(resaved)[1] == [2, 3, 4]  # LibreOffice's own


# -- the city workbook (issue #8) ------------------------------------------------------


@pytest.fixture(scope="module")
def city_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import make_folder

    from converter import combine_plans, expand_inputs, read_plans, write_city

    base = tmp_path_factory.mktemp("city")
    inputs = expand_inputs([make_folder(base / "inkorg")])
    city = combine_plans(read_plans(inputs.files, SPEC), skipped=inputs.skipped)
    return write_city(city, base / "stad.xlsx")


def sheet_values(path: Path, tab: str) -> list[list[object]]:
    ws = openpyxl.load_workbook(path, data_only=True)[tab]
    return [[c.value for c in row] for row in ws.iter_rows(max_col=8)]


def test_city_summary_recalculates_to_the_cached_values(
    city_workbook: Path, libreoffice: LibreOffice, tmp_path: Path
) -> None:
    cached = sheet_values(city_workbook, "Sammanställning")
    totals: dict[object, object] = {}
    for r in cached:  # the district x area table's total column (it comes first)
        if r[0] in SPEC.naming.current:
            totals.setdefault(r[0], r[7])
    assert totals == {
        "Enskede-Årsta-Vantör": 3,
        "Järva": 2,
        "Norra innerstaden": 22,
        "Skärholmen": 1,
        "Södermalm": 1,
    }
    poisoned = poison_cached_values(city_workbook, tmp_path / "poisoned.xlsx")
    assert sheet_values(poisoned, "Sammanställning") != cached
    resaved = libreoffice.convert(poisoned, "xlsx", tmp_path / "lo")
    assert sheet_values(resaved, "Sammanställning") == cached
    with zipfile.ZipFile(resaved) as zf:
        names = zf.namelist()
        charts = [zf.read(n).decode() for n in names if n.startswith("xl/charts/chart")]
        tables = [zf.read(n).decode() for n in names if n.startswith("xl/tables/table")]
    quality = sheet_values(city_workbook, "Kvalitet")
    assert ["Norra innerstaden", 22, 22, 2, 0, 13, 0, 0] in [r[:8] for r in quality]
    assert sheet_values(resaved, "Kvalitet") == quality  # LibreOffice's own figures
    assert len(charts) == 3  # the summary's, the districts', the follow-up's
    assert sum('grouping val="clustered"' in c for c in charts) == 1
    assert sum('grouping val="stacked"' in c for c in charts) == 2
    assert len(tables) == 1 and 'displayName="Åtgärder"' in tables[0]


def test_city_counts_a_row_appended_to_the_actions(
    city_workbook: Path, libreoffice: LibreOffice, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(city_workbook)
    ws = wb["Åtgärder"]
    headers = [c.value for c in ws[1]]
    new = {
        "Stadsdel": "Järva",
        "År": 2025,
        "Område": TITLES[0],
        "Område i mallen": TITLES[0],
        "Problemområde/utmaning": "Nytt problem",
        "Orsak": "Ny orsak",
        "Åtgärd": "Ny åtgärd",
    }
    r = ws.max_row + 1
    for name, value in new.items():
        ws.cell(r, headers.index(name) + 1, value)
    wb.save(tmp_path / "tillagd.xlsx")
    resaved = libreoffice.convert(tmp_path / "tillagd.xlsx", "xlsx", tmp_path / "lo")
    before = sheet_values(city_workbook, "Sammanställning")
    after = sheet_values(resaved, "Sammanställning")
    unga = next(i for i, row in enumerate(before) if row[0] == TITLES[0])
    assert after[unga][1:4] == [n + 1 for n in before[unga][1:4]]
    jarva = next(i for i, row in enumerate(before) if row[0] == "Järva")
    assert after[jarva][1] == before[jarva][1] + 1 and after[jarva][7] == before[jarva][7] + 1
