"""The template spec: every fact of the official workbook, loaded from TOML.

The default spec ships inside the package (``converter/templates``, a copy of the
repository's ``templates/`` folder made at build time) so that a plain
``pip install .`` carries it along.
"""

from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from .districts import District, Naming
from .errors import SpecError
from .text import fit_name, fold

#: The width of an extra column (one the template does not have), in the spec's width
#: units: the workbooks and the report's tables give it this much room.
EXTRA_WIDTH = 30


_FORBIDDEN_TAB_CHARS = set("[]:*?/\\")
#: The key of the optional Status column (allowed values, counted by the follow-up).
STATUS = "status"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    label: str
    instruction: str
    aliases: tuple[str, ...]
    width: float
    #: The values the column allows (a drop-down in written workbooks), canonical
    #: spelling; empty for a free-text column.
    values: tuple[str, ...] = ()
    #: Folded hand-typed variants (and each value folded) -> the canonical value.
    synonyms: Mapping[str, str] = field(default_factory=dict)

    def canonical(self, text: str) -> str:
        """The allowed value ``text`` designates ("klart." -> "Genomförd"), or ``text``
        exactly as typed when it designates none (and for a free-text column)."""
        if not self.synonyms or not text:
            return text
        return self.synonyms.get(fold(text), text)

    def recognises(self, text: str) -> bool:
        """Whether ``text`` is one of the allowed values (canonical spelling)."""
        return text in self.values


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    tab: str
    aliases: tuple[str, ...]
    own: bool = False

    def names(self) -> tuple[str, ...]:
        """Every name that identifies this area: title, aliases, tab."""
        return (self.title, *self.aliases, self.tab)


@dataclass(frozen=True)
class SummaryCount:
    key: str
    header: str


@dataclass(frozen=True)
class SummarySpec:
    tab: str
    title: str
    subtitle: str
    area_header: str
    total_label: str
    chart_title: str
    note: str
    aliases: tuple[str, ...]
    counted_rows: int
    counts: tuple[SummaryCount, ...]


@dataclass(frozen=True)
class CitySpec:
    """Texts of the combined workbook of every district's plan."""

    title: str
    summary_tab: str
    summary_year_tab: str
    summary_title: str
    summary_subtitle: str
    matrix_title: str
    matrix_district_header: str
    matrix_total_label: str
    matrix_chart_title: str
    own_area_label: str
    note: str
    actions_tab: str
    actions_table: str
    district_header: str
    year_header: str
    area_header: str
    template_area_header: str
    file_header: str
    sheet_header: str
    row_header: str
    files_tab: str
    files_headers: tuple[str, ...]
    status_read: str
    status_failed: str
    status_skipped: str


@dataclass(frozen=True)
class Spec:
    path: Path
    name: str
    workbook_title: str
    title_word: str
    year_property: str
    district_property: str
    area_footer: str
    summary_footer: str
    files: Mapping[str, str]  # output kind -> file name pattern ([files])
    blank_rows: int
    next_year_blank_rows: int
    previous_follow_up_header: str
    columns: tuple[Column, ...]
    areas: tuple[Area, ...]
    summary: SummarySpec
    naming: Naming
    city: CitySpec
    #: The report's Swedish words (Jinja2 texts where they carry values).
    report: Mapping[str, str]
    #: Each finding code's wording in the report and the page, filled with its values.
    finding_texts: Mapping[str, str]
    #: The diff's Swedish words (statuses, headers).
    diff: Mapping[str, str]
    #: Each error code's wording on the web page, filled with its values (errors.py).
    error_texts: Mapping[str, str]
    #: The follow-up's Swedish words ([follow_up]: its table, chart, lists).
    follow_up: Mapping[str, str] = field(default_factory=dict)
    #: Header of the column that keeps last year's status in next year's workbook.
    previous_status_header: str = "Status {{ previous_year }}"
    #: Plan quality by Brå's method ([quality]): word lists (tuples) and Swedish texts.
    quality: Mapping[str, Any] = field(default_factory=dict)
    #: Excel's warning when a column with a list of values gets other text (Jinja2:
    #: values).
    value_list_error: str = ""

    # -- lookups -------------------------------------------------------------------
    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @property
    def status(self) -> Column | None:
        """The Status column, when the spec has one (``key = "status"``)."""
        return next((c for c in self.columns if c.key == STATUS), None)

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    def area(self, key: str) -> Area:
        for a in self.areas:
            if a.key == key:
                return a
        raise KeyError(key)

    @property
    def own_area(self) -> Area | None:
        return next((a for a in self.areas if a.own), None)

    def match_area(self, text: str) -> Area | None:
        """The area a title or tab name designates (folded, through aliases)."""
        f = fold(text)
        if not f:
            return None
        for a in self.areas:
            if any(fold(n) == f for n in a.names()):
                return a
        return None

    def match_column(self, text: str) -> str | None:
        """The column key a header text designates (folded, through aliases)."""
        f = fold(text)
        return self._column_names.get(f) if f else None

    @functools.cached_property
    def _column_names(self) -> dict[str, str]:
        """Every folded header and alias -> its column key (the first column's wins):
        one lookup per header cell instead of one per name."""
        names: dict[str, str] = {}
        for c in self.columns:
            for name in (c.header, *c.aliases):
                names.setdefault(fold(name), c.key)
        return names

    def is_summary_title(self, text: str) -> bool:
        f = fold(text)
        return bool(f) and any(
            f == fold(n) for n in (self.summary.title, self.summary.tab, *self.summary.aliases)
        )

    # -- texts -----------------------------------------------------------------------
    def render(self, template: str, **context: Any) -> str:
        return _compiled(template).render(**context).strip()

    def file_name(self, kind: str, **values: Any) -> str:
        """The default name of an output of ``kind`` (a key of ``[files]``), at most
        ``MAX_NAME_BYTES`` bytes long (a district's name of 250 letters, a stem of 130
        "Å": file systems allow 255 bytes)."""
        return fit_name(self.render(self.files[kind], **values))

    def error_text(self, code: str, data: Mapping[str, Any] | None = None) -> str:
        """An error's (or a skipped file's) Swedish wording, filled with its values; a
        code without one is worded as ``unexpected`` (a test checks every code has)."""
        values = dict(data or {})
        wording = self.error_texts.get(code)
        if wording is None:
            values.setdefault("detail", code)
            wording = self.error_texts["unexpected"]
        values.setdefault("detail", "")
        try:
            return self.render(wording, **values)
        except jinja2.UndefinedError:  # a value missing from a failure made by hand
            return _compiled_lenient(wording).render(**values).strip()

    def workbook_title_for(self, year: int | None, district: str | None) -> str:
        return self.render(self.workbook_title, year=year or "", district=district or "")


@lru_cache(maxsize=1024)
def _compiled(template: str) -> jinja2.Template:
    """A text of the spec compiled once (compiling costs far more than rendering)."""
    return _jinja().from_string(template)


@lru_cache(maxsize=256)
def _compiled_lenient(template: str) -> jinja2.Template:
    """A text of the spec where a missing value reads as nothing."""
    return jinja2.Environment(autoescape=False).from_string(template)


@lru_cache(maxsize=1)
def _jinja() -> jinja2.Environment:
    return jinja2.Environment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False
    )


def default_spec_path() -> Path:
    packaged = Path(__file__).parent / "templates" / "atgardsplan.toml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates" / "atgardsplan.toml"


def load_spec(path: str | os.PathLike[str] | None = None) -> Spec:
    """Load a template spec (the bundled official one when ``path`` is None)."""
    p = Path(path) if path is not None else default_spec_path()
    return _load_spec_cached(p.resolve())


@lru_cache(maxsize=8)
def _load_spec_cached(p: Path) -> Spec:
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SpecError("spec file not found", p, code="spec-missing") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SpecError(f"cannot read spec: {exc}", p, code="spec-invalid") from None
    try:
        spec = _build(p, data)
    except (KeyError, TypeError, ValueError) as exc:
        raise SpecError(f"malformed spec: {exc!s}", p, code="spec-invalid") from None
    return spec


#: Where specs written before the [files] section kept some of its names.
_LEGACY_FILES = {
    "template": ("template", "template_file"),
    "city": ("city", "file"),
    "report": ("report", "file"),
    "city_report": ("report", "city_file"),
}


def _files(data: Mapping[str, Any], path: Path) -> dict[str, str]:
    """The output names of ``[files]``; a name left out is the bundled spec's (an older
    spec's ``template_file``, ``[city] file`` and ``[report] file``/``city_file`` still
    count)."""
    files = {k: str(v) for k, v in data.get("files", {}).items()}
    for kind, (section, key) in _LEGACY_FILES.items():
        if kind not in files and key in data.get(section, {}):
            files[kind] = str(data[section][key])
    default = default_spec_path()
    if path.resolve() != default.resolve():
        bundled = _load_spec_cached(default.resolve()).files
        files = {**bundled, **files}
    return files


def _bundled(path: Path, value: Callable[[Spec], str]) -> str:
    """A text a spec of one's own leaves out: the bundled spec's ("" for the bundled
    spec itself)."""
    default = default_spec_path()
    if path.resolve() == default.resolve():
        return ""
    return value(_load_spec_cached(default.resolve()))


def _quality(data: Mapping[str, Any], path: Path) -> dict[str, Any]:
    """The word lists (tuples) and texts of ``[quality]``; what a spec of one's own
    leaves out is the bundled spec's."""
    own = {
        k: _strs(v) if isinstance(v, list) else str(v) for k, v in data.get("quality", {}).items()
    }
    default = default_spec_path()
    if path.resolve() != default.resolve():
        return {**_load_spec_cached(default.resolve()).quality, **own}
    return own


def _strs(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"expected a list of strings, got {value!r}")
    return tuple(value)


def _synonyms(column: Mapping[str, Any]) -> dict[str, str]:
    """Folded variant -> canonical value, from a column's ``values`` and its
    ``[columns.synonyms]`` table (canonical value -> list of variants)."""
    values = _strs(column.get("values", []))
    out = {fold(v): v for v in values}
    for value, variants in column.get("synonyms", {}).items():
        if value not in values:
            raise ValueError(f"synonyms of {value!r}, which is not one of {values}")
        for variant in _strs(variants):
            folded = fold(variant)
            if out.get(folded, value) != value:
                raise ValueError(f"synonym {variant!r} names two values")
            out[folded] = value
    return out


def _check_tab(tab: str) -> None:
    if (
        not tab
        or len(tab) > 31
        or set(tab) & _FORBIDDEN_TAB_CHARS
        or tab[0] == "'"
        or tab[-1] == "'"
    ):
        raise ValueError(f"invalid tab name {tab!r} (at most 31 characters, none of []:*?/\\)")


def _build(p: Path, d: dict[str, Any]) -> Spec:
    t = d["template"]
    columns = tuple(
        Column(
            key=str(c["key"]),
            header=str(c["header"]),
            label=str(c.get("label", c["header"]))[:32],
            instruction=str(c["instruction"]),
            aliases=_strs(c.get("aliases", [])),
            width=float(c.get("width", 30)),
            values=_strs(c.get("values", [])),
            synonyms=_synonyms(c),
        )
        for c in d["columns"]
    )
    keys = [c.key for c in columns]
    for required in ("problem", "cause", "action", "goal", "timeframe", "responsible", "follow_up"):
        if required not in keys:
            raise ValueError(f"column {required!r} missing")
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate column keys")
    areas = tuple(
        Area(
            key=str(a["key"]),
            title=str(a["title"]),
            tab=str(a["tab"]),
            aliases=_strs(a.get("aliases", [])),
            own=bool(a.get("own", False)),
        )
        for a in d["areas"]
    )
    if not areas:
        raise ValueError("no areas")
    if sum(a.own for a in areas) > 1:
        raise ValueError("more than one own area")
    s = d["summary"]
    tabs = [a.tab for a in areas] + [str(s["tab"])]
    for tab in tabs:
        _check_tab(tab)
    if len({fold(x) for x in tabs}) != len(tabs):
        raise ValueError("tab names must differ")
    summary = SummarySpec(
        tab=str(s["tab"]),
        title=str(s["title"]),
        subtitle=str(s.get("subtitle", "")),
        area_header=str(s["area_header"]),
        total_label=str(s["total_label"]),
        chart_title=str(s["chart_title"]),
        note=str(s.get("note", "")),
        aliases=_strs(s.get("aliases", [])),
        counted_rows=int(s.get("counted_rows", 2000)),
        counts=tuple(SummaryCount(str(c["key"]), str(c["header"])) for c in s["counts"]),
    )
    for c in summary.counts:
        if c.key not in keys:
            raise ValueError(f"summary counts unknown column {c.key!r}")
    naming = Naming(
        districts=tuple(
            District(
                name=str(x["name"]),
                former=bool(x.get("former", False)),
                became=str(x["became"]) if x.get("became") else None,
            )
            for x in d.get("districts", [])
        ),
        noise_words=_strs(d.get("naming", {}).get("noise_words", [])),
        police_area_words=_strs(d.get("naming", {}).get("police_area_words", [])),
    )
    c = d["city"]
    texts: dict[str, Any] = {name: str(c[name]) for name in CitySpec.__dataclass_fields__}
    texts["files_headers"] = _strs(c["files_headers"])
    city = CitySpec(**texts)
    if len(city.files_headers) != 7:
        raise ValueError("city.files_headers needs 7 headers")
    for tab in (city.summary_tab, city.actions_tab, city.files_tab):
        _check_tab(tab)
    return Spec(
        path=p,
        name=str(t.get("name", "")),
        workbook_title=str(t["workbook_title"]),
        title_word=str(t["title_word"]),
        year_property=str(t["year_property"]),
        district_property=str(t["district_property"]),
        area_footer=str(t["area_footer"]),
        summary_footer=str(t["summary_footer"]),
        files=_files(d, p),
        blank_rows=int(t.get("blank_rows", 40)),
        next_year_blank_rows=int(t.get("next_year_blank_rows", 10)),
        previous_follow_up_header=str(t["previous_follow_up_header"]),
        columns=columns,
        areas=areas,
        summary=summary,
        naming=naming,
        city=city,
        report={k: str(v) for k, v in d.get("report", {}).items() if k != "findings"},
        finding_texts={k: str(v) for k, v in d.get("report", {}).get("findings", {}).items()},
        diff={k: str(v) for k, v in d.get("diff", {}).items()},
        error_texts={k: str(v) for k, v in d.get("errors", {}).items()},
        follow_up={k: str(v) for k, v in d.get("follow_up", {}).items()},
        quality=_quality(d, p),
        value_list_error=str(
            t.get("value_list_error") or _bundled(p, lambda bundled: bundled.value_list_error)
        ),
        previous_status_header=str(t.get("previous_status_header", "Status {{ previous_year }}")),
    )
