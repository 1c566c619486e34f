"""What was done (#19): the one follow-up rule, the `follow-up` command (text, JSON, the
workbook per district) and the city workbook's district x status table."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import ALL_KEYS, KEYS, SPEC, TITLES, action, write_area

from converter import plan_from_records, read_plan
from converter.rules.follow_up import area_follow_up, missing_follow_up, status_labels, total

LABELS = ["Ej påbörjad", "Pågående", "Genomförd", "Avbruten", "Ej angiven", "Annat"]


def district_workbook(
    path: Path, district: str, statuses: list[str], follow_ups: list[str]
) -> Path:
    """One district's plan with a Status column after Uppföljning, typed by hand."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SPEC.areas[0].tab
    rows = [
        action(i, status=s, follow_up=f)
        for i, (s, f) in enumerate(zip(statuses, follow_ups, strict=True))
    ]
    write_area(ws, TITLES[0], rows, keys=ALL_KEYS)
    ws2 = wb.create_sheet(SPEC.areas[3].tab)
    write_area(ws2, TITLES[3], [action(50, status="Klar"), action(51, action="")], keys=ALL_KEYS)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def test_labels_are_the_values_then_not_given_and_other() -> None:
    assert status_labels(SPEC) == LABELS


def test_counts_per_area_with_typed_blank_and_unknown_statuses(tmp_path: Path) -> None:
    path = district_workbook(
        tmp_path / "Åtgärdsplan 2025 Farsta.xlsx",
        "Farsta",
        ["klar", "Pågår", "", "Väntar", "inställd"],
        ["Genomfört", "", "", "x", "y"],
    )
    plan = read_plan(path)
    counts = area_follow_up(plan)
    unga = counts["unga"]
    assert (unga.actions, unga.followed_up) == (5, 3)
    assert list(unga.status.values()) == [0, 1, 1, 1, 1, 1]
    assert list(unga.status) == LABELS
    # A row without an action text is not an action: its problem is counted, not it.
    offer = counts["brottsoffer"]
    assert (offer.actions, offer.followed_up, offer.status["Genomförd"]) == (1, 1, 1)
    everything = total(counts.values())
    assert (everything.actions, everything.followed_up) == (6, 4)
    assert everything.status == dict(zip(LABELS, [0, 1, 2, 1, 1, 1], strict=True))
    # An area without actions counts nothing, under every label.
    assert counts["systemhot"].actions == 0
    assert counts["systemhot"].status == dict.fromkeys(LABELS, 0)
    assert unga.share == pytest.approx(0.6)


def test_missing_names_the_first_lacking_cell_and_what_is_lacking(tmp_path: Path) -> None:
    path = district_workbook(
        tmp_path / "Åtgärdsplan 2025 Farsta.xlsx", "Farsta", ["klar", "", ""], ["x", "y", ""]
    )
    missing = missing_follow_up(read_plan(path))
    assert [(m.cell, m.lacks) for m in missing] == [
        ("'Unga i riskzon'!H4", ("status",)),
        ("'Unga i riskzon'!G5", ("follow_up", "status")),
    ]
    assert missing[0].action == action(1)["action"] and missing[0].area == TITLES[0]


def test_a_plan_made_in_code_counts_synonyms_as_their_value() -> None:
    """Texts that count under one label add up: a synonym beside its value, two
    different unknown texts under Annat."""
    statuses = ["klart", "Genomförd", "", "Väntar", "Delvis", "Delvis"]
    plan = plan_from_records(
        [{"area": TITLES[1], **action(i), "status": s} for i, s in enumerate(statuses)]
    )
    counts = area_follow_up(plan)["platser"]
    assert counts.status == dict(zip(LABELS, [0, 0, 2, 0, 1, 3], strict=True))


@pytest.fixture
def city_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "stad"
    district_workbook(
        folder / "Åtgärdsplan 2025 Farsta.xlsx", "Farsta", ["Genomförd", "pågår"], ["a", ""]
    )
    district_workbook(
        folder / "Åtgärdsplan 2025 Södermalm.xlsx", "Södermalm", ["", "Avbruten", "?"], ["", "", ""]
    )
    (folder / "trasig.xlsx").write_text("inte en arbetsbok", encoding="utf-8")
    return folder


def test_follow_up_json_on_a_city_folder(city_folder: Path, run_cli) -> None:
    (city_folder / "trasig.xlsx").unlink()
    result = run_cli("follow-up", city_folder, "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [(p["district"], p["year"]) for p in doc["plans"]] == [
        ("Farsta", 2025),
        ("Södermalm", 2025),
    ]
    farsta = doc["plans"][0]
    assert Path(farsta["file"]).name == "Åtgärdsplan 2025 Farsta.xlsx"
    unga = farsta["areas"][0]
    assert unga == {
        "area": TITLES[0],
        "actions": 2,
        "followed_up": 1,
        "status": dict(zip(LABELS, [0, 1, 1, 0, 0, 0], strict=True)),
    }
    assert [a["area"] for a in farsta["areas"]] == TITLES
    assert farsta["missing"] == [
        {
            "cell": "'Unga i riskzon'!G4",
            "area": TITLES[0],
            "action": action(1)["action"],
            "lacks": ["follow_up"],
        }
    ]
    sodermalm = doc["plans"][1]["areas"][0]["status"]
    assert (sodermalm["Avbruten"], sodermalm["Ej angiven"], sodermalm["Annat"]) == (1, 1, 1)


def test_follow_up_text_groups_and_caps_the_missing(tmp_path: Path, run_cli) -> None:
    n = 14
    path = district_workbook(
        tmp_path / "Åtgärdsplan 2025 Farsta.xlsx", "Farsta", ["Genomförd"] * n, [""] * n
    )
    result = run_cli("follow-up", path)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        lines[0] == "Farsta 2025 (Åtgärdsplan 2025 Farsta.xlsx): 1 of 15 actions followed up (7 %)"
    )
    assert "Ej påbörjad  Pågående  Genomförd  Avbruten  Ej angiven  Annat" in lines[1]
    assert lines[-1].startswith("    no follow-up (14): 'Unga i riskzon'!G3, G4,")
    assert lines[-1].endswith("… and 4 more")
    verbose = run_cli("follow-up", path, "--verbose").stdout
    assert "G16" in verbose and "more" not in verbose


def test_follow_up_workbook_has_a_sheet_per_district(
    city_folder: Path, tmp_path: Path, run_cli
) -> None:
    out = tmp_path / "uppföljning.xlsx"
    result = run_cli("follow-up", city_folder, "-o", out)
    assert result.exit_code == 2  # the broken file is unusable input, named last
    assert "trasig.xlsx" in result.stderr.splitlines()[-1]
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Farsta", "Södermalm"]
    assert wb.properties.title == "Uppföljning"
    ws = wb["Södermalm"]
    assert ws["A1"].value == "Uppföljning Södermalm 2025"
    assert ws["A2"].value == "1 av 4 åtgärder är uppföljda (25 %)."
    assert [c.value for c in ws[5]][:9] == [
        "Prioriterat område",
        "Antal åtgärder",
        "Uppföljda",
        *LABELS,
    ]
    assert [c.value for c in ws[6]][:9] == [TITLES[0], 3, 0, 0, 0, 0, 1, 1, 1]
    texts = [c.value for row in ws.iter_rows() for c in row]
    assert "Åtgärder som saknar uppföljning eller status" in texts
    assert "uppföljning, status" in texts and "'Unga i riskzon'!G3" in texts
    again = run_cli("follow-up", city_folder, "-o", out)
    assert again.exit_code == 2 and "exists" in again.stderr  # never overwritten unasked
    wrong = run_cli("follow-up", city_folder, "-o", tmp_path / "lista.csv")
    assert wrong.exit_code == 2 and not (tmp_path / "lista.csv").exists()


def test_city_workbook_counts_follow_up_per_district_with_formulas(
    city_folder: Path, tmp_path: Path, run_cli
) -> None:
    out = tmp_path / "stad.xlsx"
    run_cli("combine", city_folder, "-o", out)
    ws = openpyxl.load_workbook(out)["Sammanställning"]
    head = next(r for r in range(1, 120) if ws.cell(r, 1).value == "Uppföljning per stadsdel 2025")
    assert [ws.cell(head + 1, c).value for c in range(1, 4)] == [
        "Stadsdel",
        "Antal åtgärder",
        "Uppföljda",
    ]
    assert ws.cell(head + 2, 1).value == "Farsta"
    formula = ws.cell(head + 2, 5).value  # Farsta's Pågående
    assert formula.startswith("=COUNTIFS(") and '"=Pågående"' in formula and '"=Farsta"' in formula
    cached = openpyxl.load_workbook(out, data_only=True)["Sammanställning"]
    assert [cached.cell(head + 2, c).value for c in range(2, 10)] == [3, 2, 0, 1, 2, 0, 0, 0]
    assert [cached.cell(head + 4, c).value for c in range(2, 10)] == [7, 3, 0, 1, 3, 1, 1, 1]
    with zipfile.ZipFile(out) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 3  # the summary's, the districts', the follow-up's


def test_workbooks_of_today_keep_working(tmp_path: Path) -> None:
    """A plan without the Status column: every status Ej angiven, nothing else changes."""
    wb = openpyxl.Workbook()
    write_area(wb.active, TITLES[0], [action(1), action(2, follow_up="")], keys=KEYS)
    wb.save(tmp_path / "Åtgärdsplan 2025 Farsta.xlsx")
    counts = area_follow_up(read_plan(tmp_path / "Åtgärdsplan 2025 Farsta.xlsx"))["unga"]
    assert (counts.actions, counts.followed_up, counts.status["Ej angiven"]) == (2, 1, 2)


def test_diff_follow_up_shows_a_status_change_as_an_arrow(tmp_path: Path, run_cli) -> None:
    def plan_file(name: str, year: int, status: str) -> Path:
        wb = openpyxl.Workbook()
        write_area(wb.active, TITLES[0], [action(1, status=status), action(2)], keys=ALL_KEYS)
        wb.active.title = SPEC.areas[0].tab
        wb.save(tmp_path / name)
        return tmp_path / name

    old = plan_file("Åtgärdsplan 2025 Farsta.xlsx", 2025, "pågår")
    new = plan_file("Åtgärdsplan 2026 Farsta.xlsx", 2026, "Klart")
    plain = run_cli("diff", old, new)
    assert plain.exit_code == 0, plain.stdout  # the status is not compared unasked
    text = run_cli("diff", old, new, "--follow-up")
    assert text.exit_code == 1
    assert "  status: Pågående → Genomförd" in text.stdout
    html_out, xlsx_out = tmp_path / "d.html", tmp_path / "d.xlsx"
    assert run_cli("diff", old, new, "--follow-up", "-o", html_out).exit_code == 1
    html = html_out.read_text(encoding="utf-8")
    assert "Pågående</del> → <ins" in html and ">Genomförd</ins>" in html
    assert run_cli("diff", old, new, "--follow-up", "-o", xlsx_out).exit_code == 1
    ws = openpyxl.load_workbook(xlsx_out)["Jämförelse"]
    changed = [row[4].value for row in ws.iter_rows(min_row=2)]
    assert "Status (Pågående → Genomförd)" in changed
