"""Lossless round trip, property-based: read_plan(write_plan(plan)) == plan (issue #5).

Profiles: ``dev`` (100 examples, the default on a developer's machine), ``ci`` (500,
the default where ``CI`` is set) and ``long`` (5,000), chosen with the environment
variable HYPOTHESIS_PROFILE, e.g.

    HYPOTHESIS_PROFILE=long pytest tests/test_roundtrip_property.py

The module is marked ``slow``: the quick loop leaves it out, CI runs it in full.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

import pytest
from conftest import ALL_KEYS, KEYS, SPEC
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converter import plan_from_records, read_plan, to_csv, to_json, write_plan
from converter.text import normalise, xml_safe

settings.register_profile(
    "dev",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "ci",
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=5000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
pytestmark = pytest.mark.slow

SPECIAL = [
    "=1+1",
    "+46 8 508 00 000",
    "-5",
    "@SUM(A1:A3)",
    '=HYPERLINK("http://x";"y")',
    "https://start.stockholm/trygghet?a=1&b=2",
    "mailto:polis@example.se",
    "007",
    "1e5",
    "2025-03-01",
    "12,5",
    "TRUE",
    "SANT",
    "#N/A",
    "مرحبا بالعالم",
    "שלום",
    "👮‍♀️🚓✨",
    "tab\tinne",
    "rad ett\nrad två\n\nrad fyra",
    "<b>inte html</b> & 'citat' \"dubbla\"",
    "_x0041_ bokstavligt",
    "Å" * 32_767,
    "x" * 32_767,
    "e\u0301 → é",
    "\u00a0 fast mellanrum",
]

raw_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(SPECIAL),
    st.builds(lambda a, b: a + b, st.sampled_from(SPECIAL[:12]), st.text(max_size=20)),
)


def canonical(text: str) -> str:
    """What a text becomes in a Plan read from a file: normalised."""
    return normalise(text)


STATUS_COLUMN = SPEC.status
assert STATUS_COLUMN is not None
#: A status as people type it: an allowed value, a variant of one in any case with a
#: stray dot or spaces, or any text at all.
typed_status = st.one_of(
    st.sampled_from([*STATUS_COLUMN.values, *STATUS_COLUMN.synonyms]).flatmap(
        lambda v: st.sampled_from([v, v.upper(), f" {v}.", v.capitalize()])
    ),
    raw_text,
    st.just(""),
)
row = st.fixed_dictionaries(
    {**{k: raw_text.map(canonical) for k in KEYS}, "status": typed_status.map(canonical)}
)
area_keys = [a.key for a in SPEC.areas]


@st.composite
def plans(draw: st.DrawFn):
    records = []
    with_extra = draw(st.booleans())
    for key in area_keys:
        for r in draw(st.lists(row, max_size=3)):
            rec = {"area": key, **r}
            if with_extra:
                rec["Prioritet"] = canonical(draw(raw_text))
            records.append(rec)
    year = draw(st.integers(min_value=1990, max_value=2099))
    district = draw(st.sampled_from(["Norra innerstaden", "Södermalm", "Rinkeby-Kista", None]))
    return plan_from_records(records, year=year, district=district)


def comparable(frame):
    return frame.drop(columns=["sheet", "row"]).reset_index(drop=True)


@given(plans())
def test_write_then_read_gives_the_plan_back(plan) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = write_plan(plan, Path(tmp) / "p.xlsx")
        back = read_plan(out)
    expected = comparable(plan.actions)
    for col in expected.columns:
        expected[col] = [xml_safe(v) for v in expected[col]]  # the documented treatment
    # A status is read as the allowed value it designates, anything else as typed.
    expected["status"] = [STATUS_COLUMN.canonical(v) for v in expected["status"]]
    # A row whose every text is empty is a blank row: it is not an action.
    blank = (expected.drop(columns=["area"]) == "").all(axis=1)
    expected = expected[~blank].reset_index(drop=True)
    got = comparable(back.actions)
    assert list(got.columns) == list(expected.columns)
    assert got.to_dict("records") == expected.to_dict("records")
    assert (back.meta.year, back.meta.district) == (plan.meta.year, plan.meta.district)


@given(plans())
def test_json_and_raw_csv_are_lossless(plan) -> None:
    records = json.loads(to_json(plan))
    assert [{k: r[k] for k in ALL_KEYS} for r in records] == plan.actions[ALL_KEYS].to_dict(
        "records"
    )
    rows = list(csv.DictReader(io.StringIO(to_csv(plan, raw=True), newline="")))
    assert [{k: r[k] for k in ALL_KEYS} for r in rows] == plan.actions[ALL_KEYS].to_dict("records")
