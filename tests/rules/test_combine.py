"""The whole city in one workbook (issue #8): combine_plans, the city workbook, and the
`combine` command on a folder laid out as districts really send their plans."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE, KEYS, SPEC, TITLES, action, make_folder, standard_workbook

from converter import (
    combine_plans,
    expand_inputs,
    load_spec,
    read_plan,
    read_plans,
    write_city,
)
from converter.rules.combine import DISTRICT, TEMPLATE_AREA, DuplicatePlansError

OWN = "Eget prioriterat område"
AREA_HEADERS = [*TITLES[:5], OWN]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return make_folder(tmp_path / "inkorg")


def test_expand_inputs_skips_with_reasons(folder: Path) -> None:
    inputs = expand_inputs([folder])
    assert [p.name for p in inputs.files] == sorted(
        [
            EXAMPLE.name,
            "Kopia av Åtgärdsplan 2025 - Enskede-Årsta-Vantör.xlsx",
            "atgardsplan_2025_skarholmen_slutlig.xlsx",
            "ÅP 2025 Jarva v2.xlsx",
            "Åtgärdsplan Södermalm 2025 (1).xlsx",
            "trasig.xlsx",
        ]
    )
    reasons = {s.path.name: s.reason for s in inputs.skipped}
    assert reasons == {
        "~$ÅP 2025 Jarva v2.xlsx": "Excel lock file (the workbook is open somewhere)",
        "läs mig.txt": "not a workbook by its name",
    }


def test_combine_plans(folder: Path) -> None:
    inputs = expand_inputs([folder])
    results = read_plans(inputs.files, SPEC, workers=2)
    city = combine_plans(results, skipped=inputs.skipped)
    assert city.years == [2025]
    assert city.districts(2025) == [
        "Enskede-Årsta-Vantör",
        "Järva",
        "Norra innerstaden",
        "Skärholmen",
        "Södermalm",
    ]
    assert len(city.actions) == 22 + 3 + 1 + 2 + 1
    counts = city.area_counts(2025)
    # Enskede's second row leaves problem and cause blank under the first: not counted.
    assert counts["unga"] == {"problem": 3 + 1 + 1, "cause": 3 + 1 + 1, "action": 3 + 2 + 1}
    assert counts["eget"] == {"problem": 1, "cause": 1, "action": 1}
    assert city.district_counts(2025)["Enskede-Årsta-Vantör"]["eget"] == 1
    own = city.actions[city.actions["area"] == "Trafiksäkerhet"]
    assert own[TEMPLATE_AREA].tolist() == [OWN] and own[DISTRICT].tolist() == [
        "Enskede-Årsta-Vantör"
    ]
    statuses = {f.path.name: (f.status, f.district, f.actions) for f in city.files}
    assert statuses["trasig.xlsx"] == ("failed", None, None)
    assert statuses["ÅP 2025 Jarva v2.xlsx"] == ("read", "Järva", 2)
    assert statuses["läs mig.txt"] == ("skipped", None, None)
    failed = city.failures[0]
    assert failed.reason.startswith("truncated or corrupt workbook")


def test_duplicates_are_refused_naming_both(folder: Path) -> None:
    copy = folder / "Kopia av Södermalm 2025.xlsx"
    shutil.copy(folder / "Åtgärdsplan Södermalm 2025 (1).xlsx", copy)
    results = read_plans(expand_inputs([folder]).files, SPEC)
    with pytest.raises(DuplicatePlansError) as err:
        combine_plans(results)
    message = str(err.value)
    assert str(copy) in message and "Åtgärdsplan Södermalm 2025 (1).xlsx" in message
    assert "Södermalm 2025" in message


def test_unknown_district_or_year_is_a_failure_with_its_fix(tmp_path: Path) -> None:
    nameless = standard_workbook(tmp_path / "plan 2025.xlsx", {0: [action(1)]})
    yearless = standard_workbook(tmp_path / "Farsta.xlsx", {0: [action(2)]})
    city = combine_plans(read_plans([nameless, yearless], SPEC))
    reasons = {f.path.name: f.reason for f in city.failures}
    assert reasons["plan 2025.xlsx"].startswith("no district found: name it in the file name")
    assert "'Stadsdelsförvaltning'" in reasons["plan 2025.xlsx"]
    assert (
        reasons["Farsta.xlsx"].startswith("no year found:") and "--year" in reasons["Farsta.xlsx"]
    )
    assert city.plans == ()
    again = combine_plans(read_plans([yearless], SPEC, default_year=2025))
    assert [p.meta.district for p in again.plans] == ["Farsta"]


def summary_rows(ws, first: int, n: int, width: int) -> list[list[object]]:
    return [[ws.cell(r, c).value for c in range(1, width + 1)] for r in range(first, first + n)]


def test_city_workbook(folder: Path, tmp_path: Path) -> None:
    inputs = expand_inputs([folder])
    city = combine_plans(read_plans(inputs.files, SPEC), skipped=inputs.skipped)
    out = write_city(city, tmp_path / "stad.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Sammanställning", "Kvalitet", "Åtgärder", "Filer"]
    values = openpyxl.load_workbook(out, data_only=True)["Sammanställning"]
    formulas = wb["Sammanställning"]
    # (a) the district summary's table, for the whole city.
    assert values["A4"].value == "Prioriterat område"
    assert summary_rows(values, 5, 7, 4) == [
        [TITLES[0], 5, 5, 6],
        [TITLES[1], 8, 8, 8],
        [TITLES[2], 0, 0, 0],
        [TITLES[3], 12, 12, 12],
        [TITLES[4], 2, 2, 2],
        [OWN, 1, 1, 1],
        ["Totalt", 28, 28, 29],
    ]
    assert formulas["B5"].value.startswith("=COUNTIFS('Åtgärder'!$B:$B,2025,")
    assert formulas["B11"].value == "=SUM(B5:B10)"
    # (b) districts x areas, Swedish order, totals both ways.
    head = next(r for r in range(12, 40) if values.cell(r, 1).value == "Stadsdel")
    assert [values.cell(head, c).value for c in range(2, 9)] == [*AREA_HEADERS, "Totalt"]
    assert summary_rows(values, head + 1, 6, 8) == [
        ["Enskede-Årsta-Vantör", 2, 0, 0, 0, 0, 1, 3],
        ["Järva", 0, 0, 0, 2, 0, 0, 2],
        ["Norra innerstaden", 3, 7, 0, 10, 2, 0, 22],
        ["Skärholmen", 0, 1, 0, 0, 0, 0, 1],
        ["Södermalm", 1, 0, 0, 0, 0, 0, 1],
        ["Totalt", 6, 8, 0, 12, 2, 1, 29],
    ]
    assert formulas.cell(head + 1, 2).value.startswith("=COUNTIFS('Åtgärder'!$B:$B,2025,")
    assert '"=Enskede-Årsta-Vantör"' in formulas.cell(head + 1, 2).value
    assert len(formulas._charts) == 3  # the summary, the districts, the follow-up
    # Åtgärder: one real table, Swedish headers, text as text.
    ws = wb["Åtgärder"]
    assert list(ws.tables) == ["Åtgärder"]
    table = ws.tables["Åtgärder"]
    assert table.ref == f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}30"
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["Stadsdel", "År", "Område", "Område i mallen"]
    assert headers[4:12] == [c.header for c in SPEC.columns]
    assert headers[-3:] == ["Fil", "Blad", "Rad"]
    rows = [dict(zip(headers, [c.value for c in r], strict=True)) for r in ws.iter_rows(min_row=2)]
    sodermalm = next(r for r in rows if r["Stadsdel"] == "Södermalm")
    assert sodermalm["Åtgärd"] == "=1+1" and ws.cell(rows.index(sodermalm) + 2, 7).data_type == "s"
    assert (
        sodermalm["Uppföljning"] == "https://example.org"
        and not ws.cell(rows.index(sodermalm) + 2, 7).hyperlink
    )
    assert sodermalm["År"] == 2025 and sodermalm["Rad"] == 3
    own = next(r for r in rows if r["Område"] == "Trafiksäkerhet")
    assert own["Område i mallen"] == OWN
    # Filer: every input, what became of it.
    files = {
        r[0].value.split("/")[-1]: [c.value for c in r] for r in wb["Filer"].iter_rows(min_row=2)
    }
    # The reasons in Swedish, as the whole workbook is (issue #23).
    assert files["trasig.xlsx"][6] == (
        "Ej inläst: Arbetsboken är trasig eller ofullständig och kan inte läsas. "
        "Spara den på nytt eller skicka den igen."
    )
    assert files["läs mig.txt"][6] == "Hoppades över: inte en arbetsbok att döma av namnet"
    assert files[EXAMPLE.name][1:7] == ["Norra innerstaden", 2025, 22, 3, 0, "Inläst"]


def test_several_years_are_never_added(tmp_path: Path) -> None:
    a = standard_workbook(tmp_path / "Åtgärdsplan 2024 Farsta.xlsx", {0: [action(1)]})
    b = standard_workbook(tmp_path / "Åtgärdsplan 2025 Farsta.xlsx", {0: [action(1), action(2)]})
    city = combine_plans(read_plans([a, b], SPEC))
    out = write_city(city, tmp_path / "stad.xlsx")
    wb = openpyxl.load_workbook(out, data_only=True)
    assert wb.sheetnames == [
        "Sammanställning 2024",
        "Sammanställning 2025",
        "Kvalitet",
        "Åtgärder",
        "Filer",
    ]
    # Kvalitet: a table per year, under the year's heading; never added together.
    quality = [r for r in wb["Kvalitet"].iter_rows(values_only=True) if r[0]]
    headings = [r[0] for r in quality if str(r[0]).startswith("Kvalitet enligt Brås arbetssätt")]
    assert headings[1:] == [
        "Kvalitet enligt Brås arbetssätt 2024 – per stadsdel",
        "Kvalitet enligt Brås arbetssätt 2025 – per stadsdel",
    ]
    assert wb["Sammanställning 2024"]["D5"].value == 1
    assert wb["Sammanställning 2025"]["D5"].value == 2
    assert wb["Sammanställning 2025"]["A1"].value.endswith("2025 – hela staden")


# -- the command ---------------------------------------------------------------------------


def test_combine_command(folder: Path, tmp_path: Path, run_cli, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("combine", folder)
    assert result.exit_code == 2  # the broken file
    out = tmp_path / "atgardsplan-2025-alla-stadsdelar.xlsx"
    assert out.exists()
    assert result.stdout.strip() == f"wrote {out.name}: 5 plans, 29 actions (2025)"
    err = result.stderr.strip().splitlines()
    assert err[-2:] == [
        "5 combined, 1 failed",
        f"error: {folder / 'trasig.xlsx'}: truncated or corrupt workbook (File is not a zip file)",
    ]
    assert f"note: {folder / 'läs mig.txt'}: skipped: not a workbook by its name" in err
    again = run_cli("combine", folder)
    assert again.exit_code == 2 and "already exists (use --force" in again.stderr
    assert run_cli("combine", folder, "--force").exit_code == 2  # written again, still the bad file
    (folder / "trasig.xlsx").unlink()
    clean = run_cli("combine", folder, "-o", tmp_path / "ren.xlsx")
    assert clean.exit_code == 0 and clean.stderr.strip().endswith("5 combined, 0 failed")
    assert read_plan(EXAMPLE).meta.district == "Norra innerstaden"


def test_combine_duplicates_write_nothing(folder: Path, tmp_path: Path, run_cli) -> None:
    shutil.copy(EXAMPLE, folder / "Kopia av atgardsplan-2025-norra-innerstaden.xlsx")
    out = tmp_path / "stad.xlsx"
    result = run_cli("combine", folder, "-o", out)
    assert result.exit_code == 2 and not out.exists()
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: two workbooks of the same district and year: ")
    # Where each district was read, and how to fix it.
    assert (
        f"{folder / 'Kopia av atgardsplan-2025-norra-innerstaden.xlsx'} (district from its "
        f"title) and {folder / EXAMPLE.name} (from its title) "
        "are both Norra innerstaden 2025. Keep one; for renamed copies of different "
        "districts' plans, name the district in each file name and combine with "
        "--district-from name"
    ) in lines[0]


def test_renamed_copies_of_one_plan_combine_with_district_from_name(
    tmp_path: Path, run_cli
) -> None:
    """Two districts started from one district's filled-in plan, renamed: the title
    inside still says Norra innerstaden. --district-from name takes the file's."""
    folder = tmp_path / "kopior"
    folder.mkdir()
    for district in ("Farsta", "Bromma"):
        shutil.copy(EXAMPLE, folder / f"Åtgärdsplan 2025 {district}.xlsx")
    refused = run_cli("combine", folder, "-o", tmp_path / "a.xlsx")
    assert refused.exit_code == 2 and "(district from its title)" in refused.stderr
    done = run_cli("combine", folder, "-o", tmp_path / "b.xlsx", "--district-from", "name")
    assert done.exit_code == 0, done.stderr
    ws = openpyxl.load_workbook(tmp_path / "b.xlsx", read_only=True)["Åtgärder"]
    column = [c.value for c in next(ws.iter_rows(max_row=1))].index("Stadsdel")
    districts = {row[column] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert districts == {"Bromma", "Farsta"}


def test_the_duplicate_reason_is_swedish_with_where_each_district_came_from(
    tmp_path: Path,
) -> None:
    from converter import read_plan as read
    from converter.documents.messages import error_text

    folder = tmp_path / "kopior"
    folder.mkdir()
    first = shutil.copy(EXAMPLE, folder / "a.xlsx")
    second = shutil.copy(EXAMPLE, folder / "Åtgärdsplan 2025 Norra innerstaden.xlsx")
    plans = [read(first), read(second, district_from_name=True)]
    assert [p.meta.district_from for p in plans] == ["title", "file name"]
    with pytest.raises(DuplicatePlansError) as err:
        combine_plans(plans, spec=SPEC)
    assert error_text(SPEC, err.value.code, err.value.data) == (
        "Två arbetsböcker gäller samma stadsdel och år: a.xlsx (stadsdelen ur rubriken) och "
        "Åtgärdsplan 2025 Norra innerstaden.xlsx (stadsdelen ur filnamnet) är båda Norra "
        "innerstaden 2025. Behåll en av dem. Är de omdöpta kopior av olika stadsdelars "
        "planer: skriv stadsdelen i varje filnamn och sammanställ med --district-from name."
    )


def test_combine_says_when_year_is_not_used_and_where_nothing_was_found(
    folder: Path, tmp_path: Path, run_cli
) -> None:
    result = run_cli("combine", EXAMPLE, "-o", tmp_path / "x.xlsx", "--year", "2024")
    assert "note: --year 2024 was not used: each workbook names its year (2025)" in result.stderr
    empty = tmp_path / "tom"
    empty.mkdir()
    (empty / "anteckning.txt").write_text("x", encoding="utf-8")
    (empty / "~$plan.xlsx").write_bytes(b"lock")
    for command in ("combine", "report", "follow-up", "convert"):
        result = run_cli(command, empty)
        assert result.exit_code == 2, command
        assert (
            f"error: no workbooks found in {empty} (skipped: anteckning.txt: not a workbook "
            "by its name; ~$plan.xlsx: Excel lock file (the workbook is open somewhere))"
        ) in result.stderr, (command, result.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["inkorg", "tom", *(["x.xlsx"] if (tmp_path / "x.xlsx").exists() else [])]
    )  # nothing left behind by the refusals


def test_combine_quiet_and_nothing_usable(tmp_path: Path, run_cli) -> None:
    bad = tmp_path / "trasig.xlsx"
    bad.write_text("inte en arbetsbok", encoding="utf-8")
    result = run_cli("combine", bad, "-o", tmp_path / "x.xlsx")
    assert result.exit_code == 2 and not (tmp_path / "x.xlsx").exists()
    assert result.stderr.strip().splitlines() == [
        f"error: {bad}: not a workbook (plain text file)",
        "error: no usable workbook among 1 input(s); nothing written",
    ]
    good = standard_workbook(tmp_path / "Åtgärdsplan 2025 Bromma.xlsx", {0: [action(1)]})
    quiet = run_cli("combine", good, bad, "-o", tmp_path / "y.xlsx", "--quiet")
    assert quiet.exit_code == 2 and quiet.stdout == ""
    assert quiet.stderr.strip() == f"error: {bad}: not a workbook (plain text file)"


def test_combine_year_option_fills_in_a_missing_year(tmp_path: Path, run_cli) -> None:
    yearless = standard_workbook(tmp_path / "Bromma.xlsx", {0: [action(1)]})
    result = run_cli("combine", yearless, "-o", tmp_path / "a.xlsx")
    assert result.exit_code == 2
    assert "no year found" in result.stderr and "--year" in result.stderr
    result = run_cli("combine", yearless, "--year", "2025", "-o", tmp_path / "b.xlsx")
    assert result.exit_code == 0, result.stderr
    assert "1 plans, 1 actions (2025)" in result.stdout


def test_combined_text_keeps_every_character(tmp_path: Path) -> None:
    tricky = 'Rad ett\nRad två; "citat" <b>fet</b> 🚓 – ÅÄÖ åäö'
    path = standard_workbook(
        tmp_path / "Åtgärdsplan 2025 Farsta.xlsx", {4: [action(1, goal=tricky)]}
    )
    out = write_city(combine_plans(read_plans([path], SPEC)), tmp_path / "stad.xlsx")
    ws = openpyxl.load_workbook(out)["Åtgärder"]
    goal = [c.value for c in ws[1]].index("Operativa mål") + 1
    assert ws.cell(2, goal).value == tricky
    assert [c.value for c in ws[1]][4 + KEYS.index("goal")] == "Operativa mål"


def test_what_became_of_each_file_carries_codes_for_the_page(folder: Path, tmp_path: Path) -> None:
    """Each failed or skipped file has a code and values the web page words in Swedish;
    a plan that cannot be combined keeps its district, year and count (#10, #13)."""
    from converter.documents.messages import error_text

    nameless = standard_workbook(tmp_path / "plan 2025.xlsx", {0: [action(1)]})
    yearless = standard_workbook(tmp_path / "Farsta.xlsx", {0: [action(2), action(3)]})
    inputs = expand_inputs([folder])
    results = read_plans([*inputs.files, nameless, yearless], SPEC)
    city = combine_plans(results, skipped=inputs.skipped, spec=SPEC)
    rows = {f.path.name: f for f in city.files}
    assert (rows["trasig.xlsx"].status, rows["trasig.xlsx"].code) == ("failed", "corrupt")
    assert (rows["plan 2025.xlsx"].code, rows["plan 2025.xlsx"].year) == ("no-district", 2025)
    farsta = rows["Farsta.xlsx"]
    assert (farsta.code, farsta.district, farsta.year, farsta.actions) == (
        "no-year",
        "Farsta",
        None,
        2,
    )
    assert str(farsta).startswith(f"{yearless}: no year found")
    assert str(rows[EXAMPLE.name]) == str(folder / EXAMPLE.name)  # read: no reason
    skipped = [f for f in city.files if f.status == "skipped"]
    assert skipped and all(f.code.startswith("skipped-") for f in skipped)
    texts = {name: error_text(SPEC, f.code, f.data) for name, f in rows.items()}
    assert texts["plan 2025.xlsx"].startswith("Stadsdelen framgår inte.")
    assert texts["Farsta.xlsx"].startswith("Året framgår inte.")
    assert "'Åtgärdsplan 2025 Bromma.xlsx'" in rows["plan 2025.xlsx"].reason


def test_duplicates_and_nothing_usable_carry_codes(folder: Path) -> None:
    from converter.documents.messages import error_text
    from converter.rules.combine import NoUsablePlanError

    copy = folder / "Kopia av Södermalm 2025.xlsx"
    shutil.copy(folder / "Åtgärdsplan Södermalm 2025 (1).xlsx", copy)
    with pytest.raises(DuplicatePlansError) as err:
        combine_plans(read_plans(expand_inputs([folder]).files, SPEC))
    assert err.value.code == "duplicate-plans"
    assert err.value.data["pairs"] == [
        {
            "first": "Kopia av Södermalm 2025.xlsx",
            "first_from": "file name",
            "second": "Åtgärdsplan Södermalm 2025 (1).xlsx",
            "second_from": "file name",
            "district": "Södermalm",
            "year": 2025,
        }
    ]
    assert error_text(SPEC, err.value.code, err.value.data) == (
        "Två arbetsböcker gäller samma stadsdel och år: Kopia av Södermalm 2025.xlsx "
        "(stadsdelen ur filnamnet) och Åtgärdsplan Södermalm 2025 (1).xlsx (stadsdelen ur "
        "filnamnet) är båda Södermalm 2025. Behåll en av dem. Är de omdöpta kopior av olika "
        "stadsdelars planer: skriv stadsdelen i varje filnamn och sammanställ med "
        "--district-from name."
    )
    broken = combine_plans(read_plans([folder / "trasig.xlsx"], SPEC), spec=SPEC)
    with pytest.raises(NoUsablePlanError) as none:
        broken.require_plans()
    assert (none.value.code, none.value.data) == ("no-usable-plan", {"count": 1})
    assert str(none.value) == "no usable workbook among 1 input(s); nothing written"
    with pytest.raises(NoUsablePlanError) as empty:
        combine_plans([], spec=SPEC).require_plans()
    assert (empty.value.code, str(empty.value)) == ("no-workbooks", "no workbooks found")


def test_city_columns_years_and_provenance(tmp_path: Path) -> None:
    """Extra columns of every district, each once; a district without one gets blanks;
    the file of every action; the years' label; whole numbers for year and row (#13)."""
    from converter import plan_from_records

    a = plan_from_records(
        [{"area": TITLES[0], **action(1), "Prioritet": "Klar"}], year=2024, district="Farsta"
    )
    b = plan_from_records(
        [{"area": TITLES[1], **action(2), "Kommentar": "Ny", "Prioritet": "Pågår"}],
        year=2025,
        district="Bromma",
    )
    c = plan_from_records([{"area": TITLES[2], **action(3)}], year=2025, district="Järva")
    b = replace(b, meta=replace(b.meta, source=tmp_path / "b.xlsx"))
    city = combine_plans([a, b, c], spec=SPEC)
    assert city.extra_columns == ("Prioritet", "Kommentar")
    frame = city.actions
    assert frame["Prioritet"].tolist() == ["Klar", "Pågår", ""]
    assert frame["Kommentar"].tolist() == ["", "Ny", ""]
    assert frame["file"].tolist() == ["", str(tmp_path / "b.xlsx"), ""]
    assert str(frame["year"].dtype) == "int64" and str(frame["row"].dtype) == "int64"
    assert city.years_label() == "2024-2025" and city.years_label("–") == "2024–2025"
    assert combine_plans([c], spec=SPEC).years_label() == "2025"
    assert combine_plans([], spec=SPEC).years_label() == ""
    # Without a spec given: the plans' own (another municipality's), else the bundled one.
    shutil.copy(SPEC.path, tmp_path / "annan.toml")
    other = load_spec(tmp_path / "annan.toml")
    d = plan_from_records(
        [{"area": TITLES[0], **action(4)}], year=2025, district="Farsta", spec=other
    )
    assert combine_plans([d]).spec is other
    assert combine_plans([]).spec is SPEC


def test_combine_at_the_edges(tmp_path: Path) -> None:
    """Plans made in code (no file), three years, three copies of one district, and a
    refused file whose values the page needs for its Swedish words (#13)."""
    import hostile

    from converter import plan_from_records
    from converter.documents.messages import error_text

    def plan(district: str | None, year: int | None) -> object:
        return plan_from_records([{"area": TITLES[0], **action(1)}], year=year, district=district)

    years = combine_plans([plan("Farsta", y) for y in (2023, 2024, 2025)], spec=SPEC)
    assert years.years_label() == "2023-2025"
    nameless = combine_plans([plan(None, 2025)], spec=SPEC)
    assert nameless.files[0].path == Path("") and nameless.files[0].year == 2025
    with pytest.raises(DuplicatePlansError) as err:
        combine_plans([plan("Farsta", 2025) for _ in range(3)], spec=SPEC)
    assert str(err.value).startswith(
        "two workbooks of the same district and year: None (district from ?) and None "
        "(from ?) are both Farsta 2025; None"
    )
    assert err.value.data["pairs"][0] == {
        "first": "",
        "first_from": "",
        "second": "",
        "second_from": "",
        "district": "Farsta",
        "year": 2025,
    }
    bomb = hostile.decompression_bomb(tmp_path / "bomb.xlsx")
    city = combine_plans(read_plans([bomb], SPEC), spec=SPEC)
    row = city.files[0]
    assert (row.code, row.data) == ("zip-bomb", {"size_mib": 2048, "limit_mib": 512})
    assert error_text(SPEC, row.code, row.data).startswith(
        "Arbetsboken packas upp till 2048 MiB, mer än gränsen på 512 MiB."
    )
