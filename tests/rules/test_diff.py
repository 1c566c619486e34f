"""What changed since last year (issue #11): pairing without a key, statuses, outputs,
and a property-based test that diff reports exactly the edits made."""

from __future__ import annotations

import json
import os
from pathlib import Path

import openpyxl
from conftest import EXAMPLE, KEYS, TITLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converter import next_year, plan_from_records, read_plan, write_plan
from converter.documents.diff_report import diff_to_html
from converter.rules.diff import ADDED, CHANGED, MOVED, REMOVED, UNCHANGED, diff_plans
from converter.rules.diff_records import diff_records, word_diff

EXAMPLE_PLAN = read_plan(EXAMPLE)
RECORDS = [{k: r[k] for k in ("area", *KEYS)} for r in EXAMPLE_PLAN.actions.to_dict("records")]


def statuses(frame) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {k: int(v) for k, v in frame["status"].value_counts().items()}


def test_last_year_against_its_rolled_over_plan(tmp_path: Path, run_cli) -> None:
    rolled = tmp_path / "atgardsplan-2026.xlsx"
    write_plan(next_year(EXAMPLE_PLAN), rolled, previous_follow_up="Uppföljning 2025")
    frame = diff_plans(EXAMPLE_PLAN, read_plan(rolled))
    assert statuses(frame) == {UNCHANGED: 22}  # "Uppföljning 2025" left out, follow-up too
    assert run_cli("diff", EXAMPLE, rolled).exit_code == 0
    with_follow_up = diff_plans(EXAMPLE_PLAN, read_plan(rolled), follow_up=True)
    assert statuses(with_follow_up) == {CHANGED: 22}  # emptied for the new year
    assert set(map(tuple, with_follow_up["changed"])) == {("follow_up",)}


def hand_edited(tmp_path: Path) -> Path:
    """Next year's workbook edited as people do: a reworded action, a row moved to
    another sheet, a row deleted, a row added, rows reordered."""
    rolled = tmp_path / "2026.xlsx"
    write_plan(next_year(EXAMPLE_PLAN), rolled)
    wb = openpyxl.load_workbook(rolled)
    unga, platser, brottsoffer = (
        wb["Unga i riskzon"],
        wb["Otrygga platser"],
        wb["Utsatta brottsoffer"],
    )
    unga["C3"].value = unga["C3"].value.replace("regeringsuppdrag", "uppdrag från regeringen")
    moved = [c.value for c in platser[4]]
    platser.delete_rows(4)
    kriminella = wb["Kriminella miljöer"]
    for c, v in enumerate(moved, start=1):
        kriminella.cell(5, c, v)
    brottsoffer.delete_rows(6)
    new = [
        "Nytt problem",
        "Ny orsak",
        "Cykelpatrull längs Norr Mälarstrand",
        "Färre stölder",
        "Vt 2026",
        "Polisen",
        "",
    ]
    for c, v in enumerate(new, start=1):
        unga.cell(6, c, v)
    rows = [[c.value for c in brottsoffer[r]] for r in (3, 4)]
    for r, values in zip((4, 3), rows, strict=True):  # swap two rows: order is no change
        for c, v in enumerate(values, start=1):
            brottsoffer.cell(r, c, v)
    wb.save(tmp_path / "ändrad.xlsx")
    return tmp_path / "ändrad.xlsx"


def test_a_hand_edited_copy(tmp_path: Path, run_cli) -> None:
    edited = hand_edited(tmp_path)
    frame = diff_plans(EXAMPLE_PLAN, read_plan(edited))
    assert statuses(frame) == {UNCHANGED: 19, CHANGED: 1, MOVED: 1, ADDED: 1, REMOVED: 1}
    changed = frame[frame["status"] == CHANGED].iloc[0]
    assert changed["changed"] == ["action"] and 80 < changed["score"] < 100
    moved = frame[frame["status"] == MOVED].iloc[0]
    assert (moved["area_old"], moved["area_new"]) == (TITLES[1], TITLES[4])
    assert moved["changed"] == []
    assert frame[frame["status"] == ADDED].iloc[0]["new_action"].startswith("Cykelpatrull")
    result = run_cli("diff", EXAMPLE, edited)
    assert result.exit_code == 1
    out = result.stdout
    assert "changed ('Unga' row 3 → 'Unga i riskzon' row 3, similarity" in out
    assert "[-regeringsuppdrag.-]{+uppdrag från regeringen.+}" in out
    assert f"moved ('Platser' row 4 → 'Kriminella miljöer' row 5, {TITLES[1]} → {TITLES[4]}" in out
    assert "added ('Unga i riskzon' row 6, Unga i riskzon för destruktivt beteende)" in out


def test_outputs(tmp_path: Path, run_cli) -> None:
    edited = hand_edited(tmp_path)
    result = run_cli("diff", EXAMPLE, edited, "--format", "json")
    data = json.loads(result.stdout)
    assert len(data) == 22 + 1
    assert set(data[0]) == {"status", "area_old", "area_new", "score", "changed", "old", "new"}
    added = next(r for r in data if r["status"] == ADDED)
    assert added["old"] is None and added["new"]["row"] == 6 and added["score"] is None
    assert set(added["new"]) == {*KEYS[:-1], "sheet", "row"}  # the follow-up is not compared
    out = tmp_path / "jämförelse.xlsx"
    result = run_cli("diff", EXAMPLE, edited, "-o", out)
    assert result.exit_code == 1
    assert result.stdout.strip().startswith(f"wrote {out} (19 unchanged")
    wb = openpyxl.load_workbook(out, rich_text=True)
    assert wb.sheetnames == ["Jämförelse", "Sammanfattning"]
    ws = wb["Jämförelse"]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["Status", "Område (2025)", "Område (2026)", "Likhet", "Ändrade kolumner"]
    assert header[5:7] == ["Åtgärd (2025)", "Åtgärd (2026)"]
    assert ws.auto_filter.ref.startswith("A1:")
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "ändrad")
    old, new = row[5].value, row[6].value
    assert "regeringsuppdrag" in str(old) and "uppdrag från regeringen" in str(new)
    struck = [part for part in old if getattr(part, "font", None) and part.font.strike]
    underlined = [part for part in new if getattr(part, "font", None) and part.font.u]
    assert struck and "regeringsuppdrag" in struck[0].text
    assert underlined and "uppdrag från regeringen" in underlined[0].text
    assert {r[0].value for r in ws.iter_rows(min_row=2)} == {
        "oförändrad",
        "ändrad",
        "flyttad",
        "ny",
        "borttagen",
    }
    html = tmp_path / "jämförelse.html"
    assert run_cli("diff", EXAMPLE, edited, "-o", html).exit_code == 1
    page = html.read_text(encoding="utf-8")
    assert (
        '<html lang="sv">' in page
        and "<del>regeringsuppdrag.</del><ins>uppdrag från regeringen.</ins>" in page
    )
    assert run_cli("diff", EXAMPLE, edited, "-o", out).exit_code == 2  # exists


def test_unusable_input_is_exit_2(tmp_path: Path, run_cli) -> None:
    bad = tmp_path / "trasig.xlsx"
    bad.write_bytes(b"")
    result = run_cli("diff", EXAMPLE, bad)
    assert result.exit_code == 2 and result.stderr.strip() == f"error: {bad}: file is empty"


def test_html_escapes_cell_text() -> None:
    rows = [{**r} for r in RECORDS]
    rows[0] = {**rows[0], "action": rows[0]["action"] + " <script>alert(1)</script>"}
    other = plan_from_records(rows, year=2026, district="Norra innerstaden")
    page = diff_to_html(diff_plans(EXAMPLE_PLAN, other), EXAMPLE_PLAN, other)
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_word_diff() -> None:
    assert word_diff(
        "Trygghetsvandring i Vasastan varje vår", "Trygghetsvandring i Vasastan varje höst"
    ) == [
        ("equal", "Trygghetsvandring i Vasastan varje "),
        ("delete", "vår"),
        ("insert", "höst"),
    ]


def test_identical_duplicates_pair_in_order() -> None:
    twice = [RECORDS[0], RECORDS[0], RECORDS[1]]
    old = plan_from_records(twice, year=2025)
    new = plan_from_records([RECORDS[0], RECORDS[1], RECORDS[0], RECORDS[0]], year=2026)
    frame = diff_plans(old, new)
    assert statuses(frame) == {UNCHANGED: 3, ADDED: 1}
    assert frame[frame["status"] == ADDED].iloc[0]["new_action"] == RECORDS[0]["action"]


# -- diff reports exactly the edits made ---------------------------------------------------------


@st.composite
def edits(draw: st.DrawFn) -> tuple[list[dict[str, str]], dict[str, set[int]]]:
    """The example's actions with random edits on distinct actions; the expected
    status of each original action (by index) and the number of added ones."""
    n = len(RECORDS)
    chosen = draw(st.lists(st.integers(0, n - 1), unique=True, min_size=0, max_size=8))
    kinds = draw(
        st.lists(
            st.sampled_from(["reword", "move", "remove", "duplicate"]),
            min_size=len(chosen),
            max_size=len(chosen),
        )
    )
    added = draw(st.integers(0, 3))
    rows: list[dict[str, str]] = []
    expected: dict[str, set[int]] = {
        "reword": set(),
        "move": set(),
        "remove": set(),
        "duplicate": set(),
    }
    for i, rec in enumerate(RECORDS):
        kind = kinds[chosen.index(i)] if i in chosen else None
        if kind == "remove":
            expected["remove"].add(i)
            continue
        row = dict(rec)
        if kind == "reword":
            words = row["action"].split()
            k = draw(st.integers(0, len(words) - 1))
            words[k] = "omformulerat"
            row["action"] = " ".join(words)
            if row["action"] == rec["action"]:
                kind = None
        elif kind == "move":
            row["area"] = next(t for t in TITLES if t != rec["area"])
        if kind:
            expected[kind].add(i)
        rows.append(row)
        if kind == "duplicate":
            rows.append(dict(rec))
    for k in range(added):
        rows.append(
            {
                "area": TITLES[k % 6],
                "problem": f"Qzx {k} problem",
                "cause": f"Wvy {k} orsak",
                "action": f"Jkq {k} xyz åtgärd {'ö' * (k + 1)}",
                "goal": "",
                "timeframe": "",
                "responsible": "",
                "follow_up": "",
            }
        )
    order = draw(st.permutations(range(len(rows))))
    return [rows[i] for i in order], {**expected, "added": set(range(added))}


@settings(
    # The full count in CI; a quick loop's share elsewhere (DIFF_EXAMPLES sets it).
    max_examples=int(os.environ.get("DIFF_EXAMPLES", "200" if os.environ.get("CI") else "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(edits())
def test_diff_reports_exactly_the_edits(
    case: tuple[list[dict[str, str]], dict[str, set[int]]],
) -> None:
    rows, expected = case
    old = plan_from_records(RECORDS, year=2025)
    new = plan_from_records(rows, year=2026)
    frame = diff_plans(old, new)
    got = statuses(frame)
    reworded_in_moved_area = 0
    want = {
        UNCHANGED: len(RECORDS)
        - sum(len(expected[k]) for k in ("reword", "move", "remove"))
        - reworded_in_moved_area,
        CHANGED: len(expected["reword"]),
        MOVED: len(expected["move"]),
        REMOVED: len(expected["remove"]),
        ADDED: len(expected["added"]) + len(expected["duplicate"]),
    }
    assert got == {k: v for k, v in want.items() if v}
    for rec in frame[frame["status"] == CHANGED].to_dict("records"):
        assert rec["changed"] == ["action"]
    for rec in frame[frame["status"] == MOVED].to_dict("records"):
        assert rec["changed"] == []
    assert len(diff_records(frame)) == len(frame)


def test_hungarian_is_optimal_against_scipy() -> None:
    """The small-group assignment gives the same total as scipy's on random matrices."""
    import random

    from scipy.optimize import linear_sum_assignment

    from converter.rules.diff import hungarian

    rng = random.Random(3)
    for _ in range(200):
        n, m = rng.randint(1, 7), rng.randint(1, 7)
        if n > m:
            n, m = m, n
        cost = [[rng.choice([0.0, -rng.uniform(60, 100)]) for _ in range(m)] for _ in range(n)]
        columns = hungarian(cost)
        assert len(set(columns)) == n
        rows, cols = linear_sum_assignment(cost)
        best = sum(cost[r][c] for r, c in zip(rows, cols, strict=True))
        assert abs(sum(cost[i][j] for i, j in enumerate(columns)) - best) < 1e-9
