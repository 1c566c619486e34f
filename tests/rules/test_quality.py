"""Plan quality by Brå's method (#20): the labelled goals, every code on a workbook built
for it, the JSON of `check --format json`, the grouping of long lists, and the spec's
lists tuned in a spec of one's own."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import KEYS, SPEC, TITLES, action, write_area
from quality_goals import WITH_MEASURE, WITHOUT_MEASURE

from converter import load_spec, plan_from_records, read_plan
from converter.rules.quality import (
    QUALITY_CODES,
    area_quality,
    has_vague_verb,
    is_open_ended,
    names_measure,
    quality_findings,
    quality_words,
)

WORDS = quality_words(SPEC)
AFTER_THE_YEAR = dt.date(2026, 3, 1)


def test_the_labelled_goals_precision_and_recall() -> None:
    assert len(WITH_MEASURE) + len(WITHOUT_MEASURE) >= 60
    assert len(WITH_MEASURE) == len(WITHOUT_MEASURE)
    found = {t for t in WITH_MEASURE + WITHOUT_MEASURE if names_measure(t, WORDS)}
    true_positives = len(found & set(WITH_MEASURE))
    precision = true_positives / len(found)
    recall = true_positives / len(WITH_MEASURE)
    print(f"\nnames a measure: precision {precision:.2f}, recall {recall:.2f}")
    missed = [t for t in WITH_MEASURE if t not in found]
    wrong = [t for t in WITHOUT_MEASURE if t in found]
    assert precision >= 0.9 and recall >= 0.9, (missed, wrong)


@pytest.mark.parametrize(
    "goal",
    [
        "Säkerställa att BOB 2.0 införs.",
        "Arbeta i enlighet med Vision 2030.",
        "Informera om 112.",
        "Ring 114 14 vid tips.",
        "Under 2025 ska tryggheten öka.",
        "Ett tryggare centrum.",  # the article, not a count
        "Alla ska känna sig trygga.",  # "alla" with no noun
        "Samverkan på alla nivåer.",
        "Genomförs vecka 12.",
        "Klart senast 2025-06-30.",
        "Stödja elever i åk 9.",
        "Unga 15-17 år erbjuds fritid.",
    ],
)
def test_a_number_in_a_name_a_time_or_an_article_is_no_measure(goal: str) -> None:
    assert not names_measure(goal, WORDS)


@pytest.mark.parametrize(
    "goal",
    [
        "MINST 80 % AV ELEVERNA KÄNNER SIG TRYGGA.",
        "Minst\n80 %\nav eleverna",
        "* fyra\u00a0trygghetsvandringar\n* uppföljning",
        "Två\u00adföräldramöten per termin",
        "  • Samtliga skolor deltar",
        "En gång per månad",
        "minst en samordnare",
        "en tredjedel av lärarna",
    ],
)
def test_goals_are_judged_on_their_text_whatever_their_form(goal: str) -> None:
    assert names_measure(goal, WORDS)


def test_vague_verbs_in_their_forms_and_open_ended_times() -> None:
    assert has_vague_verb("Polisen verkar för ökad trygghet.", WORDS)
    assert has_vague_verb("Att främja ungas hälsa", WORDS)
    assert has_vague_verb("Vi STRÄVAR EFTER att minska brotten", WORDS)
    assert not has_vague_verb("Arbeta med fyra skolor", WORDS)
    assert is_open_ended("Linjearbete", WORDS)
    assert is_open_ended("Löpande under året", WORDS)
    assert is_open_ended("Tills vidare", WORDS)
    assert not is_open_ended("1 gång per termin samt vid behov", WORDS)
    assert not is_open_ended("Under 2025", WORDS)


def _workbook(tmp_path: Path, rows: list[dict[str, str]], year: int = 2025) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SPEC.areas[1].tab
    write_area(ws, TITLES[1], rows, keys=KEYS)
    path = tmp_path / f"Åtgärdsplan {year} Farsta.xlsx"
    wb.save(path)
    return path


def test_every_code_on_a_workbook_built_for_it(tmp_path: Path) -> None:
    rows = [
        action(1, goal="Öka tryggheten på torget."),  # D3: no measure
        action(2, goal="Verka för minst fyra möten per år."),  # D4: a vague verb only
        action(3, goal="", responsible="", timeframe=""),  # D5 E5 F5: missing
        action(4, timeframe="Linjearbete"),  # D6: "Mål 4:" numbers it; E6: open-ended
        action(5, problem="Nedskräpning", cause="", follow_up=""),  # A7: no cause; G7
        action(6, problem="", cause="", goal="Två träffar per termin."),  # under Nedskräpning
        action(7, goal="två träffar  per termin"),  # D9: the goal of D8 again (folded)
    ]
    for row in rows:
        row["timeframe"] = row["timeframe"] if row["timeframe"] != "Linjearbete" else "Vt 2025"
    rows[3]["timeframe"] = "Linjearbete"
    path = _workbook(tmp_path, rows)
    plan = read_plan(path)
    found = {(f.code, f.place) for f in quality_findings(plan, AFTER_THE_YEAR)}
    assert ("goal-without-measure", "'Otrygga platser'!D3") in found
    assert ("goal-without-measure", "'Otrygga platser'!D4") not in found
    assert ("goal-vague-verb", "'Otrygga platser'!D4") in found
    assert ("time-open-ended", "'Otrygga platser'!E6") in found
    assert ("cause-missing", "'Otrygga platser'!A7") in found
    assert ("goal-repeated", "'Otrygga platser'!D8") in found
    assert ("follow-up-missing", "'Otrygga platser'!G7") in found
    assert {code for code, _ in found} == set(QUALITY_CODES)
    # Before the year is over, a missing follow-up is no finding.
    before = quality_findings(plan, dt.date(2025, 11, 1))
    assert "follow-up-missing" not in {f.code for f in before}
    # The missing cells are plain check's, under their new codes.
    from converter import check_plan

    plain = {(f.code, f.place) for f in check_plan(plan)}
    assert {
        ("goal-missing", "'Otrygga platser'!D5"),
        ("time-missing", "'Otrygga platser'!E5"),
        ("responsible-missing", "'Otrygga platser'!F5"),
    } <= plain
    # Each finding has its Swedish wording, its values filled in.
    from converter.documents.messages import finding_text

    swedish = [finding_text(SPEC, f) for f in quality_findings(plan, AFTER_THE_YEAR)]
    assert all("{" not in t and t[0].isupper() for t in swedish)
    assert (
        "Samma mål står vid 2 åtgärder ('Otrygga platser'!D8, D9): ”Två träffar per termin.”."
        in swedish
    )
    assert (
        "Målet vilar på ett vagt verb (”verka för”): det säger vilket håll, inte hur långt. Skriv vad som ska ha hänt."
        in swedish
    )
    # Each finding knows its area, and the figures per area add up.
    assert {f.area for f in quality_findings(plan, AFTER_THE_YEAR)} == {TITLES[1]}
    figures = area_quality(plan)["platser"]
    # actions, goals, measured, vague, open-ended, no responsible, problems without cause
    assert figures.figures == [7, 6, 3, 1, 1, 1, 1]


def test_check_quality_json_and_exit_code(tmp_path: Path, run_cli) -> None:
    path = _workbook(tmp_path, [action(1, goal="Öka tryggheten."), action(2, goal="")])
    plain = run_cli("check", path, "--format", "json")
    assert plain.exit_code == 0  # warnings only
    records = json.loads(plain.stdout)
    assert records == [
        {
            "code": "goal-missing",
            "level": "warning",
            "cell": "'Otrygga platser'!D4",
            "area": TITLES[1],
            "message": "action has no operative goal (Operativa mål)",
        }
    ]
    quality = json.loads(run_cli("check", path, "--quality", "--format", "json").stdout)
    assert {r["code"] for r in quality} >= {"goal-missing", "goal-without-measure"}
    assert all(set(r) == {"code", "level", "cell", "area", "message"} for r in quality)
    assert {r["level"] for r in quality} <= {"warning", "info"}


def test_long_lists_are_grouped_and_capped(tmp_path: Path, run_cli) -> None:
    rows = [action(i, goal="Öka tryggheten.", timeframe="Vt 2025") for i in range(40)]
    rows += [action(100 + i, goal="Två möten per år.", timeframe=f"Löpande {i}") for i in range(15)]
    path = _workbook(tmp_path, rows)
    result = run_cli("check", path, "--quality")
    lines = result.stdout.splitlines()
    without = [line for line in lines if "names no measure" in line]
    assert len(without) == 1 and without[0].endswith("(no count, share, frequency or comparison)")
    assert "… and 30 more" in without[0]
    repeated = [line for line in lines if "the same goal for 40 actions" in line]
    assert len(repeated) == 1
    open_ended = [line for line in lines if "is open-ended" in line]
    assert len(open_ended) == 10  # one per text, ten texts at most
    assert "… and 5 more time-open-ended lines (--verbose lists them all)" in lines
    assert len(lines) < 20
    verbose = run_cli("check", path, "--quality", "--verbose").stdout
    assert "more" not in verbose and verbose.count("is open-ended") == 15


def test_a_spec_of_ones_own_tunes_the_lists(tmp_path: Path) -> None:
    text = SPEC.path.read_text(encoding="utf-8")
    own = text.replace(
        'vague_verbs = ["verka för", "arbeta för", "sträva efter", "bidra till", "främja"]',
        'vague_verbs = ["verka för", "arbeta för", "sträva efter", "bidra till", "främja", "stärka"]',
    ).replace('"tolv",', '"tolv", "dussin",')
    assert own != text
    spec_path = tmp_path / "egen.toml"
    spec_path.write_text(own, encoding="utf-8")
    spec = load_spec(spec_path)
    goals = ["Stärka föräldrarollen genom ett dussin träffar."]
    ours = plan_from_records([{"area": TITLES[0], **action(1, goal=goals[0])}], year=2025)
    theirs = plan_from_records(
        [{"area": TITLES[0], **action(1, goal=goals[0])}], year=2025, spec=spec
    )
    codes = {f.code for f in quality_findings(ours, AFTER_THE_YEAR)}
    assert "goal-without-measure" in codes and "goal-vague-verb" not in codes
    codes = {f.code for f in quality_findings(theirs, AFTER_THE_YEAR)}
    assert "goal-without-measure" not in codes and "goal-vague-verb" in codes


def test_a_goal_over_the_cell_limit_is_judged_as_read() -> None:
    goal = "Öka tryggheten. " * 2_100 + "Minst 80 % av de boende känner sig trygga."
    assert len(goal) > 32_767
    assert names_measure(goal, WORDS)
