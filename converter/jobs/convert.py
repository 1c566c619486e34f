"""The main job, ``convert``: data, rebuilt summary, next year's plan and template for
each workbook (on all cores); and the same for the web page's uploads, with the report
and, for two or more plans, the city's files."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..documents.messages import size_text
from ..documents.report import default_city_report_name, write_city_report, write_plan_report
from ..errors import AtgardsplanError, Failure, NoUsablePlanError, Skipped, attempt
from ..limits import MAX_UNPACKED_BYTES, RELEASE_AFTER_BYTES, release_memory
from ..output import check_target
from ..plan import Plan
from ..reading.inputs import Inputs, expand_inputs, map_files
from ..reading.source import declared_size
from ..rules.checks import Finding, check_plan
from ..rules.combine import CityPlan, combine_plans
from ..rules.rollover import blank_plan, next_year
from ..spec import Spec
from ..workbooks.city_writer import default_city_name, write_city
from ..workbooks.export import write_export
from ..workbooks.plan_writer import default_summary_name, write_plan
from .common import (
    Progress,
    next_year_name,
    prepare_out_dir,
    read_one,
    remove_if_empty,
    review_timeframes,
    write_next_year,
)

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
    plan = read_one(
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
            findings = check_plan(plan)
            written["report"] = write_plan_report(
                plan, targets["report"], overwrite=o.force, findings=findings
            )
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
    return attempt(source, lambda: convert_one(source, options))


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
        raise NoUsablePlanError([], inputs.skipped, paths)
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
    made = prepare_out_dir(options.out_dir)
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
    if not any(isinstance(r, Converted) for r in results):
        remove_if_empty(made)  # nothing converted: no empty output folder left behind
    return results


# -- a batch for download (the web page) ---------------------------------------------


@dataclass(frozen=True)
class Batch:
    """Workbooks converted for download, each in a folder of its own, and (with two or
    more plans) the city's workbook and report."""

    results: list[Converted | Failure]  # one per input, in input order
    city: CityPlan | None = None
    city_files: Mapping[str, Path] = field(default_factory=dict)
    city_failure: Failure | None = None  # why there is no city workbook (duplicates)


@dataclass(frozen=True)
class RequestBudget:
    """What one batch of uploads may cost: the workbooks' unpacked size together (what
    reading costs in memory, about three times over) and the files written. The first
    workbook is always taken (its own limit is ``max_unpacked_bytes``); the next ones
    while the batch stays within the budget, the rest refused with the reason."""

    unpacked_bytes: int | None = None
    disk_bytes: int | None = None


def unpacked_cost(source: Path, max_unpacked_bytes: int) -> int:
    """What reading ``source`` will cost, by its declared unpacked size; nothing for a
    workbook over ``max_unpacked_bytes``, which the reader refuses before unpacking."""
    size = declared_size(source)
    return 0 if size > max_unpacked_bytes else size


def upload_cost(
    inputs: Sequence[Path | Failure], max_unpacked_bytes: int, budget: RequestBudget
) -> int:
    """What ``convert_uploads`` of ``inputs`` will unpack at most: the workbooks within
    the budget (and the first, whatever its size), for a server's gate on work at once."""
    sizes = [unpacked_cost(p, max_unpacked_bytes) for p in inputs if isinstance(p, Path)]
    if budget.unpacked_bytes is None:
        return sum(sizes)
    return min(sum(sizes), max([budget.unpacked_bytes, *sizes]))


def disk_used(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def convert_uploads(
    inputs: Sequence[Path | Failure],
    out_dir: Path,
    spec: Spec,
    *,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
    budget: RequestBudget = RequestBudget(),
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
    unpacked = 0
    for i, source in enumerate(inputs, start=1):
        if isinstance(source, Failure):
            results.append(source)
            continue
        size = unpacked_cost(source, max_unpacked_bytes)
        refusal = _over_budget(source, budget, unpacked + size, out_dir) if unpacked else None
        if refusal is not None:
            results.append(refusal)
            continue
        unpacked += size
        folder = out_dir / str(i)
        folder.mkdir(parents=True, exist_ok=True)
        options = ConvertOptions(
            folder, spec, data_xlsx=True, report=True, max_unpacked_bytes=max_unpacked_bytes
        )
        results.append(_convert_task((source, options)))
        if size >= RELEASE_AFTER_BYTES:  # the next workbook starts where this one did
            release_memory()
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
    # The city's files are about as large as its plans' together: made within budget.
    if budget.disk_bytes is not None and 2 * disk_used(out_dir) > budget.disk_bytes:
        limit = size_text(budget.disk_bytes)
        failure = Failure(Path(""), f"the city's files would pass {limit}", "city-disk")
        return Batch(results, city_failure=replace(failure, data={"limit": limit}))
    city_dir = out_dir / "stad"
    city_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "city": write_city(city, city_dir / default_city_name(city)),
        "city_report": write_city_report(city, city_dir / default_city_report_name(city)),
    }
    return Batch(results, city, files)


def _over_budget(
    source: Path, budget: RequestBudget, unpacked: int, out_dir: Path
) -> Failure | None:
    """Why ``source`` is not read in this batch, if the batch has spent its budget."""
    if budget.unpacked_bytes is not None and unpacked > budget.unpacked_bytes:
        limit = size_text(budget.unpacked_bytes)
        return Failure(
            source, f"the upload unpacks to more than {limit}", "request-budget", {"limit": limit}
        )
    if budget.disk_bytes is not None and disk_used(out_dir) > budget.disk_bytes:
        limit = size_text(budget.disk_bytes)
        return Failure(source, f"the upload's files pass {limit}", "request-disk", {"limit": limit})
    return None


def _named(plan: Plan) -> Plan:
    source = plan.meta.source
    return replace(plan, meta=replace(plan.meta, source=Path(source.name) if source else None))
