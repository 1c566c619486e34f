"""The Plan: a plan's metadata and one tidy DataFrame of actions.

Every input becomes a Plan and every output is made from one; no output code reads a
file again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from .spec import Spec, load_spec

AREA = "area"
SHEET = "sheet"
ROW = "row"
PROVENANCE = (SHEET, ROW)


@dataclass(frozen=True)
class SheetInfo:
    """Where an area sheet's table was found in the source workbook."""

    tab: str
    area_key: str
    header_row: int  # 1-based
    columns: Mapping[str, int]  # column key or extra header -> 0-based column index
    #: Columns whose header names a column the sheet already has (a second "Status"):
    #: (extra column name, column key it repeats), kept as extra columns.
    repeated: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SummaryCell:
    value: float | None  # None when the cell held no number
    text: str
    row: int  # 1-based
    col: int  # 0-based


@dataclass(frozen=True)
class SummaryFound:
    """The figures of the workbook's own summary sheet, as found."""

    tab: str
    rows: Mapping[str, Mapping[str, SummaryCell]]  # area key -> count key -> cell


class Note(str):
    """A note of the reader or the rollover: its English text, which it is, and the
    template and values it was made of, for the command line to say in Swedish."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> Note:
        note = super().__new__(cls, template.format(**values))
        note.template = template
        note.values = values
        return note

    def __reduce__(self) -> tuple[Any, ...]:  # pickled for the worker processes
        return (_note, (self.template, self.values))


def _note(template: str, values: dict[str, Any]) -> Note:
    return Note(template, **values)


@dataclass(frozen=True)
class PlanMeta:
    spec: Spec
    year: int | None = None
    district: str | None = None
    police_area: str | None = None  # lokalpolisområde, where the title names it
    source: Path | None = None
    # Title of each area in this plan, by area key (the own area is usually renamed).
    area_titles: Mapping[str, str] = field(default_factory=dict)
    sheets: tuple[SheetInfo, ...] = ()
    summary_found: SummaryFound | None = None
    unrecognised_sheets: tuple[str, ...] = ()  # visible sheets that are neither area nor summary
    unmatched_area_sheets: tuple[str, ...] = ()  # look like area sheets, area unknown
    ignored_sheets: tuple[str, ...] = ()  # hidden helper sheets, chart sheets
    notes: tuple[str, ...] = ()  # things the reader noticed (e.g. unknown properties)
    #: Where the year and the district were read: "property", "title", "file name",
    #: "given" (an option), "default" (--year of workbooks naming none), "timeframes".
    year_from: str = ""
    district_from: str = ""
    #: The extra column holding last year's follow-up, in a plan rolled over to next year.
    previous_follow_up: str | None = None
    #: The extra column holding last year's status beside it, in a rolled-over plan.
    previous_status: str | None = None

    @property
    def previous_columns(self) -> tuple[str, ...]:
        """The extra columns of last year's values, written grey in next year's plan."""
        return tuple(c for c in (self.previous_follow_up, self.previous_status) if c)

    def title_of(self, area_key: str) -> str:
        return self.area_titles.get(area_key) or self.spec.area(area_key).title

    def key_of(self, title: str) -> str:
        for key, t in self.area_titles.items():
            if t == title:
                return key
        area = self.spec.match_area(title)
        if area is None:
            raise KeyError(title)
        return area.key


@dataclass(frozen=True)
class Plan:
    """A plan: ``meta`` plus ``actions``, one row per action.

    ``actions`` has the string columns ``area`` and the spec's column keys (problem,
    cause, action, goal, timeframe, responsible, follow_up), then the provenance
    ``sheet`` (tab name) and ``row`` (1-based row in that sheet, 0 when made in code),
    then any extra columns found in the workbook, under their header text.
    """

    meta: PlanMeta
    actions: pd.DataFrame

    @property
    def spec(self) -> Spec:
        return self.meta.spec

    @property
    def year(self) -> int | None:
        return self.meta.year

    @property
    def district(self) -> str | None:
        return self.meta.district

    @property
    def extra_columns(self) -> list[str]:
        known = {AREA, *self.spec.keys, *PROVENANCE}
        return [c for c in self.actions.columns if c not in known]

    @property
    def areas(self) -> list[tuple[str, str]]:
        """(key, title) of every area, in spec order."""
        return [(a.key, self.meta.title_of(a.key)) for a in self.spec.areas]

    @property
    def frames(self) -> dict[str, pd.DataFrame]:
        """One DataFrame per area, keyed by area title, in spec order (empty areas too)."""
        out: dict[str, pd.DataFrame] = {}
        groups = (
            {k: g for k, g in self.actions.groupby(AREA, sort=False)} if len(self.actions) else {}
        )
        for _key, title in self.areas:
            frame = groups.get(title)
            if frame is None:
                frame = self.actions.iloc[0:0]
            out[title] = frame.reset_index(drop=True)
        return out

    def rows_of(self, area_key: str) -> pd.DataFrame:
        return self.frames[self.meta.title_of(area_key)]

    def with_actions(self, actions: pd.DataFrame, **meta_changes: Any) -> Plan:
        """A plan with other actions (and, by keyword, other metadata)."""
        return Plan(replace(self.meta, **meta_changes), actions)


def actions_frame(
    spec: Spec,
    columns: Mapping[str, Sequence[object]],
    extra_columns: Iterable[str] = (),
) -> pd.DataFrame:
    """Build an actions DataFrame in canonical column order and types."""
    n = len(next(iter(columns.values()))) if columns else 0
    data: dict[str, object] = {}
    for name in (AREA, *spec.keys, SHEET):
        data[name] = list(columns.get(name, [""] * n))
    data[ROW] = pd.array(list(columns.get(ROW, [0] * n)), dtype="int64")
    for name in extra_columns:
        data[name] = list(columns.get(name, [""] * n))
    frame = pd.DataFrame(data)
    if n == 0:  # keep text columns text-typed even when there are no rows
        frame = frame.astype({c: "str" for c in frame.columns if c != ROW})
    return frame


def plan_from_records(
    records: Iterable[Mapping[str, str]],
    *,
    year: int | None = None,
    district: str | None = None,
    spec: Spec | None = None,
    area_titles: Mapping[str, str] | None = None,
) -> Plan:
    """Make a Plan in code from dicts with ``area`` (a title or key) and column keys.

    Keys that are not column keys become extra columns, in order of first appearance.
    """
    spec = spec or load_spec()
    titles = {a.key: a.title for a in spec.areas}
    titles.update(area_titles or {})
    meta = PlanMeta(spec=spec, year=year, district=district, area_titles=titles)
    recs = list(records)
    known = {AREA, *spec.keys, *PROVENANCE}
    extras: list[str] = []
    for r in recs:
        for k in r:
            if k not in known and k not in extras:
                extras.append(k)
    cols: dict[str, list[object]] = {name: [] for name in (AREA, *spec.keys, SHEET, ROW, *extras)}
    for r in recs:
        area = str(r.get(AREA, ""))
        key = area if area in titles else meta.key_of(area)
        cols[AREA].append(titles[key])
        for name in (*spec.keys, *extras):
            cols[name].append(str(r.get(name, "")))
        cols[SHEET].append(str(r.get(SHEET, "")))
        cols[ROW].append(int(r.get(ROW, 0) or 0))
    return Plan(meta, actions_frame(spec, cols, extras))


def column_headers(spec: Spec) -> dict[str, str]:
    """The actions' column names to the headers people read: the template's own (an
    extra column is its own header already)."""
    return {
        AREA: spec.city.area_header,
        SHEET: spec.city.sheet_header,
        ROW: spec.city.row_header,
        **{c.key: c.header for c in spec.columns},
    }
