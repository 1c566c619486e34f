"""``template``: blank workbooks for a year, one per district."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

from ..errors import Failure, InputError, attempt
from ..rules.rollover import blank_plan
from ..spec import Spec
from ..workbooks.plan_writer import default_template_name, write_plan
from .common import (
    prepare_out_dir,
    settle_districts,
    settle_year,
)

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

    def write_one(district: str | None, target: Path) -> Path:
        plan = blank_plan(year, district, spec, own_area=own_area)
        return write_plan(plan, target, blank_rows=spec.blank_rows, overwrite=force)

    results: list[Path | Failure] = []
    for district in districts:  # reported per district; the rest go on
        target = output or out_dir / default_template_name(spec, year, district)
        results.append(attempt(target, functools.partial(write_one, district, target)))
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
