"""The user-level jobs, once, for the command line and any other front end.

Each job takes inputs and options, writes named outputs and returns what it did as
values (files written, plans, findings, failures); it prints nothing. The CLI turns
the values into lines, another front end into pages.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import AtgardsplanError, Failure, OutputError
from .output import check_target, write_text_atomic
from .plan import Plan
from .reading.inputs import Inputs, expand_inputs, map_files, read_plans
from .reading.reader import read_plan
from .reading.source import MAX_UNPACKED_BYTES
from .rules.checks import Finding, check_plan
from .rules.combine import CityPlan, combine_plans
from .rules.rollover import blank_plan, next_year
from .spec import Spec
from .workbooks.city_writer import default_city_name, write_city
from .workbooks.export import write_export
from .workbooks.plan_writer import default_summary_name, default_template_name, placed, write_plan

Progress = Callable[[Path], None]


def next_year_name(source: Path, old: int | None, new: int) -> str:
    """Next year's file name: the year in the name moved on, else the year appended."""
    stem = source.stem
    if old is not None and str(old) in stem:
        return re.sub(rf"(?<!\d){old}(?!\d)", str(new), stem, count=1) + ".xlsx"
    return f"{stem}-{new}.xlsx"


def review_timeframes(rolled: Plan) -> list[Finding]:
    """Timeframes of next year's plan that name another year, at their written cells."""
    return [f for f in check_plan(placed(rolled)) if f.code == "timeframe-year"]


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
    targets = {
        "csv": out / f"{source.stem}.csv",
        "json": out / f"{source.stem}.json",
        "summary": out / default_summary_name(source),
        "next": out / next_name,
        # Named after next year's file, so that plans without a district never clash.
        "template": out / f"{Path(next_name).stem}-mall.xlsx",
    }
    if options.data_xlsx:
        targets["xlsx"] = out / f"{source.stem}-data.xlsx"
    if options.report:
        from .documents.report import default_report_name

        targets["report"] = out / default_report_name(options.spec, source)
    return targets


def convert_one(source: Path, options: ConvertOptions) -> Converted:
    """The main job for one workbook: data, rebuilt summary, next year's plan, template
    (and, if asked, the data as a workbook and the report).

    Every target is checked before anything is written; on failure what this call
    wrote is removed again.
    """
    o = options
    spec = o.spec
    plan = read_plan(
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
        written["next"] = write_plan(
            rolled,
            targets["next"],
            blank_rows=spec.next_year_blank_rows,
            overwrite=o.force,
            previous_follow_up=rolled.extra_columns[0],
        )
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


def _convert_task(args: tuple[Path, ConvertOptions]) -> Converted | Failure:
    source, options = args
    try:
        return convert_one(source, options)
    except Exception as exc:  # reported per file; the batch goes on
        return Failure.of(source, exc)


def convert_many(
    files: Sequence[Path],
    options: ConvertOptions,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
) -> list[Converted | Failure]:
    """``convert_one`` over many files (on all cores), a result or failure for each.

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


def convert_batch(
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
        inputs.files, spec, default_year=default_year, workers=workers, progress=progress
    )
    return combine_plans(results, skipped=inputs.skipped, spec=spec)


def write_combined(city: CityPlan, output: Path | None = None, *, force: bool = False) -> Path:
    """Write the city workbook (default name in the current folder)."""
    target = output or Path(default_city_name(city))
    check_target(target, force)
    return write_city(city, target, overwrite=force)


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
        plan = read_plan(source, spec, default_year=default_year)
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
