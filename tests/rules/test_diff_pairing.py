"""How diff pairs last year's actions with this year's, case by case.

The mutation run (#13) showed the pairing held only by the example's small areas. Each
test here is a situation two parties meet when they compare plans, with the statuses
and pairs they should see; a few pin the documented limits (candidates, the action
floor, group sizes) by lowering them, so that small plans stand for large ones.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from itertools import permutations
from typing import Any

import pytest
from rapidfuzz.fuzz import ratio

from converter import plan_from_records
from converter.plan import Plan
from converter.rules import diff as diff_module
from converter.rules.diff import (
    ACTION_FLOOR,
    ADDED,
    CHANGED,
    MOVED,
    REMOVED,
    UNCHANGED,
    WEIGHTS,
    compared_columns,
    counts,
    diff_columns,
    diff_plans,
    previous_follow_up_pattern,
    similarity,
)

PROBLEM = "Otrygghet i centrum"


def rec(area: str, action: str, cause: str = "Otrygghet kvällstid", **more: str) -> dict[str, str]:
    return {"area": area, "problem": PROBLEM, "cause": cause, "action": action, **more}


def plan(rows: Iterable[dict[str, str]], year: int, **kw: Any) -> Plan:
    return plan_from_records(list(rows), year=year, district="Spånga-Tensta", **kw)


def pairs(frame: Any) -> list[tuple[str, str | None, str | None]]:
    """(status, old action, new action) for every row, in the frame's order."""
    return list(zip(frame["status"], frame["old_action"], frame["new_action"], strict=True))


def score_of(old: dict[str, str], new: dict[str, str]) -> float:
    """The similarity diff computes for two records over the spec's compared columns."""
    texts = [[r.get(c, "") for c in WEIGHTS] for r in (old, new)]
    return similarity(texts[0], texts[1], list(WEIGHTS.values()))


# -- pairing ------------------------------------------------------------------------


def test_two_rewordings_each_paired_with_its_own() -> None:
    """Spring's and autumn's walks, reworded: each old action keeps its own rewording,
    although the autumn walk alone would rather take the spring one's (the best pairing
    of the two together wins, never one action's best pick twice)."""
    spring = "Trygghetsvandring i Vasaparken varje vår med polis och förvaltning"
    autumn = "Trygghetsvandring i Vasaparken varje höst med polis och förvaltning"
    both = "Trygghetsvandring i Vasaparken varje vår och höst med polis och förvaltning"
    later = "Trygghetsvandringar i Vasaparken om hösten med polisen"
    assert ratio(autumn, both) > ratio(spring, both) > ratio(autumn, later)
    old = plan([rec("platser", spring), rec("platser", autumn)], 2025)
    new = plan([rec("platser", both), rec("platser", later)], 2026)
    assert pairs(diff_plans(old, new)) == [(CHANGED, spring, both), (CHANGED, autumn, later)]


PLACES = [
    "Rinkeby", "Tensta", "Hjulsta", "Husby", "Akalla", "Kista", "Spånga", "Bromsten",
    "Flysta", "Solhem", "Lunda", "Sundby", "Hässelby", "Vällingby", "Råcksta", "Grimsta",
    "Blackeberg", "Islandstorget", "Ängbyplan", "Johannelund", "Nälsta", "Vinsta",
    "Kälvesta", "Beckomberga", "Bromma", "Alvik", "Traneberg", "Ulvsunda", "Abrahamsberg",
    "Riksby",
]  # fmt: skip


def test_rewordings_in_a_large_area_are_found_by_their_rare_words() -> None:
    """An area of 30 actions: past the 12 candidates a small area gets outright, the
    rewordings are found through the one word they share with their old text (the
    place), although every other action shares four words with them."""
    old_rows = [
        rec("platser", f"Trygghetsvandring kvällstid vid {p}", "Otrygghet och nedskräpning")
        for p in PLACES
    ]
    new_rows = [dict(r) for r in old_rows]
    reworded = {20: PLACES[20], 25: PLACES[25], 29: PLACES[29]}
    for k, place in reworded.items():
        new_rows[k] = rec(
            "platser", f"Trygghetsvandringar kvällstid vid {place} varje vecka", "Skräp"
        )
    frame = diff_plans(plan(old_rows, 2025), plan(new_rows, 2026))
    assert counts(frame) == {
        "Otrygga och brottsutsatta platser": {
            UNCHANGED: 27, CHANGED: 3, MOVED: 0, ADDED: 0, REMOVED: 0
        }
    }  # fmt: skip
    for status, old, new in pairs(frame):
        if status == CHANGED:
            assert old is not None and new is not None
            assert old.rsplit(" ", 1)[1] == new.split(" ")[3]  # the same place


def test_an_action_moved_and_reworded_is_moved() -> None:
    walk = rec("platser", "Trygghetsvandring i Vasaparken varje vår")
    moved = rec("unga", "Trygghetsvandringar i Vasaparken varje vår med fältassistenter")
    frame = diff_plans(plan([walk], 2025), plan([moved], 2026))
    assert pairs(frame) == [(MOVED, walk["action"], moved["action"])]
    assert frame.at[0, "changed"] == ["action"]


def test_a_rewording_stays_in_its_area_before_a_closer_text_elsewhere() -> None:
    walk = rec("platser", "Trygghetsvandring i Vasaparken")
    here = rec("platser", "Trygghetsvandringar i Vasaparken med polis")
    elsewhere = rec("unga", "Trygghetsvandring i Vasaparken!")
    assert score_of(walk, elsewhere) > score_of(walk, here)
    frame = diff_plans(plan([walk], 2025), plan([here, elsewhere], 2026))
    assert pairs(frame) == [
        (CHANGED, walk["action"], here["action"]),
        (ADDED, None, elsewhere["action"]),
    ]


def test_one_action_in_two_areas_stays_in_each() -> None:
    """The same walk planned under two areas, listed in another order next year: both
    are unchanged, not two moves."""
    walk = "Trygghetsvandring i Vasaparken"
    old = plan([rec("unga", walk), rec("platser", walk)], 2025)
    new = plan([rec("platser", walk), rec("unga", walk)], 2026)
    frame = diff_plans(old, new)
    assert pairs(frame) == [(UNCHANGED, walk, walk)] * 2
    assert frame["area_old"].tolist() == frame["area_new"].tolist()


def test_identical_actions_are_paired_when_no_word_tells_them_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Identical texts pair (in place, or moved) even when no word can find them:
    here limits lowered to one candidate and words in at most one action, standing for
    an area of over 12 actions whose words are in over 64 of them."""
    monkeypatch.setattr(diff_module, "CANDIDATES", 1)
    monkeypatch.setattr(diff_module, "MAX_POSTING", 1)
    rows = [rec("platser", f"Trygghetsvandring vid {x}", "Otrygghet") for x in "ABCDE"]
    moved = {**rows[4], "area": "unga"}
    added = rec("unga", "Trygghetsvandring vid F", "Otrygghet")
    frame = diff_plans(plan(rows, 2025), plan([*rows[:4], moved, added], 2026))
    assert frame["status"].tolist() == [UNCHANGED] * 4 + [MOVED, ADDED]


WALK = rec("platser", "Trygghetsvandring vid Rinkeby", "Kvällstid")
NIGHT = rec("platser", "Nattvandring Tensta centrum", "Ungdomsgäng")
PARENTS = rec("platser", "Föräldravandring i Tensta", "")


@pytest.mark.parametrize(
    ("limits", "old", "new", "k"),
    [
        pytest.param(  # "Rinkeby", in one new action, outweighs "Kvällstid", in two
            {"CANDIDATES": 1},
            WALK,
            [
                rec("platser", "Föräldravandring i Tensta", "Kvällstid och helger"),
                rec("platser", "Polispatrull vid Husby", "Kvällstid"),
                rec("platser", "Trygghetsvandringar vid Rinkeby torg", "Helgerna"),
            ],
            2,
            id="the-rarest-word-wins",
        ),
        pytest.param(  # two words in two actions each add up to one word in one action
            {"CANDIDATES": 1},
            NIGHT,
            [
                rec("platser", "Nattvandringar Tensta centrum", "Gäng"),
                rec("platser", "Kameror Tensta centrum", "Skadegörelse"),
                rec("platser", "Polispatrull", "Ungdomsgäng"),
            ],
            0,
            id="shared-words-add-up",
        ),
        pytest.param(  # "Rinkeby" is in MAX_POSTING new actions: it still counts
            {"CANDIDATES": 2, "MAX_POSTING": 2},
            WALK,
            [
                rec("platser", "Trygghetsvandringar vid Rinkeby", ""),
                rec("platser", "Kameror vid Rinkeby", ""),
                PARENTS,
            ],
            0,
            id="a-word-in-max-posting-actions",
        ),
        pytest.param(  # CANDIDATES actions left in the area: each is a candidate
            {"CANDIDATES": 2},
            rec("platser", "Trygghetsvandring kvällstid", "Otrygghet"),
            [rec("platser", "Trygghetsvandringar kvällstider", "Otryggheten"), PARENTS],
            0,
            id="an-area-of-candidates-actions-is-small",
        ),
    ],
)
def test_the_rewording_is_among_the_candidates(
    monkeypatch: pytest.MonkeyPatch,
    limits: dict[str, int],
    old: dict[str, str],
    new: list[dict[str, str]],
    k: int,
) -> None:
    """How candidates are chosen, with the limits lowered (from 12 candidates and words
    in at most 64 actions) so that a few actions stand for a large area: the rewording,
    new action ``k``, is among them and pairs."""
    for name, value in limits.items():
        monkeypatch.setattr(diff_module, name, value)
    frame = diff_plans(plan([old], 2025), plan(new, 2026))
    assert pairs(frame)[0] == (CHANGED, old["action"], new[k]["action"])


def test_same_area_first_also_among_many(monkeypatch: pytest.MonkeyPatch) -> None:
    """In an area too large to take every action as a candidate (CANDIDATES lowered to
    1), the rewording in the area is still found before a closer text elsewhere."""
    monkeypatch.setattr(diff_module, "CANDIDATES", 1)
    walk = rec("platser", "Trygghetsvandring i Vasaparken")
    here = rec("platser", "Trygghetsvandringar i Vasaparken med polis")
    other = rec("platser", "Föräldravandring i Tensta")
    elsewhere = rec("unga", "Trygghetsvandring i Vasaparken!")
    frame = diff_plans(plan([walk], 2025), plan([here, other, elsewhere], 2026))
    assert pairs(frame) == [
        (CHANGED, walk["action"], here["action"]),
        (ADDED, None, other["action"]),
        (ADDED, None, elsewhere["action"]),
    ]


def test_a_rewording_sharing_no_whole_word_in_a_small_area() -> None:
    """In an area of at most 12 actions every action is a candidate, words or not."""
    old = rec("unga", "Trygghetsvandring kvällstid", "Otrygghet")
    new = rec("unga", "Trygghetsvandringar kvällstider", "Otryggheten")
    assert not diff_module._words(old["action"] + " " + old["cause"]) & diff_module._words(
        new["action"] + " " + new["cause"]
    )
    frame = diff_plans(plan([old], 2025), plan([new], 2026))
    assert pairs(frame) == [(CHANGED, old["action"], new["action"])]
    assert frame.at[0, "changed"] == ["action", "cause"]


def test_a_rewording_found_past_a_candidate_sharing_as_many_words() -> None:
    """The first candidate (as many shared words, listed first) fails the action
    floor; the next one is still tried."""
    camera = rec("platser", "Kameraövervakning vid entrén", "Skadegörelse och klotter nattetid")
    wall = rec("platser", "Klotterplank vid fritidsgården", "Skadegörelse och klotter nattetid")
    reworded = rec("platser", "Kameraövervakningen vid entrén", "Skadegörelse nattetid")
    frame = diff_plans(plan([camera], 2025), plan([wall, reworded], 2026))
    assert pairs(frame) == [
        (CHANGED, camera["action"], reworded["action"]),
        (ADDED, None, wall["action"]),
    ]


def test_a_cleared_action_text_is_removed_and_added() -> None:
    """An action whose action text was emptied is not that action reworded, even at a
    threshold its other columns pass."""
    more = {"goal": "Ökad trygghet", "timeframe": "Vår 2025", "responsible": "Polisen"}
    walk = rec("unga", "Trygghetsvandring i Vasaparken", **more)
    cleared = rec("unga", "", **more)
    assert score_of(walk, cleared) >= 50
    frame = diff_plans(plan([walk], 2025), plan([cleared], 2026), threshold=50)
    assert frame["status"].tolist() == [ADDED, REMOVED]


@pytest.mark.parametrize(
    ("action", "status"),
    [("Trygghetsvandring med ungdomar", CHANGED), ("Trygghetsvandringar med ungdomar", ADDED)],
)
def test_the_action_floor(action: str, status: str) -> None:
    """Action texts exactly ACTION_FLOOR alike pair; a little less do not."""
    walk = rec("unga", "Trygghetsvandring i Vasaparken")
    other = rec("unga", action)
    assert (ratio(walk["action"], action) >= ACTION_FLOOR) is (status == CHANGED)
    assert ratio(walk["action"], action) in (70.0, pytest.approx(67.74, abs=0.01))
    frame = diff_plans(plan([walk], 2025), plan([other], 2026))
    assert frame.at[0, "status"] == status


def test_the_threshold_is_the_lowest_score_that_pairs() -> None:
    walk = rec("unga", "Trygghetsvandring i Vasaparken varje vår", goal="Ökad trygghet")
    reworded = rec("unga", "Trygghetsvandringar i Vasaparken om våren", goal="Tryggare park")
    score = score_of(walk, reworded)
    old, new = plan([walk], 2025), plan([reworded], 2026)
    frame = diff_plans(old, new, threshold=score)
    assert frame.at[0, "status"] == CHANGED
    assert frame.at[0, "score"] == round(score, 1) != score  # shown to one decimal
    assert frame.at[0, "changed"] == ["action", "goal"]
    frame = diff_plans(old, new, threshold=score + 0.01)
    assert frame["status"].tolist() == [ADDED, REMOVED]


def test_similarity_of_texts() -> None:
    assert similarity(["Trygghetsvandring"], ["Trygghetsvandring"], [4.0]) == 100.0
    assert similarity(["Abc", ""], ["Abc", "Xyz"], [1.0, 1.0]) == 50.0  # a cell emptied
    assert similarity(["", "Abc"], ["Xyz", "Abc"], [1.0, 1.0]) == 50.0  # a cell filled in
    assert similarity(["Abc", ""], ["Abd", ""], [1.0, 1.0]) == ratio("Abc", "Abd")
    assert similarity(["Abc", "x"], ["Abc", "y"], [3.0, 1.0]) == 75.0
    assert similarity(["", ""], ["", ""], [1.0, 1.0]) == 100.0


def test_words_that_find_candidates() -> None:
    """Words of MIN_WORD letters or more, and numbers of any length."""
    assert diff_module._words("Ny väg 12 vid Rinkeby torg, 3 ggr/år") == {
        "12",
        "rinkeby",
        "torg",
        "3",
    }


def test_own_area_renamed_between_the_years_is_not_a_move() -> None:
    walk = rec("eget", "Trygghetsvandring vid skolorna")
    old = plan([walk], 2025, area_titles={"eget": "Trafik kring skolor"})
    new = plan([walk], 2026, area_titles={"eget": "Trafiksäkerhet kring skolor"})
    frame = diff_plans(old, new)
    assert frame["status"].tolist() == [UNCHANGED]
    assert (frame.at[0, "area_old"], frame.at[0, "area_new"]) == (
        "Trafik kring skolor",
        "Trafiksäkerhet kring skolor",
    )


# -- the best pairing per group, whatever its size ------------------------------------


def best_total(group: list[tuple[int, int]], edges: dict[tuple[int, int], float]) -> float:
    rows = sorted({i for i, _ in group})
    cols = sorted({j for _, j in group})
    short, long = (rows, cols) if len(rows) <= len(cols) else (cols, rows)
    flip = short is cols
    best = 0.0
    for chosen in permutations(long, len(short)):
        total = sum(
            edges.get((y, x) if flip else (x, y), 0.0) for x, y in zip(short, chosen, strict=True)
        )
        best = max(best, total)
    return best


def random_group(
    rng: random.Random, n: int, m: int
) -> tuple[list[tuple[int, int]], dict[tuple[int, int], float]]:
    """A connected group of n old and m new actions with scores of 60–100."""
    rows, cols = [10 + 3 * k for k in range(n)], [100 + 7 * k for k in range(m)]
    edges = {(rows[k % n], cols[k % m]): rng.uniform(60, 100) for k in range(max(n, m))}
    for i in rows:
        for j in cols:
            if rng.random() < 0.4:
                edges[(i, j)] = rng.uniform(60, 100)
    group = list(edges)
    rng.shuffle(group)
    return group, edges


def check_pairing(
    got: list[tuple[int, int, float]], group: list[tuple[int, int]], edges: dict
) -> float:
    assert len({i for i, _, _ in got}) == len(got) == len({j for _, j, _ in got})
    for i, j, score in got:
        assert (i, j) in edges and score == edges[(i, j)]
    return sum(score for _, _, score in got)


@pytest.mark.parametrize(
    "shape",
    [(1, 1), (1, 4), (4, 1), (2, 3), (3, 2), (3, 3), (4, 4), (5, 3), (3, 5), (5, 5), (6, 6)],
)
def test_the_pairing_of_a_group_is_the_best_total(
    monkeypatch: pytest.MonkeyPatch, shape: tuple[int, int]
) -> None:
    """Up to SMALL_GROUP (lowered to 4) by the Hungarian method, then by scipy up to
    MAX_GROUP (lowered to 6): always the highest total, each action paired once."""
    monkeypatch.setattr(diff_module, "SMALL_GROUP", 4)
    monkeypatch.setattr(diff_module, "MAX_GROUP", 6)
    rng = random.Random(sum(shape) * 31 + shape[0])
    for _ in range(20):
        group, edges = random_group(rng, *shape)
        got = diff_module._assign(group, edges)
        assert math.isclose(check_pairing(got, group, edges), best_total(group, edges))


def test_a_group_over_the_limit_is_paired_best_score_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past MAX_GROUP (lowered to 2) the pairing is greedy, best score first: here 184
    where the best pairing would give 270."""
    monkeypatch.setattr(diff_module, "SMALL_GROUP", 1)
    monkeypatch.setattr(diff_module, "MAX_GROUP", 2)
    edges = {(1, 5): 90.0, (1, 6): 99.0, (2, 6): 95.0, (2, 7): 70.0, (3, 7): 85.0}
    assert diff_module._assign(list(edges), edges) == [(1, 6, 99.0), (3, 7, 85.0)]
    assert best_total(list(edges), edges) == 270.0


@pytest.mark.parametrize("small_group", [60, 1], ids=["hungarian", "scipy"])
def test_a_pairing_leaves_out_what_has_no_score(
    monkeypatch: pytest.MonkeyPatch, small_group: int
) -> None:
    """Three old actions like one new one, one of them like two more: two pairs; the
    old and new actions left over are not paired with each other at a score of 0."""
    monkeypatch.setattr(diff_module, "SMALL_GROUP", small_group)
    edges = {(1, 5): 70.0, (2, 5): 90.0, (3, 5): 80.0, (3, 6): 65.0, (3, 7): 60.0}
    got = diff_module._assign(list(edges), edges)
    assert sorted(got) == [(2, 5, 90.0), (3, 6, 65.0)]


# -- the frame ----------------------------------------------------------------------


def test_frame_lists_pairs_in_new_order_then_added_then_removed() -> None:
    rows = [rec("unga", f"Åtgärd {n} med fältassistenter") for n in range(1, 5)]
    new_only = rec("platser", "Nattvandring med föräldrar på fredagar")
    old, new = plan(rows, 2025), plan([rows[3], rows[1], new_only, rows[0]], 2026)
    frame = diff_plans(old, new)
    assert pairs(frame) == [
        (UNCHANGED, rows[3]["action"], rows[3]["action"]),
        (UNCHANGED, rows[1]["action"], rows[1]["action"]),
        (UNCHANGED, rows[0]["action"], rows[0]["action"]),
        (ADDED, None, new_only["action"]),
        (REMOVED, rows[2]["action"], None),
    ]
    assert frame["score"].tolist() == [100.0, 100.0, 100.0, None, None]
    assert frame.at[3, "old_row"] is None and frame.at[4, "new_sheet"] is None
    assert all(frame[c].dtype == object for c in frame.columns)
    assert diff_columns(frame) == list(WEIGHTS)
    assert counts(frame) == {
        "Unga i riskzon för destruktivt beteende": {
            UNCHANGED: 3, CHANGED: 0, MOVED: 0, ADDED: 0, REMOVED: 1
        },
        "Otrygga och brottsutsatta platser": {
            UNCHANGED: 0, CHANGED: 0, MOVED: 0, ADDED: 1, REMOVED: 0
        },
    }  # fmt: skip


def test_compared_columns_are_the_extras_both_plans_have() -> None:
    """Extra columns both plans have are compared; one plan's own, and last year's
    follow-up as rolled over ("Uppföljning 2024"), are not; the follow-up only when
    asked."""
    base = rec("unga", "Trygghetsvandring i Vasaparken")
    old = plan([{**base, "Prioritet": "Pågår", "Anteckning": "x", "Uppföljning 2024": "y"}], 2025)
    new = plan([{**base, "Prioritet": "Klar", "Uppföljning 2024": "z", "Kontakt": "w"}], 2026)
    assert compared_columns(old, new) == [*WEIGHTS, "Prioritet"]
    assert compared_columns(old, new, follow_up=True) == [
        *WEIGHTS,
        "Prioritet",
        "follow_up",
        "status",
    ]
    frame = diff_plans(old, new)
    assert frame.at[0, "status"] == CHANGED and frame.at[0, "changed"] == ["Prioritet"]
    assert diff_columns(frame) == [*WEIGHTS, "Prioritet"]


def test_last_years_follow_up_header_for_any_year() -> None:
    pattern = previous_follow_up_pattern(plan([], 2025).spec)
    assert pattern.fullmatch("Uppföljning 2025") and pattern.fullmatch("Uppföljning 1999")
    assert not pattern.fullmatch("Uppföljning")
    assert not pattern.fullmatch("Uppföljning 2025 (B)")
    assert not pattern.fullmatch("Uppföljning 25")
