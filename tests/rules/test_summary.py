"""The one counting rule (summary.py): per area, grouped, and at the edges."""

from __future__ import annotations

import pandas as pd
from conftest import TITLES, action

from converter import area_counts, blank_plan, plan_from_records
from converter.rules.summary import filled, grouped_counts


def test_an_empty_plan_counts_zero_everywhere() -> None:
    counts = area_counts(blank_plan(2026, "Farsta"))
    assert all(n == 0 for per in counts.values() for n in per.values())
    assert len(counts) == 6


def test_filled_is_a_boolean_matrix_even_without_rows() -> None:
    empty = blank_plan(2026).actions
    cells = filled(empty, ["problem", "cause"])
    assert cells.shape == (0, 2) and cells.dtype == bool
    plan = plan_from_records([{"area": TITLES[0], **action(1, cause="")}], year=2025)
    assert filled(plan.actions, ["problem", "cause"]).tolist() == [[True, False]]


def test_grouped_counts_follow_the_rows_not_their_positions() -> None:
    """A frame filtered or reordered keeps its index: the counts must follow the rows."""
    frame = pd.DataFrame(
        {
            "district": ["Bromma", "Farsta", "Bromma", "Farsta"],
            "problem": ["a", "", "b", "c"],
            "cause": ["", "", "x", "y"],
        },
        index=[7, 3, 9, 1],
    )
    got = grouped_counts(frame, ["district"], ["problem", "cause"])
    assert got == {("Bromma",): {"problem": 2, "cause": 1}, ("Farsta",): {"problem": 1, "cause": 1}}
    assert grouped_counts(frame.iloc[0:0], ["district"], ["problem"]) == {}
