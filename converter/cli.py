"""The ``atgardsplan`` command line: a thin layer over the Python API.

Each command parses its arguments, calls the library and prints. Unusable input and
outputs that cannot be written end with one line ``error: FILE: reason`` on stderr and
exit code 2 (``--debug`` shows the traceback); ``check`` exits 1 when it finds errors.
"""

from __future__ import annotations

import functools
import re
import sys
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from .checks import check_plan, has_errors
from .errors import AtgardsplanError, InputError, OutputError
from .export import FORMATS, to_csv, to_json, write_export
from .output import check_target
from .plan import Plan
from .reader import read_plan
from .rollover import blank_plan, next_year, timeframes_to_review
from .spec import Spec, load_spec
from .summary import area_counts, totals
from .writer import default_summary_name, default_template_name, write_plan

EXIT_FINDINGS = 1
EXIT_UNUSABLE = 2
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)


def handle_errors(func: F) -> F:
    """Turn library errors into one line and exit code 2; --debug re-raises."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return func(*args, **kwargs)
        except AtgardsplanError as exc:
            if debug:
                traceback.print_exc()
            _fail(str(exc))
            sys.exit(EXIT_UNUSABLE)
        except click.exceptions.Exit:
            raise
        except (click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            _fail("interrupted")
            sys.exit(130)
        except Exception as exc:  # a file that broke something unforeseen
            if debug:
                traceback.print_exc()
            _fail(f"unexpected failure: {type(exc).__name__}: {exc} (rerun with --debug)")
            sys.exit(EXIT_UNUSABLE)

    return wrapper  # type: ignore[return-value]


spec_option = click.option(
    "--spec",
    "spec_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Template spec (TOML) of another municipality's workbook.",
)
year_option = click.option("--year", type=int, default=None, help="Override the plan's year.")
district_option = click.option("--district", default=None, help="Override the plan's district.")
force_option = click.option("--force", is_flag=True, help="Overwrite existing output files.")


def output_option(help: str) -> Callable[[F], F]:
    return click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help=help)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
@click.version_option(package_name="atgardsplan")
def cli(debug: bool) -> None:
    """Read, summarise and roll over Åtgärdsplan workbooks."""


def report_unread(plan: Plan) -> None:
    """Say which sheets were not carried over: nothing is dropped silently."""
    meta = plan.meta
    for tab in meta.unmatched_area_sheets:
        click.echo(
            f"warning: {meta.source}: sheet {tab!r} has the template's columns but "
            "matches no area; its rows were not read",
            err=True,
        )
    for tab in meta.unrecognised_sheets:
        click.echo(f"note: {meta.source}: sheet {tab!r} is not an area sheet; not read", err=True)
    for tab in meta.ignored_sheets:
        click.echo(f"note: {meta.source}: hidden or empty sheet {tab!r} ignored", err=True)


# -- read --------------------------------------------------------------------------


@cli.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format (default: from -o's extension, else csv).",
)
@output_option("Output file (default: standard output; xlsx needs a file).")
@click.option(
    "--raw-csv",
    is_flag=True,
    help="Write CSV cells exactly, without the formula-injection apostrophe.",
)
@spec_option
@year_option
@district_option
@force_option
@handle_errors
def read(
    workbook: Path,
    fmt: str | None,
    output: Path | None,
    raw_csv: bool,
    spec_path: Path | None,
    year: int | None,
    district: str | None,
    force: bool,
) -> None:
    """Print or save the normalised actions of WORKBOOK, one row per action."""
    if output is None:
        fmt = fmt or "csv"
        if fmt == "xlsx":
            raise click.UsageError("--format xlsx needs an output file (-o OUT.xlsx)")
        plan = read_plan(workbook, load_spec(spec_path), year=year, district=district)
        text = to_csv(plan, raw=raw_csv) if fmt == "csv" else to_json(plan)
        click.echo(text, nl=False)
        return
    fmt = fmt or output.suffix.lstrip(".").lower() or "csv"
    if fmt not in FORMATS:
        raise click.UsageError(f"cannot tell the format from {output.name!r}: use --format")
    check_target(output, force)
    plan = read_plan(workbook, load_spec(spec_path), year=year, district=district)
    write_export(plan, output, fmt, overwrite=force, raw_csv=raw_csv)
    click.echo(f"wrote {output} ({len(plan.actions)} actions)", err=True)


# -- check -------------------------------------------------------------------------


@cli.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@spec_option
@year_option
@district_option
@handle_errors
def check(workbook: Path, spec_path: Path | None, year: int | None, district: str | None) -> None:
    """Report findings in WORKBOOK; exit 1 when there is an error."""
    plan = read_plan(workbook, load_spec(spec_path), year=year, district=district)
    findings = check_plan(plan)
    for f in findings:
        click.echo(str(f))
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    click.echo(
        f"{workbook}: {len(plan.actions)} actions, {errors} errors, {warnings} warnings", err=True
    )
    if has_errors(findings):
        sys.exit(EXIT_FINDINGS)


# -- summary -----------------------------------------------------------------------


def _figures_table(plan: Plan) -> list[str]:
    spec = plan.spec
    counts = area_counts(plan)
    found = plan.meta.summary_found
    heads = [c.header for c in spec.summary.counts]
    width = max(len(t) for _, t in plan.areas)
    lines = [f"{spec.summary.area_header:<{width}}  " + "  ".join(heads)]
    for key, title in plan.areas:
        cells = []
        for cnt, head in zip(spec.summary.counts, heads, strict=True):
            n = counts[key][cnt.key]
            cell = str(n)
            old = found.rows.get(key, {}).get(cnt.key) if found else None
            if old is not None and old.value != n:
                cell += f" (was {old.text or 'empty'})"
            cells.append(f"{cell:>{len(head)}}")
        lines.append(f"{title:<{width}}  " + "  ".join(cells))
    total = totals(counts)
    lines.append(
        f"{spec.summary.total_label:<{width}}  "
        + "  ".join(
            f"{total[c.key]:>{len(h)}}" for c, h in zip(spec.summary.counts, heads, strict=True)
        )
    )
    return lines


@cli.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@output_option("Output workbook (default: <stem>-sammanstallning.xlsx next to the input).")
@spec_option
@year_option
@district_option
@force_option
@handle_errors
def summary(
    workbook: Path,
    output: Path | None,
    spec_path: Path | None,
    year: int | None,
    district: str | None,
    force: bool,
) -> None:
    """Rebuild WORKBOOK with a correct Sammanställning (live formulas and chart)."""
    output = output or workbook.with_name(default_summary_name(workbook))
    check_target(output, force)
    plan = read_plan(workbook, load_spec(spec_path), year=year, district=district)
    write_plan(plan, output, overwrite=force)
    report_unread(plan)
    for line in _figures_table(plan):
        click.echo(line)
    click.echo(f"wrote {output}", err=True)


# -- template ----------------------------------------------------------------------


@cli.command()
@click.option("--year", type=int, required=True, help="The plan's year.")
@click.option("--district", default=None, help="District (stadsdelsförvaltning).")
@click.option(
    "--own-area", default=None, help="Name of the district's own priority area (title and tab)."
)
@output_option("Output workbook (default: atgardsplan-YEAR[-district].xlsx).")
@spec_option
@force_option
@handle_errors
def template(
    year: int,
    district: str | None,
    own_area: str | None,
    output: Path | None,
    spec_path: Path | None,
    force: bool,
) -> None:
    """Write a blank Åtgärdsplan workbook for YEAR, ready to fill in."""
    spec = load_spec(spec_path)
    output = output or Path(default_template_name(spec, year, district))
    plan = blank_plan(year, district, spec, own_area=own_area)
    write_plan(plan, output, blank_rows=spec.blank_rows, overwrite=force)
    click.echo(f"wrote {output}")


# -- next-year ---------------------------------------------------------------------


def next_year_name(source: Path, old: int | None, new: int) -> str:
    stem = source.stem
    if old is not None and str(old) in stem:
        return re.sub(rf"(?<!\d){old}(?!\d)", str(new), stem, count=1) + ".xlsx"
    return f"{stem}-{new}.xlsx"


def _report_rollover(rolled: Plan) -> None:
    for note in rolled.meta.notes:
        click.echo(f"warning: {note}", err=True)
    review = timeframes_to_review(rolled)
    if review:
        click.echo(
            f"{len(review)} timeframes name another year than {rolled.meta.year}; review them:"
        )
        for area, text in review:
            click.echo(f"  {area}: {text}")


@cli.command("next-year")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "--year", type=int, default=None, help="The new plan's year (default: the old plan's year + 1)."
)
@output_option("Output workbook (default: next to the input, the year in its name moved on).")
@click.option(
    "--drop-follow-up", is_flag=True, help="Do not keep last year's follow-up in its own column."
)
@spec_option
@district_option
@force_option
@handle_errors
def next_year_command(
    workbook: Path,
    year: int | None,
    output: Path | None,
    drop_follow_up: bool,
    spec_path: Path | None,
    district: str | None,
    force: bool,
) -> None:
    """Roll WORKBOOK over to next year: actions kept, follow-up cleared."""
    plan = read_plan(workbook, load_spec(spec_path), district=district)
    rolled = next_year(plan, year, keep_follow_up=not drop_follow_up)
    new_year = rolled.meta.year or 0
    output = output or workbook.with_name(next_year_name(workbook, plan.meta.year, new_year))
    check_target(output, force)
    previous = None if drop_follow_up else rolled.extra_columns[0]
    write_plan(
        rolled,
        output,
        blank_rows=plan.spec.next_year_blank_rows,
        overwrite=force,
        previous_follow_up=previous,
    )
    report_unread(plan)
    _report_rollover(rolled)
    click.echo(f"wrote {output} ({len(rolled.actions)} actions, year {rolled.meta.year})")


# -- convert -----------------------------------------------------------------------


def expand_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders as the workbooks directly inside them (no lock files)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(
                sorted(
                    f
                    for f in p.iterdir()
                    if f.suffix.lower() in WORKBOOK_SUFFIXES
                    and not f.name.startswith(("~$", "."))
                    and f.is_file()
                )
            )
        else:
            out.append(p)
    return out


def convert_one(
    source: Path,
    out_dir: Path,
    spec: Spec,
    *,
    force: bool,
    raw_csv: bool,
    year: int | None = None,
    district: str | None = None,
) -> tuple[list[Path], Plan, Plan]:
    """The main job for one workbook: the files written, the plan read, next year's plan."""
    plan = read_plan(source, spec, year=year, district=district)
    stem = source.stem
    rolled = next_year(plan)
    new_year = rolled.meta.year or 0
    targets = {
        "csv": out_dir / f"{stem}.csv",
        "json": out_dir / f"{stem}.json",
        "summary": out_dir / default_summary_name(source),
        "next": out_dir / next_year_name(source, plan.meta.year, new_year),
        "template": out_dir
        / default_template_name(spec, new_year, plan.meta.district).replace(".xlsx", "-mall.xlsx"),
    }
    for t in targets.values():  # all or nothing: refuse before writing anything
        check_target(t, force)
    written: list[Path] = []
    try:
        written.append(write_export(plan, targets["csv"], "csv", overwrite=force, raw_csv=raw_csv))
        written.append(write_export(plan, targets["json"], "json", overwrite=force))
        written.append(write_plan(plan, targets["summary"], overwrite=force))
        written.append(
            write_plan(
                rolled,
                targets["next"],
                blank_rows=spec.next_year_blank_rows,
                overwrite=force,
                previous_follow_up=rolled.extra_columns[0],
            )
        )
        own = plan.meta.title_of(spec.own_area.key) if spec.own_area else None
        own = own if spec.own_area and own != spec.own_area.title else None
        blank = blank_plan(new_year, plan.meta.district, spec, own_area=own)
        written.append(
            write_plan(blank, targets["template"], blank_rows=spec.blank_rows, overwrite=force)
        )
    except BaseException:
        if not force:  # nothing half-done: remove what this run wrote
            for p in written:
                p.unlink(missing_ok=True)
        raise
    return written, plan, rolled


@cli.command()
@click.argument("workbooks", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("atgardsplan-out"),
    show_default=True,
    help="Output folder.",
)
@click.option("--raw-csv", is_flag=True, help="CSV without the formula-injection apostrophe.")
@spec_option
@year_option
@district_option
@force_option
@handle_errors
def convert(
    workbooks: tuple[Path, ...],
    out_dir: Path,
    raw_csv: bool,
    spec_path: Path | None,
    year: int | None,
    district: str | None,
    force: bool,
) -> None:
    """The main job: data, rebuilt summary, next year's plan and blank template.

    WORKBOOKS are files or folders of workbooks. Every good workbook is converted and
    every bad one reported; the exit code is 2 when any failed.
    """
    spec = load_spec(spec_path)
    inputs = expand_inputs(workbooks)
    if not inputs:
        raise InputError("no workbooks found", workbooks[0])
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("output folder is a file", out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    debug = click.get_current_context().find_root().params.get("debug", False)
    failed = 0
    for source in inputs:
        try:
            written, plan, rolled = convert_one(
                source, out_dir, spec, force=force, raw_csv=raw_csv, year=year, district=district
            )
        except AtgardsplanError as exc:
            failed += 1
            if debug:
                traceback.print_exc()
            _fail(str(exc))
            continue
        except Exception as exc:
            failed += 1
            if debug:
                traceback.print_exc()
            _fail(f"{source}: unexpected failure: {type(exc).__name__}: {exc}")
            continue
        click.echo(f"{source}:")
        for p in written:
            click.echo(f"  wrote {p}")
        report_unread(plan)
        _report_rollover(rolled)
    if len(inputs) > 1:
        click.echo(f"{len(inputs) - failed} converted, {failed} failed", err=True)
    if failed:
        sys.exit(EXIT_UNUSABLE)


def main() -> None:
    cli(prog_name="atgardsplan")


if __name__ == "__main__":
    main()
