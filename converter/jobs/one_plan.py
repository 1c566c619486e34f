"""The jobs over one workbook: ``read`` (its data), ``check``, ``summary`` and
``next-year``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..output import check_target
from ..plan import Plan
from ..rules.checks import ERROR, WARNING, Finding, check_plan, sort_findings
from ..rules.quality import quality_findings
from ..rules.rollover import next_year
from ..rules.summary import area_counts, stale_cells, totals
from ..spec import Spec
from ..workbooks.export import FORMATS, to_csv, to_json, write_export
from ..workbooks.plan_writer import default_summary_name, write_plan
from .common import (
    next_year_name,
    read_one,
    review_timeframes,
    settle_year,
    write_next_year,
)

# -- read ------------------------------------------------------------------------------


def export_format(output: Path | None, fmt: str | None) -> str | None:
    """The data format asked for: ``fmt``, else ``output``'s ending, else csv; None
    when the ending names no format."""
    if fmt:
        return fmt
    if output is None:
        return "csv"
    guessed = output.suffix.lstrip(".").lower() or "csv"
    return guessed if guessed in FORMATS else None


@dataclass(frozen=True)
class Exported:
    """A plan's actions as data: the text to print, or the file written."""

    plan: Plan
    text: str | None = None
    path: Path | None = None


def export_file(
    source: Path,
    spec: Spec,
    fmt: str,
    *,
    output: Path | None = None,
    year: int | None = None,
    district: str | None = None,
    raw_csv: bool = False,
    excel: bool = False,
    force: bool = False,
) -> Exported:
    """The normalised actions of ``source`` as csv, json (or, to a file, xlsx)."""
    if output is not None:
        check_target(output, force)
    plan = read_one(source, spec, year=year, district=district)
    if output is None:
        if fmt == "csv":
            return Exported(
                plan, ("\ufeff" if excel else "") + to_csv(plan, raw=raw_csv, excel=excel)
            )
        return Exported(plan, to_json(plan))
    path = write_export(plan, output, fmt, overwrite=force, raw_csv=raw_csv, excel_csv=excel)
    return Exported(plan, path=path)


# -- check -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    plan: Plan
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(f.severity == ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == WARNING for f in self.findings)

    def shown(self, errors_only: bool = False) -> list[Finding]:
        return [f for f in self.findings if not errors_only or f.severity == ERROR]


def check_file(
    source: Path,
    spec: Spec,
    *,
    year: int | None = None,
    district: str | None = None,
    quality: bool = False,
    today: dt.date | None = None,
) -> Checked:
    """Every finding of ``check`` in ``source``, with its cell; with ``quality`` also
    the plan's quality by Brå's method (``today`` decides whether the plan's year is
    over: the current date unless given)."""
    plan = read_one(source, spec, year=year, district=district)
    findings = check_plan(plan)
    if quality:
        findings = sort_findings([*findings, *quality_findings(plan, today)])
    return Checked(plan, findings)


def findings_json(findings: Sequence[Finding]) -> str:
    """``check --format json``: a list of ``{"code", "level", "cell", "area",
    "message"}``, the message in English (the report and the page word it in Swedish)."""
    records = [
        {"code": f.code, "level": f.severity, "cell": f.place, "area": f.area, "message": f.message}
        for f in findings
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"


# -- summary ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureRow:
    """One row of the summary's figures: the area (or total) and, per counted column,
    the true figure and what the workbook's own summary said where that was stale."""

    label: str
    figures: list[int]
    was: list[str | None]


@dataclass(frozen=True)
class Summarised:
    plan: Plan
    output: Path
    headers: list[str]  # the area header, then the counted columns' headers
    rows: list[FigureRow]  # one per area, then the total


def summary_figures(plan: Plan) -> tuple[list[str], list[FigureRow]]:
    """The Sammanställning's figures per area and in total, each stale cell of the
    workbook's own summary beside its true figure (the rule of ``stale_cells``)."""
    spec = plan.spec
    counts = area_counts(plan)
    stale = {(s.area_key, s.count_key): s.cell.text or "" for s in stale_cells(plan, counts)}
    keys = [c.key for c in spec.summary.counts]
    rows = [
        FigureRow(
            title,
            [counts[key][k] for k in keys],
            [stale.get((key, k)) for k in keys],
        )
        for key, title in plan.areas
    ]
    total = totals(counts)
    rows.append(FigureRow(spec.summary.total_label, [total[k] for k in keys], [None] * len(keys)))
    return [spec.summary.area_header, *(c.header for c in spec.summary.counts)], rows


def summarise_file(
    source: Path,
    spec: Spec,
    *,
    output: Path | None = None,
    year: int | None = None,
    district: str | None = None,
    force: bool = False,
) -> Summarised:
    """``source`` rebuilt with a correct Sammanställning (live formulas and chart)."""
    target = output or source.with_name(default_summary_name(spec, source))
    check_target(target, force)
    plan = read_one(source, spec, year=year, district=district)
    write_plan(plan, target, overwrite=force)
    headers, rows = summary_figures(plan)
    return Summarised(plan, target, headers, rows)


# -- next year -------------------------------------------------------------------------


@dataclass(frozen=True)
class RolledOver:
    plan: Plan
    rolled: Plan
    output: Path
    review: list[Finding]  # timeframes to look at in next year's workbook


def roll_over_file(
    source: Path,
    spec: Spec,
    *,
    year: int | None = None,
    output: Path | None = None,
    keep_follow_up: bool = True,
    district: str | None = None,
    force: bool = False,
) -> RolledOver:
    """Next year's workbook of ``source``: actions kept, follow-up cleared (and kept
    beside, unless not ``keep_follow_up``)."""
    plan = read_one(source, spec, district=district)
    rolled = next_year(plan, settle_year(year), keep_follow_up=keep_follow_up)
    new_year = rolled.meta.year or 0
    target = output or source.with_name(next_year_name(source, plan.meta.year, new_year))
    check_target(target, force)
    write_next_year(rolled, target, force=force)
    return RolledOver(plan, rolled, target, review_timeframes(rolled))
