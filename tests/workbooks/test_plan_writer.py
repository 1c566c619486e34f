"""write_plan: area sheets, Sammanställning formulas with cached values, chart, properties,
text kept as text (issue #3)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE, KEYS, SPEC, TITLES, action

from converter import OutputError, plan_from_records, read_plan, write_plan
from converter.workbooks.plan_writer import FIRST_DATA_ROW

HOSTILE_TEXTS = [
    "=1+1",
    "+46 8 508 00 000",
    "-5",
    "@SUM(A1)",
    '=HYPERLINK("http://example.com","klicka")',
    "https://start.stockholm/trygghet",
    "0701234567",
    "1e5",
    "2025-03-01",
    "  ",  # becomes empty after normalisation
    "'citat",
]


@pytest.fixture(scope="module")
def example_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("w") / "out.xlsx"
    write_plan(read_plan(EXAMPLE), out)
    return out


def test_sheets_in_spec_order_with_summary_last(example_out: Path) -> None:
    wb = openpyxl.load_workbook(example_out)
    assert wb.sheetnames == [a.tab for a in SPEC.areas] + [SPEC.summary.tab]


def test_area_sheet_layout(example_out: Path) -> None:
    wb = openpyxl.load_workbook(example_out)
    ws = wb["Otrygga platser"]
    assert ws["A1"].value == TITLES[1]
    assert [ws.cell(1, c).value for c in range(2, 9)] == [c.header for c in SPEC.columns[1:]]
    assert [ws.cell(2, c).value for c in range(1, 9)] == [c.instruction for c in SPEC.columns]
    assert ws["A2"].font.i and ws["A2"].font.sz == 8
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref.startswith("A1:H")
    assert not ws.merged_cells.ranges  # no merged cells in data
    # Merged runs of the example are written in full, row by row.
    assert [ws.cell(r, 1).value for r in range(3, 7)] == ["Klaraområdet"] * 4
    assert ws["B3"].alignment.wrap_text and ws["B3"].alignment.vertical == "top"
    assert ws.column_dimensions["C"].width == pytest.approx(SPEC.column("action").width, abs=1)
    assert ws.row_dimensions[3].height > 30  # fitted to the wrapped text


def test_row_height_estimate() -> None:
    from converter.workbooks.plan_writer import row_height, row_heights

    # width 40 at 10 pt holds 47 characters a line; 13 pt a line plus 4 pt padding
    assert row_height(["a" * 100], [40]) == 3 * 13.0 + 4.0
    assert row_height(["", "b\nc\nd"], [40, 20]) == 3 * 13.0 + 4.0
    assert row_height(["x"], [40]) == 17.0 and row_height([""], [40]) == 17.0
    assert row_height(["y" * 100_000], [10]) == 409.0  # Excel's largest row
    assert row_heights([["a" * 100, "", "z"], ["x" * 10, "", "y" * 300]], [40, 20]) == [
        43.0,
        17.0,
        186.0,
    ]


def test_print_setup(example_out: Path) -> None:
    ws = openpyxl.load_workbook(example_out)["Unga i riskzon"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1)  # 1 is the default xlsxwriter leaves out
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$2"
    footer = ws.oddFooter
    assert footer.left.text == TITLES[0]
    assert "&P av &N" in footer.right.text


def test_summary_formulas_and_cached_values(example_out: Path) -> None:
    wb = openpyxl.load_workbook(example_out)
    ws = wb[SPEC.summary.tab]
    assert ws["A1"].value == SPEC.summary.title
    assert [ws.cell(4, c).value for c in range(1, 5)] == [
        SPEC.summary.area_header,
        *[c.header for c in SPEC.summary.counts],
    ]
    assert [ws.cell(r, 1).value for r in range(5, 11)] == TITLES
    formula = ws["B5"].value
    assert re.fullmatch(r"=COUNTA\('Unga i riskzon'!A3:A(\d+)\)", formula)
    assert int(re.search(r"A(\d+)\)", formula).group(1)) >= FIRST_DATA_ROW + 1000
    assert ws["C6"].value.startswith("=COUNTA('Otrygga platser'!B3:B")
    assert ws["D8"].value.startswith("=COUNTA('Utsatta brottsoffer'!C3:C")
    assert ws["A11"].value == "Totalt" and ws["B11"].value == "=SUM(B5:B10)"
    cached = openpyxl.load_workbook(example_out, data_only=True)[SPEC.summary.tab]
    assert [[cached.cell(r, c).value for c in (2, 3, 4)] for r in range(5, 12)] == [
        [3, 3, 3],
        [7, 7, 7],
        [0, 0, 0],
        [10, 10, 10],
        [2, 2, 2],
        [0, 0, 0],
        [22, 22, 22],
    ]


def test_native_chart(example_out: Path) -> None:
    with zipfile.ZipFile(example_out) as zf:
        charts = sorted(n for n in zf.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 2  # the summary's, then the follow-up's
        xml = zf.read(charts[0]).decode()
    assert "<c:barChart>" in xml and '<c:barDir val="col"/>' in xml
    assert '<c:grouping val="clustered"/>' in xml
    assert xml.count("<c:ser>") == 3
    assert "Sammanställning av åtgärdsplan" in xml
    assert '<c:min val="0"/>' in xml and '<c:majorUnit val="1"/>' in xml
    assert '<c:legendPos val="b"/>' in xml
    assert '<c:showVal val="1"/>' in xml
    assert "$B$5:$B$10" in xml and "$A$5:$A$10" in xml


def test_properties_read_back(example_out: Path) -> None:
    wb = openpyxl.load_workbook(example_out)
    assert wb.properties.title == "Åtgärdsplan 2025 – Norra innerstaden"
    custom = {p.name: p.value for p in wb.custom_doc_props.props}
    assert custom == {"År": 2025, "Stadsdelsförvaltning": "Norra innerstaden"}
    plan = read_plan(example_out)
    assert (plan.meta.year, plan.meta.district) == (2025, "Norra innerstaden")


def test_round_trip_of_the_example(example_out: Path) -> None:
    before = read_plan(EXAMPLE).actions.drop(columns=["sheet", "row"])
    after = read_plan(example_out).actions.drop(columns=["sheet", "row"])
    assert after.equals(before)
    assert read_plan(example_out).meta.summary_found.rows["unga"]["problem"].value == 3


def test_text_stays_text(tmp_path: Path) -> None:
    rows = [
        action(i, follow_up=t, cause=t, responsible=t or "x") for i, t in enumerate(HOSTILE_TEXTS)
    ]
    plan = plan_from_records([{"area": TITLES[0], **r} for r in rows], year=2025)
    out = write_plan(plan, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(out)["Unga i riskzon"]
    for i, text in enumerate(HOSTILE_TEXTS):
        cell = ws.cell(FIRST_DATA_ROW + 1 + i, KEYS.index("follow_up") + 1)
        assert cell.data_type == "s", (text, cell.data_type)
        assert cell.value == text  # written exactly; the reader normalises on the way in
        assert cell.hyperlink is None
    with zipfile.ZipFile(out) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet_xml and "hyperlink" not in sheet_xml
    back = read_plan(out).actions["follow_up"].tolist()
    assert back == [t.strip() for t in HOSTILE_TEXTS]


def test_text_over_excels_limit_is_an_error(tmp_path: Path) -> None:
    plan = read_plan(EXAMPLE)
    actions = plan.actions.copy()
    actions.loc[4, "follow_up"] = "x" * 32_768
    with pytest.raises(
        OutputError, match=r"sheet 'Platser' row 4, column 'follow_up'.*32,768"
    ) as e:
        write_plan(plan.with_actions(actions), tmp_path / "long.xlsx")
    assert str(e.value).startswith(f"{EXAMPLE}: sheet 'Platser' row 4")  # names the input
    assert list(tmp_path.iterdir()) == []  # nothing half-written
    actions.loc[4, "follow_up"] = "x" * 32_767  # exactly the limit is fine
    write_plan(plan.with_actions(actions), tmp_path / "ok.xlsx")
    assert read_plan(tmp_path / "ok.xlsx").actions.loc[4, "follow_up"] == "x" * 32_767


def test_extra_columns_are_written_after_the_known_ones(tmp_path: Path) -> None:
    plan = plan_from_records([{"area": TITLES[2], **action(1), "Prioritet": "Pågår"}])
    out = write_plan(plan, tmp_path / "s.xlsx")
    ws = openpyxl.load_workbook(out)["Systemhotande brottslighet"]
    assert ws["I1"].value == "Prioritet" and ws["I3"].value == "Pågår"
    assert read_plan(out).actions["Prioritet"].tolist() == ["Pågår"]


def test_control_characters_become_replacement_characters(tmp_path: Path) -> None:
    plan = plan_from_records([{"area": TITLES[0], **action(1, goal="före\x01efter\x1f")}])
    out = write_plan(plan, tmp_path / "c.xlsx")
    assert read_plan(out).actions.at[0, "goal"] == "före\ufffdefter\ufffd"


def test_renamed_own_area_gets_its_own_tab(tmp_path: Path) -> None:
    plan = plan_from_records(
        [{"area": "eget", **action(1)}], area_titles={"eget": "Trafik: säkerhet/skolvägar [2026]"}
    )
    out = write_plan(plan, tmp_path / "o.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[5] == "Trafik säkerhet skolvägar 2026"
    assert wb.worksheets[5]["A1"].value == "Trafik: säkerhet/skolvägar [2026]"
    assert read_plan(out).meta.area_titles["eget"] == "Trafik: säkerhet/skolvägar [2026]"


def test_existing_output_is_not_overwritten(tmp_path: Path) -> None:
    plan = read_plan(EXAMPLE)
    out = tmp_path / "o.xlsx"
    out.write_bytes(b"keep me")
    with pytest.raises(OutputError, match="already exists"):
        write_plan(plan, out)
    assert out.read_bytes() == b"keep me"
    write_plan(plan, out, overwrite=True)
    assert len(read_plan(out).actions) == 22


def test_formula_preparation_is_xlsxwriters_own(tmp_path: Path) -> None:
    """FormulaSheet skips xlsxwriter's regular expressions only where they change
    nothing: every formula of a written plan and city workbook, and dynamic-array ones,
    come out as xlsxwriter itself prepares them."""
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

    from converter.workbooks.blocks import FormulaSheet, new_workbook

    out = write_plan(read_plan(EXAMPLE), tmp_path / "p.xlsx")
    wb = openpyxl.load_workbook(out)
    formulas = [
        c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]
    assert len(formulas) > 60 and any("COUNTIFS" in f for f in formulas)
    formulas += [
        "=SORT(A1:A3)",
        "{=SUM(A1:A3*B1:B3)}",
        "=XLOOKUP(1,A:A,B:B)",
        "=_xlfn.UNIQUE(A:A)",
        "=COUNTIFS('Åtgärder'!$E:$E,\"=MAP(\")",
        "=LAMBDA(x,x+1)(2)",
    ]
    plain = Workbook(str(tmp_path / "a.xlsx")).add_worksheet()
    ours = new_workbook(tmp_path / "b.xlsx").add_worksheet()
    assert type(ours) is FormulaSheet and isinstance(plain, Worksheet)
    for formula in formulas:
        assert ours._prepare_formula(formula) == plain._prepare_formula(formula), formula
        assert ours._prepare_formula(formula, True) == plain._prepare_formula(formula, True)
