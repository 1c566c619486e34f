"""Every district's plan in one picture: one table of all actions and the city's figures.

``combine_plans`` takes what ``read_plans`` returned (Plans and Failures) and gives a
``CityPlan``: the usable plans in Swedish order of district within each year, one
DataFrame of every action with its district and year, and a row per input file saying
what became of it. A plan whose district or year is unknown becomes a failure with the
fix in its reason; two plans of one district and year stop everything, since only the
coordinator can tell which one is current. Figures of different years are never added
together. The counts come from ``summary.area_counts``, the one place that decides what
is counted.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..districts import swedish_sort_key
from ..errors import Failure, InputError, NoUsablePlanError, Skipped
from ..plan import AREA, ROW, SHEET, Plan
from ..spec import Spec, load_spec
from ..text import fold
from .checks import ERROR, WARNING, check_plan
from .follow_up import FollowUpCount, grouped_follow_up, status_labels
from .summary import Counts, grouped_counts

DISTRICT = "district"
YEAR = "year"
TEMPLATE_AREA = "template_area"
FILE = "file"


class DuplicatePlansError(InputError):
    """Two workbooks of the same district and year: the coordinator must choose."""


@dataclass(frozen=True)
class FileRow:
    """What became of one input: read (with its figures), failed or skipped."""

    path: Path
    status: str  # "read", "failed" or "skipped"
    district: str | None = None
    year: int | None = None
    actions: int | None = None
    errors: int | None = None
    warnings: int | None = None
    reason: str = ""
    code: str = ""  # the reason's code, for a front end's own words (see errors.py)
    data: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.reason else str(self.path)


#: Where a plan's district was read (``PlanMeta.district_from``), as a message says it.
ORIGINS = {
    "property": "its document property",
    "title": "its title",
    "file name": "its file name",
    "given": "--district",
}


@dataclass(frozen=True)
class CityPlan:
    """Many districts' plans combined; see ``combine_plans``."""

    spec: Spec
    plans: tuple[Plan, ...]
    actions: pd.DataFrame
    files: tuple[FileRow, ...]
    extra_columns: tuple[str, ...] = ()
    #: (year, district, area key) -> count key -> filled-in cells, from ``actions``.
    counts: Mapping[tuple[int, str, str], Mapping[str, int]] = field(default_factory=dict)

    def require_plans(self, given: Iterable[str | os.PathLike[str]] = ()) -> CityPlan:
        """This CityPlan, or NoUsablePlanError when it holds no plan at all (naming
        ``given``, the files and folders looked in, when there was nothing to read)."""
        if not self.plans:
            raise NoUsablePlanError(self.failures, self.skipped, given)
        return self

    @property
    def failures(self) -> list[Failure]:
        """The inputs that could not be used, as the one type every front end knows."""
        return [
            Failure(f.path, f.reason, f.code, f.data) for f in self.files if f.status == "failed"
        ]

    @property
    def skipped(self) -> list[Skipped]:
        return [Skipped(f.path, f.reason, f.code) for f in self.files if f.status == "skipped"]

    @property
    def years(self) -> list[int]:
        return sorted({p.meta.year for p in self.plans if p.meta.year is not None})

    def years_label(self, dash: str = "-") -> str:
        """ "2025", or "2024-2025" for plans of several years ("" when there are none)."""
        years = self.years
        if not years:
            return ""
        return str(years[0]) if len(years) == 1 else f"{years[0]}{dash}{years[-1]}"

    def plans_of(self, year: int) -> list[Plan]:
        return [p for p in self.plans if p.meta.year == year]

    def districts(self, year: int) -> list[str]:
        """The districts with a plan for ``year``, in Swedish alphabetical order."""
        return [p.meta.district or "" for p in self.plans_of(year)]

    def area_counts(self, year: int) -> Counts:
        """The city's summary of ``year``: each area's counts added over the districts."""
        keys = [c.key for c in self.spec.summary.counts]
        out: Counts = {a.key: dict.fromkeys(keys, 0) for a in self.spec.areas}
        for (y, _district, area_key), per in self.counts.items():
            if y == year:
                for k in keys:
                    out[area_key][k] += per[k]
        return out

    def district_counts(self, year: int, count: str = "action") -> dict[str, dict[str, int]]:
        """District -> area key -> filled-in cells of column ``count`` (actions by default),
        in the districts' order."""
        out = {d: {a.key: 0 for a in self.spec.areas} for d in self.districts(year)}
        for (y, district, area_key), per in self.counts.items():
            if y == year:
                out[district][area_key] = per[count]
        return out

    def district_follow_up(self, year: int) -> dict[str, FollowUpCount]:
        """District -> its plan's follow-up figures (``rules.follow_up``), in the
        districts' order; counted over every action of the city at once."""
        counted = grouped_follow_up(self.actions, self.spec, [YEAR, DISTRICT])
        empty = FollowUpCount(0, 0, dict.fromkeys(status_labels(self.spec), 0))
        return {d: counted.get((year, d), empty) for d in self.districts(year)}

    def area_label(self, area_key: str) -> str:
        return area_label(self.spec, area_key)


def area_label(spec: Spec, area_key: str) -> str:
    """An area's name in the city's tables: every district's own area under one label."""
    area = spec.area(area_key)
    return spec.city.own_area_label if area.own else area.title


def combine_plans(
    results: Iterable[Plan | Failure],
    *,
    skipped: Sequence[Skipped] = (),
    spec: Spec | None = None,
) -> CityPlan:
    """Combine plans (and the failures met reading them) into a CityPlan.

    Raises DuplicatePlansError when two plans share district and year.
    """
    results = list(results)
    plans_in = [r for r in results if isinstance(r, Plan)]
    spec = spec or (plans_in[0].spec if plans_in else load_spec())
    rows: list[FileRow] = []
    usable: list[Plan] = []
    for r in results:
        if isinstance(r, Failure):
            rows.append(FileRow(r.path, "failed", reason=r.reason, code=r.code, data=r.data))
            continue
        code, reason = _unusable_reason(r, spec)
        path = r.meta.source or Path("")
        if reason:
            rows.append(
                FileRow(
                    path,
                    "failed",
                    r.meta.district,
                    r.meta.year,
                    len(r.actions),
                    reason=reason,
                    code=code,
                )
            )
            continue
        findings = check_plan(r)
        rows.append(
            FileRow(
                path,
                "read",
                r.meta.district,
                r.meta.year,
                len(r.actions),
                sum(f.severity == ERROR for f in findings),
                sum(f.severity == WARNING for f in findings),
            )
        )
        usable.append(r)
    rows += [FileRow(s.path, "skipped", reason=s.reason, code=s.code) for s in skipped]
    _refuse_duplicates(usable)
    usable.sort(key=lambda p: (p.meta.year or 0, swedish_sort_key(p.meta.district or "")))
    extras: list[str] = []
    for p in usable:
        extras += [c for c in p.extra_columns if c not in extras]
    actions = _actions(spec, usable, extras)
    key_of = {area_label(spec, a.key): a.key for a in spec.areas}
    counted = [c.key for c in spec.summary.counts]
    counts = {
        (int(y), str(d), key_of[str(label)]): per
        for (y, d, label), per in grouped_counts(
            actions, [YEAR, DISTRICT, TEMPLATE_AREA], counted
        ).items()
    }
    return CityPlan(spec, tuple(usable), actions, tuple(rows), tuple(extras), counts)


def _unusable_reason(plan: Plan, spec: Spec) -> tuple[str, str]:
    """Why a plan read cannot be combined: its code and English reason ("" if it can)."""
    if not plan.meta.district:
        return "no-district", (
            "no district found: name it in the file name ('Åtgärdsplan 2025 Bromma.xlsx'), "
            f"in a title cell ('{spec.title_word} 2025 – Bromma') or in the document "
            f"property {spec.district_property!r}"
        )
    if plan.meta.year is None:
        return "no-year", (
            "no year found: name it in the file name or a title cell, set the document "
            f"property {spec.year_property!r}, or pass --year"
        )
    return "", ""


def _refuse_duplicates(plans: list[Plan]) -> None:
    seen: dict[tuple[str, int | None], Plan] = {}
    clashes: list[str] = []
    pairs: list[dict[str, Any]] = []
    for p in plans:
        key = (fold(p.meta.district or ""), p.meta.year)
        if key in seen:
            earlier = seen[key].meta
            clashes.append(
                f"{earlier.source} (district from {ORIGINS.get(earlier.district_from, '?')}) "
                f"and {p.meta.source} (from {ORIGINS.get(p.meta.district_from, '?')}) "
                f"are both {p.meta.district} {p.meta.year}"
            )
            pairs.append(
                {
                    "first": earlier.source.name if earlier.source else "",
                    "first_from": earlier.district_from,
                    "second": p.meta.source.name if p.meta.source else "",
                    "second_from": p.meta.district_from,
                    "district": p.meta.district,
                    "year": p.meta.year,
                }
            )
        else:
            seen[key] = p
    if clashes:
        raise DuplicatePlansError(
            "two workbooks of the same district and year: "
            + "; ".join(clashes)
            + ". Keep one; for renamed copies of different districts' plans, name the "
            "district in each file name and combine with --district-from name",
            code="duplicate-plans",
            pairs=pairs,
        )


def _actions(spec: Spec, plans: list[Plan], extras: list[str]) -> pd.DataFrame:
    """One row per action of every plan: district, year, areas, texts, extras, provenance."""
    names = [DISTRICT, YEAR, AREA, TEMPLATE_AREA, *spec.keys, *extras, FILE, SHEET, ROW]
    columns: dict[str, list[object]] = {n: [] for n in names}
    for plan in plans:
        frame = plan.actions
        n = len(frame)
        labels = {plan.meta.title_of(a.key): area_label(spec, a.key) for a in spec.areas}
        columns[DISTRICT] += [plan.meta.district] * n
        columns[YEAR] += [plan.meta.year] * n
        columns[AREA] += frame[AREA].tolist()
        columns[TEMPLATE_AREA] += [labels[t] for t in frame[AREA]]
        for name in (*spec.keys, *extras, SHEET):
            columns[name] += frame[name].tolist() if name in frame.columns else [""] * n
        columns[ROW] += frame[ROW].tolist()
        columns[FILE] += [str(plan.meta.source or "")] * n
    out = pd.DataFrame(columns)
    out[YEAR] = out[YEAR].astype("int64")
    out[ROW] = out[ROW].astype("int64")
    return out
