"""The user-level jobs, once, for the command line and the web page: the one seam.

Each job takes inputs and options, writes named outputs and returns what it did as
values (files written, plans, findings, failures); it prints nothing. The CLI turns the
values into lines, the web page into pages; neither imports anything below this
module but the errors and the settings (``tests/test_layout.py`` holds them to it).
District names, years and output names are settled here, once, for both.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .documents.messages import error_text, finding_text, size_text
from .documents.report import plan_view, svg_data_uri
from .documents.templating import environment, template_folders, texts
from .errors import AtgardsplanError, Failure, InputError, OutputError, Skipped
from .limits import MAX_UNPACKED_BYTES
from .output import check_target, write_text_atomic
from .plan import Plan
from .reading.inputs import Inputs, expand_inputs, map_files, read_plans
from .reading.reader import read_plan
from .rules.checks import ERROR, WARNING, Finding, check_plan, compact_places
from .rules.combine import CityPlan, combine_plans
from .rules.rollover import blank_plan, next_year, previous_follow_up_column
from .rules.summary import area_counts, stale_cells, totals
from .spec import Spec, load_spec
from .workbooks.city_writer import default_city_name, write_city
from .workbooks.export import FORMATS, to_csv, to_json, write_export
from .workbooks.plan_writer import default_summary_name, default_template_name, placed, write_plan

__all__ = [
    # what the front ends show of the jobs' values, by code and in Swedish
    "compact_places",
    "environment",
    "error_text",
    "finding_text",
    "load_spec",
    "plan_view",
    "size_text",
    "svg_data_uri",
    "template_folders",
    "texts",
    "Failure",
    "Finding",
    "Plan",
    "Skipped",
    "Spec",
]

Progress = Callable[[Path], None]
#: The years a plan may have: a year typed outside them is a typing error.
YEARS = (2000, 2100)


# -- what both front ends settle the same way ----------------------------------------


def settle_year(year: int | None) -> int | None:
    """A year typed by a user: kept when it is a plan's year, else refused."""
    if year is not None and not YEARS[0] <= year <= YEARS[1]:
        raise InputError(
            f"year {year} is outside {YEARS[0]}–{YEARS[1]}",
            code="template-year",
            low=YEARS[0],
            high=YEARS[1],
        )
    return year


def settle_district(name: str | None, spec: Spec) -> str | None:
    """A district typed by a user, spelled as the spec's list spells it ("sodermalm" ->
    "Södermalm"); a name the list does not know is kept as typed."""
    if name is None or not name.strip():
        return None
    return spec.naming.canonical(name)


def settle_districts(names: Iterable[str], spec: Spec, *, all_districts: bool = False) -> list[str]:
    """Districts typed or ticked, each spelled as the spec's list spells it, once each
    (with ``all_districts`` every current district of the spec too)."""
    settled = [d for d in (settle_district(n, spec) for n in names) if d]
    if all_districts:
        settled += list(spec.naming.current)
    return list(dict.fromkeys(settled))


def known_district(name: str, spec: Spec) -> bool:
    return name in spec.naming.current or any(d.name == name for d in spec.naming.districts)


def next_year_name(source: Path, old: int | None, new: int) -> str:
    """Next year's file name: the year in the name moved on, else the year appended."""
    stem = source.stem
    if old is not None and str(old) in stem:
        return re.sub(rf"(?<!\d){old}(?!\d)", str(new), stem, count=1) + ".xlsx"
    return f"{stem}-{new}.xlsx"


def review_timeframes(rolled: Plan) -> list[Finding]:
    """Timeframes of next year's plan that name another year, at their written cells."""
    return [f for f in check_plan(placed(rolled)) if f.code == "timeframe-year"]


def _read(
    source: Path,
    spec: Spec,
    *,
    year: int | None = None,
    district: str | None = None,
    default_year: int | None = None,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
) -> Plan:
    return read_plan(
        source,
        spec,
        year=settle_year(year),
        district=settle_district(district, spec),
        default_year=settle_year(default_year),
        max_unpacked_bytes=max_unpacked_bytes,
    )


def write_next_year(rolled: Plan, target: Path, *, force: bool = False) -> Path:
    """Next year's workbook: the rolled-over plan with room to type, last year's
    follow-up (if kept) in its grey column."""
    return write_plan(
        rolled,
        target,
        blank_rows=rolled.spec.next_year_blank_rows,
        overwrite=force,
        previous_follow_up=previous_follow_up_column(rolled),
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
    plan = _read(source, spec, year=year, district=district)
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
    source: Path, spec: Spec, *, year: int | None = None, district: str | None = None
) -> Checked:
    """Every finding of ``check`` in ``source``, with its cell."""
    plan = _read(source, spec, year=year, district=district)
    return Checked(plan, check_plan(plan))


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
    plan = _read(source, spec, year=year, district=district)
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

    @property
    def notes(self) -> list[str]:
        """What rolling over had to assume (an unknown year)."""
        return list(self.rolled.meta.notes[len(self.plan.meta.notes) :])


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
    plan = _read(source, spec, district=district)
    rolled = next_year(plan, settle_year(year), keep_follow_up=keep_follow_up)
    new_year = rolled.meta.year or 0
    target = output or source.with_name(next_year_name(source, plan.meta.year, new_year))
    check_target(target, force)
    write_next_year(rolled, target, force=force)
    return RolledOver(plan, rolled, target, review_timeframes(rolled))


# -- convert -------------------------------------------------------------------------


@dataclass(frozen=True)
class Converted:
    """One workbook converted: the files written (by kind), the plan read, next year's."""

    source: Path
    files: Mapping[str, Path]  # kind ("csv", "json", "summary", "next", ...) -> file
    plan: Plan
    rolled: Plan
    review: list[Finding]  # timeframes to look at in next year's workbook
    findings: list[Finding] | None = None  # the plan's findings, when its report was made

    @property
    def written(self) -> list[Path]:
        return list(self.files.values())

    @property
    def next_year_file(self) -> Path:
        return self.files["next"]


@dataclass(frozen=True)
class ConvertOptions:
    out_dir: Path
    spec: Spec
    force: bool = False
    raw_csv: bool = False
    year: int | None = None
    excel_csv: bool = True  # the CSV of convert is for people: Swedish Excel's
    district: str | None = None
    data_xlsx: bool = False  # also the data as a workbook of one table (the web page)
    report: bool = False  # also the report page (the web page)
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES  # a server's lower limit (read_plan)


def convert_targets(
    source: Path, old_year: int | None, new_year: int, options: ConvertOptions
) -> dict[str, Path]:
    """The files ``convert_one`` writes for a plan of ``old_year`` read from ``source``
    and rolled over to ``new_year``, by kind."""
    next_name = next_year_name(source, old_year, new_year)
    out = options.out_dir
    spec = options.spec
    stem = source.stem
    targets = {
        "csv": out / spec.file_name("csv", stem=stem),
        "json": out / spec.file_name("json", stem=stem),
        "summary": out / default_summary_name(spec, source),
        "next": out / next_name,
        # Named after next year's file, so that plans without a district never clash.
        "template": out / spec.file_name("next_template", next_stem=Path(next_name).stem),
    }
    if options.data_xlsx:
        targets["xlsx"] = out / spec.file_name("data", stem=stem)
    if options.report:
        targets["report"] = out / spec.file_name("report", stem=stem)
    return targets


def convert_one(source: Path, options: ConvertOptions) -> Converted:
    """The main job for one workbook: data, rebuilt summary, next year's plan, template
    (and, if asked, the data as a workbook and the report).

    Every target is checked before anything is written; on failure what this call
    wrote is removed again.
    """
    o = options
    spec = o.spec
    plan = _read(
        source, spec, year=o.year, district=o.district, max_unpacked_bytes=o.max_unpacked_bytes
    )
    rolled = next_year(plan)
    new_year = rolled.meta.year or 0
    targets = convert_targets(source, plan.meta.year, new_year, o)
    for t in targets.values():  # all or nothing: refuse before writing anything
        check_target(t, o.force)
    written: dict[str, Path] = {}
    findings: list[Finding] | None = None
    try:
        written["csv"] = write_export(
            plan,
            targets["csv"],
            "csv",
            overwrite=o.force,
            raw_csv=o.raw_csv,
            excel_csv=o.excel_csv,
        )
        written["json"] = write_export(plan, targets["json"], "json", overwrite=o.force)
        written["summary"] = write_plan(plan, targets["summary"], overwrite=o.force)
        written["next"] = write_next_year(rolled, targets["next"], force=o.force)
        own = plan.meta.title_of(spec.own_area.key) if spec.own_area else None
        own = own if spec.own_area and own != spec.own_area.title else None
        blank = blank_plan(new_year, plan.meta.district, spec, own_area=own)
        written["template"] = write_plan(
            blank, targets["template"], blank_rows=spec.blank_rows, overwrite=o.force
        )
        if "xlsx" in targets:
            written["xlsx"] = write_export(plan, targets["xlsx"], "xlsx", overwrite=o.force)
        if "report" in targets:
            from .documents.report import render_plan_report

            findings = check_plan(plan)
            html = render_plan_report(plan, findings=findings)
            written["report"] = write_text_atomic(targets["report"], html, o.force)
    except BaseException:
        if not o.force:  # nothing half-done: remove what this run wrote
            for p in written.values():
                p.unlink(missing_ok=True)
        raise
    return Converted(source, written, plan, rolled, review_timeframes(rolled), findings)


def check_plan_once(result: Converted) -> list[Finding]:
    """The findings of a converted plan: those its report was made with, if it was."""
    return result.findings if result.findings is not None else check_plan(result.plan)


def _convert_task(args: tuple[Path, ConvertOptions]) -> Converted | Failure:
    source, options = args
    try:
        return convert_one(source, options)
    except Exception as exc:  # reported per file; the batch goes on
        return Failure.of(source, exc)


@dataclass(frozen=True)
class ConvertRun:
    """``convert`` over files and folders: what was skipped in the folders, and a
    result or failure for each workbook, in input order."""

    skipped: list[Skipped]
    results: list[Converted | Failure]

    @property
    def failures(self) -> list[Failure]:
        return [r for r in self.results if isinstance(r, Failure)]

    @property
    def converted(self) -> list[Converted]:
        return [r for r in self.results if isinstance(r, Converted)]


def convert_files(
    paths: Sequence[str | os.PathLike[str]],
    options: ConvertOptions,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    on_files: Callable[[Inputs], None] | None = None,
) -> ConvertRun:
    """The main job over files and folders (a folder: the workbooks directly in it),
    on all cores. Raises InputError when there is no workbook at all."""
    inputs = expand_inputs(paths)
    if not inputs.files:
        raise InputError("no workbooks found", Path(paths[0]), code="no-workbooks")
    if on_files:
        on_files(inputs)
    results = convert_many(inputs.files, options, workers=workers, progress=progress)
    return ConvertRun(inputs.skipped, results)


def convert_many(
    files: Sequence[Path],
    options: ConvertOptions,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> list[Converted | Failure]:
    """``convert_one`` over many workbook files (on all cores), a result or failure
    for each.

    Two inputs of the same file name (from different folders) would write the same
    outputs: the later one fails with that reason instead.
    """
    prepare_out_dir(options.out_dir)
    first_of: dict[str, Path] = {}
    tasks: list[tuple[Path, ConvertOptions]] = []
    clashes: dict[Path, Failure] = {}
    for f in files:
        key = f.stem.casefold()
        if key in first_of:
            clashes[f] = Failure(
                f,
                f"same file name as {first_of[key]}: their outputs would collide; rename one",
                "same-file-name",
                {"other": first_of[key].name},
            )
        else:
            first_of[key] = f
            tasks.append((f, options))
    done = iter(map_files(_convert_task, tasks, workers=workers, progress=progress))
    results: list[Converted | Failure] = []
    for f in files:
        if f in clashes:
            results.append(clashes[f])
            if progress:
                progress(f)
        else:
            results.append(next(done))
    return results


def prepare_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("output folder is a file", out_dir, code="output-is-file")
    out_dir.mkdir(parents=True, exist_ok=True)


# -- a batch for download (the web page) ---------------------------------------------


@dataclass(frozen=True)
class Batch:
    """Workbooks converted for download, each in a folder of its own, and (with two or
    more plans) the city's workbook and report."""

    results: list[Converted | Failure]  # one per input, in input order
    city: CityPlan | None = None
    city_files: Mapping[str, Path] = field(default_factory=dict)
    city_failure: Failure | None = None  # why there is no city workbook (duplicates)


def convert_uploads(
    inputs: Sequence[Path | Failure],
    out_dir: Path,
    spec: Spec,
    *,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
) -> Batch:
    """Everything an administrator can download for each workbook of ``inputs``:
    ``convert_one``'s files plus the data as a workbook and the report, in
    ``out_dir/1``, ``out_dir/2``, ...; with two or more plans also the city workbook and
    report in ``out_dir/stad``. An input given as a Failure (refused before reading,
    say too large) is passed through; one bad workbook never stops the rest.

    The inputs' folders are nobody's business in the city outputs (uploads sit in a
    temporary folder): there each file is named by its name alone.
    """
    results: list[Converted | Failure] = []
    for i, source in enumerate(inputs, start=1):
        if isinstance(source, Failure):
            results.append(source)
            continue
        folder = out_dir / str(i)
        folder.mkdir(parents=True, exist_ok=True)
        options = ConvertOptions(
            folder, spec, data_xlsx=True, report=True, max_unpacked_bytes=max_unpacked_bytes
        )
        results.append(_convert_task((source, options)))
    named: list[Plan | Failure] = [
        _named(r.plan) if isinstance(r, Converted) else replace(r, path=Path(r.path.name))
        for r in results
    ]
    if sum(isinstance(r, Converted) for r in results) < 2:
        return Batch(results)
    try:
        city = combine_plans(named, spec=spec)
    except AtgardsplanError as exc:  # two workbooks of one district and year
        return Batch(results, city_failure=Failure.of(Path(""), exc))
    if not city.plans:
        return Batch(results, city=city)
    from .documents.report import default_city_report_name, render_city_report

    city_dir = out_dir / "stad"
    city_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "city": write_city(city, city_dir / default_city_name(city)),
        "city_report": write_text_atomic(
            city_dir / default_city_report_name(city), render_city_report(city), False
        ),
    }
    return Batch(results, city, files)


def _named(plan: Plan) -> Plan:
    source = plan.meta.source
    return replace(plan, meta=replace(plan.meta, source=Path(source.name) if source else None))


# -- combine -------------------------------------------------------------------------


def combine_files(
    paths: Iterable[str | os.PathLike[str]],
    spec: Spec,
    *,
    default_year: int | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    on_files: Callable[[Inputs], None] | None = None,
) -> CityPlan:
    """Read every workbook of ``paths`` (files and folders) and combine them.

    ``default_year`` is the year of workbooks that name none. ``on_files`` is told
    which files will be read before reading starts (for a progress bar).
    """
    inputs = expand_inputs(paths)
    if on_files:
        on_files(inputs)
    results = read_plans(
        inputs.files,
        spec,
        default_year=settle_year(default_year),
        workers=workers,
        progress=progress,
    )
    return combine_plans(results, skipped=inputs.skipped, spec=spec)


def write_combined(city: CityPlan, output: Path | None = None, *, force: bool = False) -> Path:
    """Write the city workbook (default name in the current folder)."""
    target = output or Path(default_city_name(city))
    check_target(target, force)
    return write_city(city, target, overwrite=force)


@dataclass(frozen=True)
class Combined:
    city: CityPlan
    output: Path


def combine_to_workbook(
    paths: Iterable[str | os.PathLike[str]],
    spec: Spec,
    *,
    output: Path | None = None,
    default_year: int | None = None,
    force: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
    on_files: Callable[[Inputs], None] | None = None,
) -> Combined:
    """``combine``: every plan of ``paths`` in the city's workbook. A named ``output``
    that exists is refused before anything is read; with no usable plan at all,
    NoUsablePlanError names each failed file."""
    if output is not None:
        check_target(output, force)
    city = combine_files(
        paths,
        spec,
        default_year=default_year,
        workers=workers,
        progress=progress,
        on_files=on_files,
    ).require_plans()
    return Combined(city, write_combined(city, output, force=force))


# -- report --------------------------------------------------------------------------


@dataclass(frozen=True)
class Reported:
    """A report written: the page, the PDF (if asked), and what it was made of."""

    html: Path
    pdf: Path | None
    plan: Plan | None = None
    city: CityPlan | None = None


def report_files(
    paths: Sequence[Path],
    spec: Spec,
    *,
    output: Path | None = None,
    template_dir: Path | None = None,
    pdf: bool = False,
    force: bool = False,
    default_year: int | None = None,
    progress: Progress | None = None,
    on_files: Callable[[Inputs], None] | None = None,
) -> Reported:
    """One workbook: its plan's report. Several, or a folder: the city's report, with
    the rules of ``combine`` (unusable files listed, duplicates refused). The page goes
    to ``output`` (default: a name from the spec, in the current folder); with ``pdf``
    a PDF beside it."""
    from .documents.report import (
        default_city_report_name,
        default_report_name,
        render_city_report,
        render_plan_report,
    )

    if template_dir is not None and not template_dir.is_dir():
        raise OutputError("template folder not found", template_dir, code="template-folder-missing")
    if len(paths) == 1 and not Path(paths[0]).is_dir():
        source = Path(paths[0])
        target = output or Path(default_report_name(spec, source))
        _check_report_targets(target, pdf, force)
        plan = _read(source, spec, default_year=default_year)
        html = render_plan_report(plan, template_dir=template_dir)
        written = write_text_atomic(target, html, force)
        return Reported(written, _pdf_of(written, pdf, force), plan=plan)
    city = combine_files(
        paths, spec, default_year=default_year, progress=progress, on_files=on_files
    ).require_plans()
    target = output or Path(default_city_report_name(city))
    _check_report_targets(target, pdf, force)
    html = render_city_report(city, template_dir=template_dir)
    written = write_text_atomic(target, html, force)
    return Reported(written, _pdf_of(written, pdf, force), city=city)


def _check_report_targets(target: Path, pdf: bool, force: bool) -> None:
    """Refuse before any work: targets that exist, a PDF without a browser to print it."""
    check_target(target, force)
    if pdf:
        from .documents.pdf import INSTALL_HINT, find_browser

        check_target(target.with_suffix(".pdf"), force)
        if find_browser() is None:
            raise OutputError(INSTALL_HINT, target.with_suffix(".pdf"), code="no-browser")


def _pdf_of(html: Path, pdf: bool, force: bool) -> Path | None:
    if not pdf:
        return None
    from .documents.pdf import html_to_pdf

    return html_to_pdf(html, html.with_suffix(".pdf"), overwrite=force)


# -- template ------------------------------------------------------------------------


def write_templates(
    year: int,
    districts: Sequence[str | None],
    spec: Spec,
    *,
    own_area: str | None = None,
    out_dir: Path = Path("."),
    output: Path | None = None,
    force: bool = False,
) -> list[Path | Failure]:
    """One blank workbook per district (``output`` names it when there is one)."""
    if output is not None and len(districts) != 1:
        raise ValueError("an output file name needs exactly one district")
    results: list[Path | Failure] = []
    for district in districts:
        target = output or out_dir / default_template_name(spec, year, district)
        try:
            plan = blank_plan(year, district, spec, own_area=own_area)
            results.append(write_plan(plan, target, blank_rows=spec.blank_rows, overwrite=force))
        except Exception as exc:  # reported per district; the rest go on
            results.append(Failure.of(target, exc))
    return results


def template_files(
    year: int,
    districts: Sequence[str],
    spec: Spec,
    *,
    all_districts: bool = False,
    own_area: str | None = None,
    out_dir: Path = Path("."),
    output: Path | None = None,
    force: bool = False,
) -> list[Path | Failure]:
    """``template``: blank workbooks for ``year``, one per district (each name spelled
    as the spec's list spells it), or one without a district when none is named."""
    settle_year(year)
    names: list[str | None] = list(settle_districts(districts, spec, all_districts=all_districts))
    if all_districts and not spec.naming.current:
        raise InputError("the spec lists no districts; use --district", code="no-districts")
    if output is not None and len(names) > 1:
        raise InputError(
            "-o names one workbook; for several districts use --out DIR", code="one-output"
        )
    if output is None:
        prepare_out_dir(out_dir)
    return write_templates(
        year, names or [None], spec, own_area=own_area, out_dir=out_dir, output=output, force=force
    )


def templates_archive_name(spec: Spec, year: int) -> str:
    return spec.file_name("templates_zip", year=year)


# -- diff ------------------------------------------------------------------------------

#: The endings ``diff -o`` writes.
DIFF_SUFFIXES = (".xlsx", ".json", ".html", ".htm")


@dataclass(frozen=True)
class Diffed:
    """Two plans compared: the frame of pairs, both plans, and the file written."""

    frame: pd.DataFrame
    old: Plan
    new: Plan
    output: Path | None = None

    @property
    def differ(self) -> bool:
        from .rules.diff import UNCHANGED

        return bool((self.frame["status"] != UNCHANGED).any())

    @property
    def counted(self) -> dict[str, int]:
        """Actions per status, most first."""
        return {str(k): int(n) for k, n in self.frame["status"].value_counts().items()}

    def text(self, limit: int | None = None) -> str:
        from .documents.diff_report import diff_to_text

        return diff_to_text(self.frame, self.old, self.new, limit=limit)

    def json(self) -> str:
        from .documents.diff_report import diff_to_json

        return diff_to_json(self.frame)


def diff_files(
    old: Path,
    new: Path,
    spec: Spec,
    *,
    follow_up: bool = False,
    threshold: float = 60.0,
    output: Path | None = None,
    force: bool = False,
) -> Diffed:
    """``diff``: what changed from ``old`` to ``new``, action by action; with ``output``
    written as xlsx, json or html by its ending."""
    from .rules.diff import diff_plans

    if output is not None:
        if output.suffix.lower() not in DIFF_SUFFIXES:
            raise OutputError(
                "cannot tell the format from the name: use .xlsx, .json or .html",
                output,
                code="diff-format",
            )
        check_target(output, force)
    before, after = _read(old, spec), _read(new, spec)
    frame = diff_plans(before, after, follow_up=follow_up, threshold=threshold)
    written = write_diff(frame, before, after, output, overwrite=force) if output else None
    return Diffed(frame, before, after, written)


def write_diff(
    frame: pd.DataFrame,
    old: Plan,
    new: Plan,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
) -> Path:
    """Write a diff as xlsx, json or html, by the ending of ``path``."""
    from .documents.diff_report import diff_to_html, diff_to_json
    from .workbooks.diff_writer import write_diff_xlsx

    p = Path(path)
    kind = p.suffix.lower().lstrip(".")
    if kind == "xlsx":
        return write_diff_xlsx(frame, old, new, p, overwrite=overwrite)
    if kind == "json":
        return write_text_atomic(p, diff_to_json(frame), overwrite)
    if kind in ("html", "htm"):
        return write_text_atomic(p, diff_to_html(frame, old, new), overwrite)
    raise ValueError(f"cannot tell the format from {p.name!r} (use .xlsx, .json or .html)")
