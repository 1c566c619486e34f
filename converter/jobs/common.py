"""What every job settles the same way: years and districts typed by a user, next
year's file name, reading one workbook, writing next year's, the output folder."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ..errors import InputError, OutputError
from ..limits import MAX_UNPACKED_BYTES
from ..plan import Plan
from ..reading.reader import read_plan
from ..rules.checks import Finding, check_plan
from ..rules.rollover import previous_follow_up_column
from ..spec import Spec
from ..workbooks.plan_writer import placed, write_plan

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


def unlisted_districts(names: Iterable[str], spec: Spec) -> list[str]:
    """The names typed that the spec's list of districts does not know (kept as typed,
    and worth a note: a typing error, or a district of another city)."""
    return [n.strip() for n in names if n.strip() and spec.naming.match(n) is None]


def next_year_name(source: Path, old: int | None, new: int) -> str:
    """Next year's file name: the year in the name moved on, else the year appended."""
    stem = source.stem
    if old is not None:
        moved, n = re.subn(rf"(?<!\d){old}(?!\d)", str(new), stem, count=1)
        if n:  # the year stands alone ("plan-2025"), not inside a number ("12025")
            return moved + ".xlsx"
    return f"{stem}-{new}.xlsx"


def review_timeframes(rolled: Plan) -> list[Finding]:
    """Timeframes of next year's plan that name another year, at their written cells."""
    return [f for f in check_plan(placed(rolled)) if f.code == "timeframe-year"]


def read_one(
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


def prepare_out_dir(out_dir: Path) -> list[Path]:
    """Make the output folder (and its parents); the folders made, so that a run that
    wrote nothing can remove them again (``remove_if_empty``)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("output folder is a file", out_dir, code="output-is-file")
    made = [p for p in (out_dir, *out_dir.parents) if not p.exists()]
    out_dir.mkdir(parents=True, exist_ok=True)
    return made


def remove_if_empty(made: Sequence[Path]) -> None:
    """Remove the folders a run made and left empty: nothing is left behind."""
    for folder in made:  # the deepest first
        try:
            folder.rmdir()
        except OSError:  # not empty (or not ours to remove): keep it
            return
