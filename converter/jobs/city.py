"""The jobs over many districts' plans: ``combine`` (the city's workbook) and ``report``
(one plan's report, or the city's)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..documents.pdf import INSTALL_HINT, find_browser, html_to_pdf
from ..documents.report import (
    default_city_report_name,
    default_report_name,
    write_city_report,
    write_plan_report,
)
from ..errors import OutputError
from ..output import check_target
from ..plan import Plan
from ..reading.inputs import Inputs, expand_inputs, read_plans
from ..rules.combine import CityPlan, combine_plans
from ..spec import Spec
from ..workbooks.city_writer import default_city_name, write_city
from .common import (
    Progress,
    read_one,
    settle_year,
)

# -- combine -------------------------------------------------------------------------


def combine_files(
    paths: Iterable[str | os.PathLike[str]],
    spec: Spec,
    *,
    default_year: int | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    on_files: Callable[[Inputs], None] | None = None,
    district_from_name: bool = False,
) -> CityPlan:
    """Read every workbook of ``paths`` (files and folders) and combine them.

    ``default_year`` is the year of workbooks that name none; ``district_from_name``
    takes each district from its file name first (renamed copies of one plan).
    ``on_files`` is told which files will be read before reading starts (for a
    progress bar).
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
        district_from_name=district_from_name,
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
    district_from_name: bool = False,
) -> Combined:
    """``combine``: every plan of ``paths`` in the city's workbook. A named ``output``
    that exists is refused before anything is read; with no usable plan at all,
    NoUsablePlanError names each failed file."""
    if output is not None:
        check_target(output, force)
    given = list(paths)  # named when nothing is found there
    city = combine_files(
        given,
        spec,
        default_year=default_year,
        workers=workers,
        progress=progress,
        on_files=on_files,
        district_from_name=district_from_name,
    ).require_plans(given)
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
    if template_dir is not None and not template_dir.is_dir():
        raise OutputError("template folder not found", template_dir, code="template-folder-missing")
    if len(paths) == 1 and not Path(paths[0]).is_dir():
        source = Path(paths[0])
        target = output or Path(default_report_name(spec, source))
        _check_report_targets(target, pdf, force)
        plan = read_one(source, spec, default_year=default_year)
        written = write_plan_report(plan, target, overwrite=force, template_dir=template_dir)
        return Reported(written, _pdf_of(written, pdf, force), plan=plan)
    given = list(paths)  # named when nothing is found there
    city = combine_files(
        given, spec, default_year=default_year, progress=progress, on_files=on_files
    ).require_plans(given)
    target = output or Path(default_city_report_name(city))
    _check_report_targets(target, pdf, force)
    written = write_city_report(city, target, overwrite=force, template_dir=template_dir)
    return Reported(written, _pdf_of(written, pdf, force), city=city)


def _check_report_targets(target: Path, pdf: bool, force: bool) -> None:
    """Refuse before any work: targets that exist, a PDF without a browser to print it."""
    check_target(target, force)
    if pdf:
        check_target(target.with_suffix(".pdf"), force)
        if find_browser() is None:
            raise OutputError(INSTALL_HINT, target.with_suffix(".pdf"), code="no-browser")


def _pdf_of(html: Path, pdf: bool, force: bool) -> Path | None:
    if not pdf:
        return None
    return html_to_pdf(html, html.with_suffix(".pdf"), overwrite=force)
