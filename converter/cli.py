"""The ``atgardsplan`` command line: a thin layer over the jobs.

Each command parses its arguments, calls one job of ``converter.jobs`` and prints what
it returned; nothing here reads or writes a workbook. Unusable input and outputs that
cannot be written end with one line ``error: FILE: reason`` on stderr and exit code 2
(``--debug`` shows the traceback); ``check`` exits 1 when it finds errors. A batch ends
with its summary and the failed files, last, where a person looks.

The library is imported inside the commands: ``--help`` and argument errors answer
without loading pandas.
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import click

from .errors import AtgardsplanError
from .language import LANGUAGES, _, chosen, current, install, translated
from .web.settings import MiB, WebSettings

if TYPE_CHECKING:
    from .jobs import Finding, Plan

EXIT_FINDINGS = 1
EXIT_UNUSABLE = 2
EXPORT_FORMATS = ("csv", "json", "xlsx")  # the data exports (jobs.FORMATS), without pandas
#: Places listed per finding, and findings per list, unless --verbose.
PLACES_SHOWN = 10
GROUPS_SHOWN = 10
#: A review text is cut to this many characters in a list.
TEXT_SHOWN = 60

F = TypeVar("F", bound=Callable[..., Any])
P = ParamSpec("P")
R = TypeVar("R")


def _fail(message: str) -> None:
    click.echo(_("error: {message}", message=message), err=True)


def swedish() -> bool:
    return current() == "sv"


def _words() -> Any:
    """The spec's Swedish words for codes (errors, findings), loaded when first needed."""
    from .jobs import load_spec

    return load_spec()


def said(problem: Any) -> str:
    """An error, a failed file or a skipped one as "FILE: reason", in the language of
    the command line: the English message, or the spec's Swedish wording of its code
    (the same words as the page and the reports)."""
    path = getattr(problem, "path", None)
    if not swedish():
        return str(problem)
    code = getattr(problem, "code", "")
    reason = _words().error_text(code, getattr(problem, "data", None) or {})
    return f"{path}: {reason}" if path not in (None, Path("")) else reason


def skipped_line(s: Any) -> str:
    reason = _words().error_text(s.code) if swedish() else s.reason
    return _("note: {path}: skipped: {reason}", path=s.path, reason=reason)


def note_text(note: str) -> str:
    """A reader's or the rollover's note (``plan.Note``) in the current language."""
    template = getattr(note, "template", None)
    return _(template, **note.values) if template else note  # type: ignore[attr-defined]


def _root_param(name: str) -> Any:
    ctx = click.get_current_context(silent=True)
    return ctx.find_root().params.get(name, False) if ctx else False


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn library errors into one line and exit code 2; --debug re-raises."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        debug = _root_param("debug")
        try:
            return func(*args, **kwargs)
        except AtgardsplanError as exc:
            if debug:
                traceback.print_exc()
            _fail(said(exc))
            sys.exit(EXIT_UNUSABLE)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            _fail(_("interrupted"))
            sys.exit(130)
        except Exception as exc:  # a file that broke something unforeseen
            if debug:
                traceback.print_exc()
            _fail(
                _(
                    "unexpected failure: {kind}: {exc} (rerun with --debug)",
                    kind=type(exc).__name__,
                    exc=exc,
                )
            )
            sys.exit(EXIT_UNUSABLE)

    return wrapper


# -- options shared by the commands -------------------------------------------------------

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


def text_or_json_option(help: str, **extra: Any) -> Callable[[F], F]:
    """--format text|json: what a command prints, for people or for other tools."""
    return click.option(
        "--format", "fmt", type=click.Choice(["text", "json"]), default="text", help=help, **extra
    )


def output_option(help: str) -> Callable[[F], F]:
    return click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help=help)


def verbosity_options(func: F) -> F:
    """-q/--quiet (errors only) and -v/--verbose (every list in full)."""
    func = click.option(
        "-v", "--verbose", is_flag=True, help="List every place in full (no '… and N more')."
    )(func)
    func = click.option("-q", "--quiet", is_flag=True, help="Print only errors.")(func)
    return func


class Out:
    """What a command prints, by level: errors always; the rest unless --quiet."""

    def __init__(self, quiet: bool = False, verbose: bool = False) -> None:
        self.quiet = quiet
        self.verbose = verbose

    def info(self, line: str, err: bool = False) -> None:
        if not self.quiet:
            click.echo(line, err=err)

    def error(self, line: str) -> None:
        click.echo(line, err=True)

    @property
    def places(self) -> int | None:
        return None if self.verbose else PLACES_SHOWN

    @property
    def groups(self) -> int | None:
        return None if self.verbose else GROUPS_SHOWN


class ProgressBar:
    """A progress bar on stderr once the length is known; nothing when stderr is piped."""

    def __init__(self, label: str, out: Out) -> None:
        self.label = translated(label)
        self.out = out
        self._bar: Any = None

    def start(self, length: int) -> None:
        if length >= 2 and not self.out.quiet and sys.stderr.isatty():
            self._bar = click.progressbar(length=length, label=self.label, file=sys.stderr)
            self._bar.__enter__()

    def __call__(self, _path: Path) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


def end_batch(
    out: Out, total: int, verb: str, failures: Sequence[object], *, summary: bool = False
) -> None:
    """End a run over ``total`` inputs: for a batch (or with ``summary``) '10 converted,
    2 failed' and then each failed input with its reason, last, where a person looks;
    exit 2 when any failed."""
    if total > 1 or summary:
        out.info(
            _(
                "{done} {verb}, {failed} failed",
                done=total - len(failures),
                verb=translated(verb),
                failed=len(failures),
            ),
            err=True,
        )
    for failure in failures:
        out.error(_("error: {message}", message=said(failure)))
    if failures:
        sys.exit(EXIT_UNUSABLE)


class Cli(click.Group):
    """The command group, in the language asked for: ``--lang`` among its arguments,
    else ``ATGARDSPLAN_LANG``, else the locale (``converter.language``). The language
    is settled before click parses anything, so --help and click's own errors speak
    it too."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        speak(self, chosen(list(sys.argv[1:] if args is None else args)))
        return super().main(args, *rest, **kwargs)


def speak(group: click.Group, lang: str) -> None:
    """Every line from now on in ``lang``: ours, click's, and every help text."""
    install(lang)
    for command in [group, *group.commands.values()]:
        _say_in(command, "help", lang)
        _say_in(command, "short_help", lang)
        _say_in(command, "options_metavar", lang)  # "[OPTIONS]" in the usage line
        if getattr(command, "_help_option", None) is not None:
            command._help_option = None  # click keeps its --help option, worded once
        if isinstance(command, click.Group):
            _say_in(command, "subcommand_metavar", lang)
        for param in command.params:
            if isinstance(param, click.Option):
                _say_in(param, "help", lang)


def _say_in(thing: Any, attr: str, lang: str) -> None:
    english = thing.__dict__.setdefault(f"_{attr}_en", getattr(thing, attr))
    if english:
        setattr(thing, attr, translated(english, lang))


@click.group(cls=Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
@click.option(
    "--max-read-mb",
    type=click.FloatRange(1),
    default=None,
    help="Memory one workbook may take to read (default 768; ATGARDSPLAN_READ_MB).",
)
@click.option(
    "--max-read-seconds",
    type=click.FloatRange(0.1),
    default=None,
    help="Time one workbook may take to read (default 30; ATGARDSPLAN_READ_SECONDS).",
)
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    expose_value=False,
    help="Language of the messages (default: the locale; ATGARDSPLAN_LANG).",
)
@click.version_option(package_name="atgardsplan")
def cli(debug: bool, max_read_mb: float | None, max_read_seconds: float | None) -> None:
    """Read, summarise, combine and roll over Åtgärdsplan workbooks."""
    # The reader takes its limits from these settings, in this process and in the
    # worker processes of a batch alike.
    if max_read_mb is not None:
        os.environ["ATGARDSPLAN_READ_MB"] = f"{max_read_mb:g}"
    if max_read_seconds is not None:
        os.environ["ATGARDSPLAN_READ_SECONDS"] = f"{max_read_seconds:g}"


def report_unread(plan: Plan, out: Out) -> None:
    """Say which sheets were not carried over: nothing is dropped silently."""
    meta = plan.meta
    for tab in meta.unmatched_area_sheets:
        out.info(
            _(
                "warning: {source}: sheet {tab!r} has the template's columns but matches "
                "no area; its rows were not read",
                source=meta.source,
                tab=tab,
            ),
            err=True,
        )
    for tab in meta.unrecognised_sheets:
        out.info(
            _(
                "note: {source}: sheet {tab!r} is not an area sheet; not read",
                source=meta.source,
                tab=tab,
            ),
            err=True,
        )
    for tab in meta.ignored_sheets:
        out.info(
            _("note: {source}: hidden or empty sheet {tab!r} ignored", source=meta.source, tab=tab),
            err=True,
        )
    for note in meta.notes:
        out.info(_("note: {source}: {note}", source=meta.source, note=note_text(note)), err=True)


def report_rollover_notes(plan: Plan, rolled: Plan, out: Out) -> None:
    """What rolling over had to assume (an unknown year), as warnings."""
    for note in rolled.meta.notes[len(plan.meta.notes) :]:
        out.info(
            _("warning: {source}: {note}", source=plan.meta.source, note=note_text(note)),
            err=True,
        )


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_SHOWN else text[: TEXT_SHOWN - 1].rstrip() + "…"


def report_review(review: list[Finding], year: int | None, where: Path, out: Out) -> None:
    """The timeframes to look at in next year's workbook, grouped by text, with cells."""
    if not review:
        return
    groups: dict[str, list[str]] = {}
    for f in review:
        groups.setdefault(str(f.data.get("text", f.message)), []).append(f.place)
    out.info(
        _(
            "{n:,} timeframes in {where} name another year than {year}; review them:",
            n=len(review),
            where=where,
            year=year,
        )
    )
    shown = list(groups.items()) if out.groups is None else list(groups.items())[: out.groups]

    for text, places in shown:
        n = len(places)
        out.info(
            _(
                '  "{text}" in 1 action: {places}'
                if n == 1
                else '  "{text}" in {n:,} actions: {places}',
                text=_shorten(text),
                n=n,
                places=places_text(places, out),
            )
        )
    rest = len(groups) - len(shown)
    if rest > 0:
        out.info(
            _(
                "  … and {rest:,} more texts (--verbose lists them all, as does "
                "'atgardsplan check {where}')",
                rest=rest,
                where=where,
            )
        )


# -- read --------------------------------------------------------------------------


@cli.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default=None,
    help="Output format (default: from -o's extension, else csv).",
)
@output_option("Output file (default: standard output; xlsx needs a file).")
@click.option(
    "--raw-csv",
    is_flag=True,
    help="Write CSV cells exactly, without the formula-injection apostrophe.",
)
@click.option(
    "--excel",
    is_flag=True,
    help="CSV for a Swedish Excel: semicolons, Swedish headers, UTF-8 with BOM.",
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
    excel: bool,
    spec_path: Path | None,
    year: int | None,
    district: str | None,
    force: bool,
) -> None:
    """Print or save the normalised actions of WORKBOOK, one row per action."""
    from .jobs import export_file, export_format, load_spec

    chosen = export_format(output, fmt)
    if chosen is None:
        name = output.name if output else ""
        raise click.UsageError(_("cannot tell the format from {name!r}: use --format", name=name))
    if output is None and chosen == "xlsx":
        raise click.UsageError(_("--format xlsx needs an output file (-o OUT.xlsx)"))
    done = export_file(
        workbook,
        load_spec(spec_path),
        chosen,
        output=output,
        year=year,
        district=district,
        raw_csv=raw_csv,
        excel=excel,
        force=force,
    )
    if done.text is not None:
        click.echo(done.text, nl=False)
    else:
        click.echo(
            _("wrote {path} ({n:,} actions)", path=done.path, n=len(done.plan.actions)), err=True
        )


# -- check -------------------------------------------------------------------------


@cli.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "--quality",
    is_flag=True,
    help="Also judge the plan by Brå's method: measurable goals, causes, open-ended times.",
)
@text_or_json_option("What to print: a line per finding (default) or JSON for other tools.")
@spec_option
@year_option
@district_option
@verbosity_options
@handle_errors
def check(
    workbook: Path,
    quality: bool,
    fmt: str,
    spec_path: Path | None,
    year: int | None,
    district: str | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Report every finding in WORKBOOK with its cell; exit 1 when there is an error.

    With --quality the plan is also judged by Brå's method (goals without a measure or
    on a vague verb, problems without a cause, open-ended times, repeated goals, no
    follow-up after the plan's year): warnings and information, never an error.
    """
    from .jobs import check_file, findings_json, load_spec

    out = Out(quiet, verbose)
    done = check_file(workbook, load_spec(spec_path), year=year, district=district, quality=quality)
    if fmt == "json":
        click.echo(findings_json(done.shown(errors_only=quiet)), nl=False)
    else:
        for line in finding_lines(done.shown(errors_only=quiet), out):
            click.echo(line)
    click.echo(
        _(
            "{workbook}: {actions:,} actions, {errors} errors, {warnings} warnings",
            workbook=workbook,
            actions=len(done.plan.actions),
            errors=done.errors,
            warnings=done.warnings,
        ),
        err=True,
    )
    if done.errors:
        sys.exit(EXIT_FINDINGS)


def finding_lines(findings: Sequence[Finding], out: Out) -> list[str]:
    """A line per finding; the quality findings grouped by message with their places
    (capped unless --verbose), at most ``out.groups`` lines per code: a plan of 18,000
    actions gives a screenful, not 18,000 lines."""
    from .jobs import QUALITY_CODES

    entries: list[Finding | tuple[str, str]] = []  # a finding, or a group's (code, message)
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.code not in QUALITY_CODES:
            entries.append(f)
            continue
        key = (f.code, finding_message(f))
        if key not in groups:
            groups[key] = []
            entries.append(key)
        groups[key].append(f)
    lines: list[str] = []
    per_code: dict[str, int] = {}
    for entry in entries:
        if not isinstance(entry, tuple):
            place = f"{entry.place}  " if entry.place else ""
            lines.append(f"{severity_word(entry.severity):<7} {place}{finding_message(entry)}")
            continue
        code = entry[0]
        per_code[code] = per_code.get(code, 0) + 1
        if out.groups is not None and per_code[code] > out.groups:
            continue
        members = groups[entry]
        places: list[str] = []
        for f in members:
            cells = f.data.get("cells")
            places.extend(cells if isinstance(cells, list) else [f.place])
        severity = severity_word(members[0].severity)
        lines.append(f"{severity:<7} {places_text(places, out)}  {entry[1]}")
    for code, n in per_code.items():
        if out.groups is not None and n > out.groups:
            lines.append(
                _(
                    "… and {n:,} more {code} lines (--verbose lists them all)",
                    n=n - out.groups,
                    code=code,
                )
            )
    return lines


def places_text(places: Sequence[str], out: Out) -> str:
    """Cells, the sheet named once per run, capped unless --verbose."""
    from .jobs import compact_places

    return compact_places(list(places), out.places, _("… and {n:,} more"))


def severity_word(severity: str) -> str:
    """error, warning, info, in the command line's language."""
    return translated(severity)


def finding_message(f: Finding) -> str:
    """A finding's message: English, or the spec's Swedish (the report's words)."""
    if not swedish():
        return f.message
    from .jobs import finding_text

    return finding_text(_words(), f)


# -- summary -----------------------------------------------------------------------


def _figures_table(headers: Sequence[str], rows: Sequence[Any]) -> list[str]:
    """The summary's figures as a text table; a stale figure of the workbook's own
    summary shown beside the true one: "3 (was 1)"."""
    width = max(len(r.label) for r in rows)
    lines = [f"{headers[0]:<{width}}  " + "  ".join(headers[1:])]
    for r in rows:
        cells = []
        for n, was, head in zip(r.figures, r.was, headers[1:], strict=True):
            cell = str(n) if was is None else _("{n} (was {was})", n=n, was=was or _("empty"))
            cells.append(f"{cell:>{len(head)}}")
        lines.append(f"{r.label:<{width}}  " + "  ".join(cells))
    return lines


@cli.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@output_option("Output workbook (default: <stem>-sammanstallning.xlsx next to the input).")
@spec_option
@year_option
@district_option
@force_option
@verbosity_options
@handle_errors
def summary(
    workbook: Path,
    output: Path | None,
    spec_path: Path | None,
    year: int | None,
    district: str | None,
    force: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Rebuild WORKBOOK with a correct Sammanställning (live formulas and chart)."""
    from .jobs import load_spec, summarise_file

    out = Out(quiet, verbose)
    done = summarise_file(
        workbook, load_spec(spec_path), output=output, year=year, district=district, force=force
    )
    report_unread(done.plan, out)
    for line in _figures_table(done.headers, done.rows):
        out.info(line)
    out.info(_("wrote {path}", path=done.output), err=True)


# -- template ----------------------------------------------------------------------


@cli.command()
@click.option("--year", type=int, required=True, help="The plan's year.")
@click.option(
    "--district",
    "districts",
    multiple=True,
    help="District (stadsdelsförvaltning); repeat for one workbook per district.",
)
@click.option(
    "--all-districts", is_flag=True, help="One workbook for each district the spec lists."
)
@click.option(
    "--own-area", default=None, help="Name of the district's own priority area (title and tab)."
)
@output_option("Output workbook, for one district (default: atgardsplan-YEAR[-district].xlsx).")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Folder for the workbooks (default: the current folder).",
)
@spec_option
@force_option
@verbosity_options
@handle_errors
def template(
    year: int,
    districts: tuple[str, ...],
    all_districts: bool,
    own_area: str | None,
    output: Path | None,
    out_dir: Path,
    spec_path: Path | None,
    force: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Write blank Åtgärdsplan workbooks for YEAR, ready to fill in and send out."""
    from .jobs import Failure, load_spec, template_files, unlisted_districts

    out = Out(quiet, verbose)
    spec = load_spec(spec_path)
    for name in unlisted_districts(districts, spec):
        out.info(
            _('note: "{name}" is not one of the spec\'s districts; written as typed', name=name),
            err=True,
        )
    results = template_files(
        year,
        districts,
        spec,
        all_districts=all_districts,
        own_area=own_area,
        out_dir=out_dir,
        output=output,
        force=force,
    )
    for r in results:
        if not isinstance(r, Failure):
            out.info(_("wrote {path}", path=r))
    end_batch(out, len(results), "written", [r for r in results if isinstance(r, Failure)])


# -- next-year ---------------------------------------------------------------------


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
@verbosity_options
@handle_errors
def next_year_command(
    workbook: Path,
    year: int | None,
    output: Path | None,
    drop_follow_up: bool,
    spec_path: Path | None,
    district: str | None,
    force: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Roll WORKBOOK over to next year: actions kept, follow-up cleared."""
    from .jobs import load_spec, roll_over_file

    out = Out(quiet, verbose)
    done = roll_over_file(
        workbook,
        load_spec(spec_path),
        year=year,
        output=output,
        keep_follow_up=not drop_follow_up,
        district=district,
        force=force,
    )
    report_unread(done.plan, out)
    report_rollover_notes(done.plan, done.rolled, out)
    report_review(done.review, done.rolled.meta.year, done.output, out)
    out.info(
        _(
            "wrote {path} ({n:,} actions, year {year})",
            path=done.output,
            n=len(done.rolled.actions),
            year=done.rolled.meta.year,
        )
    )


# -- convert -----------------------------------------------------------------------


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
@click.option(
    "--excel/--data-csv",
    default=True,
    show_default=True,
    help="CSV for a Swedish Excel (semicolons, Swedish headers), or for programs.",
)
@spec_option
@year_option
@district_option
@force_option
@verbosity_options
@handle_errors
def convert(
    workbooks: tuple[Path, ...],
    out_dir: Path,
    raw_csv: bool,
    excel: bool,
    spec_path: Path | None,
    year: int | None,
    district: str | None,
    force: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """The main job: data, rebuilt summary, next year's plan and blank template.

    WORKBOOKS are files or folders of workbooks. Every good workbook is converted and
    every bad one reported at the end; the exit code is 2 when any failed.
    """
    from .jobs import ConvertOptions, convert_files, load_spec

    out = Out(quiet, verbose)
    options = ConvertOptions(
        out_dir,
        load_spec(spec_path),
        force=force,
        raw_csv=raw_csv,
        year=year,
        district=district,
        excel_csv=excel,
    )
    with ProgressBar("Converting", out) as bar:
        run = convert_files(
            workbooks, options, progress=bar, on_files=lambda i: bar.start(len(i.files))
        )
    for s in run.skipped:
        out.info(skipped_line(s), err=True)
    for r in run.converted:
        out.info(f"{r.source}:")
        for p in r.written:
            out.info(_("  wrote {path}", path=p))
        report_unread(r.plan, out)
        report_rollover_notes(r.plan, r.rolled, out)
        report_review(r.review, r.rolled.meta.year, r.next_year_file, out)
    end_batch(out, len(run.results), "converted", run.failures)


# -- combine -----------------------------------------------------------------------


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_option("Output workbook (default: atgardsplan-YEAR-alla-stadsdelar.xlsx here).")
@click.option(
    "--year",
    type=int,
    default=None,
    help="The year of workbooks that name none (a workbook's own year wins).",
)
@click.option(
    "--district-from",
    type=click.Choice(["workbook", "name"]),
    default="workbook",
    show_default=True,
    help="Where a plan's district is read first: the workbook (its properties, then "
    "a title, then the file name), or its file name (for renamed copies of one plan).",
)
@spec_option
@force_option
@verbosity_options
@handle_errors
def combine(
    inputs: tuple[Path, ...],
    output: Path | None,
    year: int | None,
    district_from: str,
    spec_path: Path | None,
    force: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Combine every district's plan into one workbook for the whole city.

    INPUTS are workbooks and folders of workbooks. The workbook has the city's
    Sammanställning (per area, and per district and area, with charts), every action
    in one filterable table, and a sheet saying what became of each file. Unusable
    files are reported and the rest combined (exit 2); two workbooks of one district
    and year stop the run with no output.
    """
    from .jobs import combine_to_workbook, load_spec

    out = Out(quiet, verbose)
    with ProgressBar("Reading", out) as bar, failures_first():
        done = combine_to_workbook(
            inputs,
            load_spec(spec_path),
            output=output,
            default_year=year,
            force=force,
            progress=bar,
            on_files=lambda i: bar.start(len(i.files)),
            district_from_name=district_from == "name",
        )
    city = done.city
    for f in city.skipped:
        out.info(skipped_line(f), err=True)
    if year is not None and not any(p.meta.year_from == "default" for p in city.plans):
        named = ", ".join(map(str, city.years))
        out.info(
            _(
                "note: --year {year} was not used: each workbook names its year ({named})",
                year=year,
                named=named,
            ),
            err=True,
        )
    for plan in city.plans:
        report_unread(plan, out)
    years = ", ".join(map(str, city.years))
    out.info(
        _(
            "wrote {path}: {plans} plans, {actions:,} actions ({years})",
            path=done.output,
            plans=len(city.plans),
            actions=len(city.actions),
            years=years,
        )
    )
    end_batch(out, len(city.plans) + len(city.failures), "combined", city.failures, summary=True)


# -- follow-up ---------------------------------------------------------------------


@cli.command("follow-up")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@text_or_json_option("What to print: a text list (default) or JSON for other tools.")
@output_option("Also write the list as a workbook, one sheet per district (.xlsx).")
@click.option("--year", type=int, default=None, help="The year of workbooks that name none.")
@spec_option
@force_option
@verbosity_options
@handle_errors
def follow_up(
    inputs: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    year: int | None,
    spec_path: Path | None,
    force: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """What was done: per district and area, the actions, how many were followed up
    and their statuses; then every action without follow-up text or status.

    INPUTS are workbooks and folders of workbooks. An action is followed up when its
    Uppföljning is not empty. With -o the list is also written as a workbook with one
    sheet per district, to mail to each district.
    """
    from .jobs import follow_up_files, follow_up_json, load_spec

    out = Out(quiet, verbose)
    with ProgressBar("Reading", out) as bar, failures_first():
        done = follow_up_files(
            inputs,
            load_spec(spec_path),
            output=output,
            default_year=year,
            force=force,
            progress=bar,
            on_files=lambda i: bar.start(len(i.files)),
        )
    if fmt == "json":
        click.echo(follow_up_json(done), nl=False)
    else:
        for f in done.plans:
            for line in follow_up_lines(f, out):
                out.info(line)
    if done.output is not None:
        out.info(_("wrote {path}", path=done.output), err=True)
    end_batch(out, len(done.plans) + len(done.failures), "read", done.failures)


#: How the follow-up list names what an action lacks.
LACKS_TEXT = {
    ("follow_up",): "no follow-up",
    ("status",): "no status",
    ("follow_up", "status"): "no follow-up and no status",
}


def follow_up_lines(f: Any, out: Out) -> list[str]:
    """One plan's follow-up as text: the figures per area, then the actions lacking
    follow-up or status, grouped by what they lack, places capped unless --verbose."""

    meta = f.plan.meta
    total = f.total
    source = f" ({meta.source.name})" if meta.source else ""
    lines = [
        _(
            "{district} {year}{source}: {done} of {actions} actions followed up ({share} %)",
            district=meta.district,
            year=meta.year,
            source=source,
            done=total.followed_up,
            actions=total.actions,
            share=round(100 * total.share),
        )
    ]
    labels = [translated("actions"), translated("followed up"), *total.status]
    rows = [(meta.title_of(k), c) for k, c in f.areas.items()] + [(translated("Total"), total)]
    width = max(len(t) for t, _c in rows)
    lines.append(f"  {translated('area'):<{width}}  " + "  ".join(labels))
    for title, c in rows:
        figures = [c.actions, c.followed_up, *c.status.values()]
        cells = "  ".join(f"{n:>{len(label)}}" for n, label in zip(figures, labels, strict=True))
        lines.append(f"  {title:<{width}}  {cells}")
    groups: dict[tuple[str, ...], list[str]] = {}
    for m in f.missing:
        groups.setdefault(m.lacks, []).append(m.cell)
    if f.missing:
        lines.append(_("  {n:,} actions lack follow-up or status:", n=len(f.missing)))
    for lacks, places in groups.items():
        n = len(places)
        lacking = translated(LACKS_TEXT[lacks]) if lacks in LACKS_TEXT else ", ".join(lacks)
        lines.append(f"    {lacking} ({n:,}): {places_text(places, out)}")
    return lines


@contextmanager
def failures_first() -> Iterator[None]:
    """When no input was usable, name each failed file before the final error line."""
    from .errors import NoUsablePlanError

    try:
        yield
    except NoUsablePlanError as exc:
        for f in exc.failures:
            click.echo(_("error: {message}", message=said(f)), err=True)
        raise


# -- report ------------------------------------------------------------------------


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_option("Output page (default: <stem>-rapport.html, or the city's name, here).")
@click.option("--pdf", is_flag=True, help="Also print the page to PDF (needs Chromium).")
@click.option(
    "--templates",
    "--template",
    "template_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of your own report templates (a file there replaces the bundled one).",
)
@click.option("--year", type=int, default=None, help="The year of workbooks that name none.")
@spec_option
@force_option
@verbosity_options
@handle_errors
def report(
    inputs: tuple[Path, ...],
    output: Path | None,
    pdf: bool,
    template_dir: Path | None,
    year: int | None,
    spec_path: Path | None,
    force: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """A report to read and print: one HTML page (and with --pdf a PDF).

    One workbook gives its plan's report; several, or a folder, the city's: its
    figures, then every district's plan (unusable files are listed in the report and
    here, exit 2).
    """
    from .jobs import load_spec, report_files

    out = Out(quiet, verbose)
    spec = load_spec(spec_path)
    with ProgressBar("Reading", out) as bar, failures_first():
        done = report_files(
            list(inputs),
            spec,
            output=output,
            template_dir=template_dir,
            pdf=pdf,
            force=force,
            default_year=year,
            progress=bar,
            on_files=lambda i: bar.start(len(i.files)),
        )
    written = [done.html] + ([done.pdf] if done.pdf else [])
    for path in written:
        out.info(_("wrote {path}", path=path))
    if done.city is not None:
        for f in done.city.skipped:
            out.info(skipped_line(f), err=True)
        city = done.city
        end_batch(
            out, len(city.plans) + len(city.failures), "reported", city.failures, summary=True
        )


# -- diff --------------------------------------------------------------------------

#: Actions listed by `diff` on a terminal unless --verbose.
DIFF_SHOWN = 50


@cli.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@text_or_json_option("What to print when no -o is given.", show_default=True)
@output_option("Write the diff to OUT.xlsx, OUT.json or OUT.html instead.")
@click.option(
    "--follow-up", is_flag=True, help="Compare the follow-up (Uppföljning) and the status too."
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 100),
    default=60.0,
    show_default=True,
    help="Similarity (0-100) under which two actions are 'removed' plus 'added'.",
)
@spec_option
@force_option
@verbosity_options
@handle_errors
def diff(
    old: Path,
    new: Path,
    fmt: str,
    output: Path | None,
    follow_up: bool,
    threshold: float,
    spec_path: Path | None,
    force: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """What changed from OLD to NEW, action by action: unchanged, changed, moved, added,
    removed. Exit 0 when both hold the same actions, 1 when they differ, 2 on trouble."""
    from .jobs import DIFF_SUFFIXES, diff_files, load_spec

    out = Out(quiet, verbose)
    if output is not None and output.suffix.lower() not in DIFF_SUFFIXES:
        raise click.UsageError(
            _("cannot tell the format from {name!r}: use .xlsx, .json or .html", name=output.name)
        )
    done = diff_files(
        old,
        new,
        load_spec(spec_path),
        follow_up=follow_up,
        threshold=threshold,
        output=output,
        force=force,
    )
    if done.output is not None:
        summary = ", ".join(f"{n} {translated(status)}" for status, n in done.counted.items())
        out.info(_("wrote {path} ({summary})", path=done.output, summary=summary))
    elif fmt == "json":
        click.echo(done.json(), nl=False)
    else:
        out.info(done.text(limit=None if verbose else DIFF_SHOWN, say=translated))
    sys.exit(1 if done.differ else 0)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--no-browser", is_flag=True, help="Do not open the page in a browser.")
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="Requests served at once.",
)
@click.option(
    "--max-file-mb",
    type=click.FloatRange(0.01),
    default=WebSettings.max_file_bytes / MiB,
    show_default=True,
    help="Largest workbook accepted.",
)
@click.option(
    "--max-request-mb",
    type=click.FloatRange(0.01),
    default=WebSettings.max_request_bytes / MiB,
    show_default=True,
    help="Largest upload (all files together).",
)
@click.option(
    "--max-files",
    type=click.IntRange(1),
    default=WebSettings.max_files,
    show_default=True,
    help="Most files in one upload.",
)
@click.option(
    "--max-unpacked-mb",
    type=click.FloatRange(1),
    default=WebSettings.max_unpacked_bytes / MiB,
    show_default=True,
    help="Largest unpacked size of a workbook (bounds the server's memory).",
)
@click.option(
    "--keep-minutes",
    type=click.FloatRange(0.1),
    default=WebSettings.keep_seconds / 60,
    show_default=True,
    help="How long results can be downloaded.",
)
@click.option(
    "--results-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for results (default: a temporary one, removed on exit).",
)
@click.option(
    "--templates",
    "template_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of your own page templates, used before the bundled ones.",
)
@click.option(
    "--allowed-host",
    "hosts",
    multiple=True,
    help="A name the page is reached by (repeat; default: addresses, localhost, this "
    "computer's name; ATGARDSPLAN_HOSTS).",
)
@click.option(
    "--operator",
    default=lambda: os.environ.get("ATGARDSPLAN_OPERATOR", ""),
    help="Who runs the page, for the accessibility statement (ATGARDSPLAN_OPERATOR).",
)
@click.option(
    "--contact",
    default=lambda: os.environ.get("ATGARDSPLAN_CONTACT", ""),
    help="Where to report an accessibility problem: e-mail, phone or address "
    "(ATGARDSPLAN_CONTACT).",
)
@spec_option
@handle_errors
def serve(
    host: str,
    port: int,
    no_browser: bool,
    threads: int,
    max_file_mb: float,
    max_request_mb: float,
    max_files: int,
    max_unpacked_mb: float,
    keep_minutes: float,
    results_dir: Path | None,
    template_dir: Path | None,
    hosts: tuple[str, ...],
    operator: str,
    contact: str,
    spec_path: Path | None,
) -> None:
    """Serve the web page (in Swedish) for people who never open a terminal:
    drop workbooks, download what they need. Ctrl-C stops it."""
    from .web.app import LOCAL_HOSTS
    from .web.app import serve as run

    if host not in LOCAL_HOSTS:
        click.echo(
            _(
                "warning: listening on {host}: the page is reachable by other computers on "
                "the network, and anyone who reaches it can upload workbooks",
                host=host,
            ),
            err=True,
        )
    settings = WebSettings(
        max_file_bytes=int(max_file_mb * MiB),
        max_request_bytes=int(max_request_mb * MiB),
        max_files=max_files,
        max_unpacked_bytes=int(max_unpacked_mb * MiB),
        keep_seconds=int(keep_minutes * 60),
        results_dir=results_dir,
        spec_path=spec_path,
        template_dir=template_dir,
        operator=operator,
        contact=contact,
        hosts=(
            *(hosts or WebSettings.from_env().hosts),
            *((host,) if host not in ("0.0.0.0", "::") else ()),
        ),
    )
    run(
        settings,
        host=host,
        port=port,
        threads=threads,
        open_browser=not no_browser,
        announce=lambda url: click.echo(_("serving on {url} (Ctrl-C stops)", url=url), err=True),
    )
    click.echo(_("stopped"), err=True)


def main() -> None:
    cli(prog_name="atgardsplan")


if __name__ == "__main__":
    main()
