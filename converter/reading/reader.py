"""Raw sheets to Plan: recognise area sheets, find the header, map columns, normalise."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path
from typing import cast

from ..errors import InputError
from ..limits import MAX_UNPACKED_BYTES
from ..plan import (
    AREA,
    ROW,
    SHEET,
    Note,
    Plan,
    PlanMeta,
    SheetInfo,
    SummaryCell,
    SummaryFound,
    actions_frame,
)
from ..spec import Column, Spec, load_spec
from ..text import column_letter, fold, normalise, normalise_column, years_in
from .source import CellValue, RawSheet, RawWorkbook, open_workbook

#: How many rows from the top are searched for the header row.
HEADER_SCAN_ROWS = 40
#: A header row names at least this many of the template's columns.
MIN_HEADER_MATCHES = 3
#: A sheet without a table is the summary when its tab, or one of this many texts at its
#: top, is the summary's title.
SUMMARY_TITLE_TEXTS = 10
#: How many texts above a table (or of a sheet without one) may name the plan's year and
#: district ("Åtgärdsplan 2025 – Norra innerstaden").
TITLE_TEXTS = 5
#: A cell that begins a column's instruction counts as the instruction when it has at
#: least this many letters and digits (shorter texts, "Ange tid", are someone's answer).
INSTRUCTION_PREFIX_MIN = 12
#: The longest text above a table that can be taken for its title; longer ones are notes.
TITLE_MAX = 120


def read_plan(
    path: str | os.PathLike[str],
    spec: Spec | str | os.PathLike[str] | None = None,
    *,
    year: int | None = None,
    district: str | None = None,
    default_year: int | None = None,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
    district_from_name: bool = False,
) -> Plan:
    """Read a filled-in Åtgärdsplan workbook into a Plan.

    ``year`` and ``district`` override what the workbook says; ``default_year`` is the
    year of a workbook that names none (before it is guessed from the timeframes).
    ``district_from_name`` takes the district from the file name first (renamed copies
    of one plan), then from the workbook.
    Raises InputError for unusable files (see converter.source; a zipped workbook
    unpacking to more than ``max_unpacked_bytes`` is one) and for a workbook without
    any area sheet.
    """
    spec = spec if isinstance(spec, Spec) else load_spec(spec)
    book = open_workbook(path, max_unpacked_bytes=max_unpacked_bytes)
    return plan_from_workbook(
        book,
        spec,
        year=year,
        district=district,
        default_year=default_year,
        district_from_name=district_from_name,
    )


@dataclass
class _Table:
    """An area-like table found in one sheet."""

    sheet: RawSheet
    header_row: int  # 0-based
    columns: dict[str, int]  # key -> col
    extras: dict[int, str]  # col -> header
    repeated: dict[int, str]  # col of an extra -> the column key its header repeats
    title: str  # the area title the sheet carries ("" when none)
    titles_above: list[str]
    area_key: str | None = None
    row_numbers: list[int] = field(default_factory=list)  # 0-based sheet rows kept
    data: dict[int, list[str]] = field(default_factory=dict)  # col -> normalised texts


@dataclass
class _Found:
    tables: list[_Table] = field(default_factory=list)
    summaries: list[tuple[RawSheet, list[tuple[int, list[CellValue]]]]] = field(
        default_factory=list
    )
    titles: list[str] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def plan_from_workbook(
    book: RawWorkbook,
    spec: Spec,
    *,
    year: int | None = None,
    district: str | None = None,
    default_year: int | None = None,
    district_from_name: bool = False,
) -> Plan:
    found = _Found()
    for sheet in book.sheets:
        _scan_sheet(sheet, spec, found)

    area_titles, unmatched = _assign_areas(found.tables, spec)
    if not any(t.area_key for t in found.tables):
        raise InputError(
            "no area sheet found (no sheet has the template's column headers)",
            book.path,
            code="no-area-sheet",
        )

    # Actions, in spec area order, then sheet order within an area.
    extras: list[str] = []
    for t in found.tables:
        if t.area_key:
            for header in t.extras.values():
                if header not in extras:
                    extras.append(header)
    cols: dict[str, list[object]] = {n: [] for n in (AREA, *spec.keys, SHEET, ROW, *extras)}
    order = {a.key: i for i, a in enumerate(spec.areas)}
    sheets: list[SheetInfo] = []
    for t in sorted((t for t in found.tables if t.area_key), key=lambda t: order[t.area_key or ""]):
        assert t.area_key is not None
        title = area_titles[t.area_key]
        n = len(t.row_numbers)
        empty = [""] * n
        cols[AREA].extend([title] * n)
        cols[SHEET].extend([t.sheet.name] * n)
        cols[ROW].extend(r + 1 for r in t.row_numbers)
        for k in spec.keys:
            c = t.columns.get(k)
            cols[k].extend(t.data[c] if c is not None else empty)
        by_header = {h: c for c, h in t.extras.items()}
        for header in extras:
            c = by_header.get(header)
            cols[header].extend(t.data[c] if c is not None else empty)
        mapping: dict[str, int] = {**t.columns, **by_header}
        sheets.append(
            SheetInfo(
                tab=t.sheet.name,
                area_key=t.area_key,
                header_row=t.header_row + 1,
                columns=mapping,
                repeated=tuple((t.extras[c], k) for c, k in t.repeated.items() if c in t.extras),
            )
        )
    for column in spec.columns:
        if column.synonyms:
            cols[column.key] = list(canonical_values(column, cast(list[str], cols[column.key])))

    summary = _parse_summary(found.summaries, spec, area_titles)
    y, d, police, origin = _year_and_district(book, spec, found.titles, district_from_name)
    notes: list[str] = []
    year_from, district_from = origin
    if y is None and default_year is not None:
        y, year_from = default_year, "default"
    if y is None and year is None:
        y, note = year_from_timeframes(cast(list[str], cols["timeframe"]))
        year_from = "timeframes" if y is not None else ""
        if note:
            notes.append(note)
    meta = PlanMeta(
        spec=spec,
        year=year if year is not None else y,
        district=district if district is not None else d,
        police_area=police,
        notes=tuple(notes),
        year_from="given" if year is not None else year_from,
        district_from="given" if district is not None else district_from,
        source=Path(book.path),
        area_titles=area_titles,
        sheets=tuple(sheets),
        summary_found=summary,
        unrecognised_sheets=tuple(found.unrecognised),
        unmatched_area_sheets=tuple(t.sheet.name for t in unmatched),
        ignored_sheets=tuple(found.ignored),
    )
    return Plan(meta, actions_frame(spec, cols, extras))


def canonical_values(column: Column, texts: list[str]) -> list[str]:
    """Each text as the allowed value it designates, or as typed (each distinct text is
    looked up once: a column of 18,000 statuses holds a handful of texts)."""
    seen: dict[str, str] = {}
    out = []
    for text in texts:
        value = seen.get(text)
        if value is None:
            value = seen[text] = column.canonical(text)
        out.append(value)
    return out


# -- one sheet -----------------------------------------------------------------------


def _scan_sheet(sheet: RawSheet, spec: Spec, found: _Found) -> None:
    if not sheet.is_worksheet:
        found.ignored.append(sheet.name)
        return
    r0, grid = sheet.rows()
    # The header is looked for in the sheet's first HEADER_SCAN_ROWS rows (not the
    # grid's: the grid starts at the first filled row, r0).
    scanned = grid[: max(HEADER_SCAN_ROWS - r0, 0)]
    at = next((i for i, cells in enumerate(scanned) if _is_header(cells, spec)), None)
    head = scanned[:at]  # all of them when there is no header
    texts = [normalise(v) for cells in head for v in cells if isinstance(v, str) and v.strip()]

    if at is None:
        top = texts[:SUMMARY_TITLE_TEXTS]
        if spec.is_summary_title(sheet.name) or any(spec.is_summary_title(t) for t in top):
            found.summaries.append((sheet, [(r0 + j, cells) for j, cells in enumerate(grid)]))
            found.titles.extend(top)
        elif not sheet.visible:
            found.ignored.append(sheet.name)
        elif grid or sheet.merged:  # content anywhere: a number, a table further down
            found.unrecognised.append(sheet.name)
            found.titles.extend(texts[:TITLE_TEXTS])
        else:
            found.ignored.append(sheet.name)  # an empty visible sheet: nothing to keep
        return

    r_header, header_cells = r0 + at, grid[at]
    columns: dict[str, int] = {}
    extras: dict[int, str] = {}
    repeated: dict[int, str] = {}
    title = ""
    for c, v in enumerate(header_cells):
        text = normalise(v)
        if not text:
            continue
        key = spec.match_column(text)
        if key is not None and key not in columns:
            columns[key] = c
            continue
        if key is not None:
            repeated[c] = key
        if "problem" not in columns and spec.match_area(text) is not None:
            columns["problem"] = c
            title = text
            continue
        extras[c] = text
    if "problem" not in columns and extras:
        # The problem column's header is the area title: when the title is not one of
        # the template's, it is the first header left of the known columns.
        first = min(extras)
        if first < min(columns.values()):
            columns["problem"] = first
            title = extras.pop(first)
    _unique_headers(extras, spec)
    titles_above = texts
    table = _Table(sheet, r_header, columns, extras, repeated, title, titles_above)
    if (
        not sheet.visible
        and not (title and spec.match_area(title))
        and not spec.match_area(sheet.name)
    ):
        found.ignored.append(sheet.name)
        return
    found.tables.append(table)
    found.titles.extend(texts[:TITLE_TEXTS])
    _read_rows(table, r_header + 1, grid[at + 1 :], spec)


def _is_header(cells: list[CellValue], spec: Spec) -> bool:
    """Whether a row names at least MIN_HEADER_MATCHES of the template's columns."""
    keys = set()
    for v in cells:
        if isinstance(v, str) and v and len(v) < 80:  # no header is that long: skip folding
            k = spec.match_column(v)
            if k is not None:
                keys.add(k)
    return len(keys) >= MIN_HEADER_MATCHES


def _is_instruction_row(values: Mapping[int, str], table: _Table, spec: Spec) -> bool:
    hits = 0
    for key, c in table.columns.items():
        v = fold(values[c])
        ins = fold(spec.column(key).instruction)
        if v and ins and (v == ins or (len(v) >= INSTRUCTION_PREFIX_MIN and ins.startswith(v))):
            hits += 1
    return hits >= 2


def _read_rows(table: _Table, first: int, grid: list[list[CellValue]], spec: Spec) -> None:
    """Read the data rows (``grid``, from 0-based sheet row ``first``) column by column.

    Merged ranges give every row they cover the top-left value; a row with no content
    of its own (blank, or filled only by a merge) is dropped.
    """
    if not grid:
        return
    numbers = range(first, first + len(grid))
    # Every column that has a header or holds data is read: nothing is dropped. The
    # grid is a rectangle (RawSheet.rows), as wide as the header row at least.
    mapped = {*table.columns.values(), *table.extras}
    columns: dict[int, list[str]] = {}
    for c, raw_col in enumerate(zip(*grid, strict=True)):
        col = normalise_column(raw_col)
        if c in mapped or any(col):
            columns[c] = col
            if c not in mapped:
                table.extras[c] = f"Kolumn {column_letter(c)}"
    keep = [any(values) for values in zip(*columns.values(), strict=True)]
    head = {c: col[0] for c, col in columns.items()}
    keep[0] = keep[0] and not _is_instruction_row(head, table, spec)
    last = first + len(grid) - 1
    for (top, c0), (bottom, _c1) in table.sheet.merged:
        if bottom <= top or top < first or top > last or c0 not in columns:
            continue
        col = columns[c0]
        value = col[top - first]
        for r in range(top + 1, min(bottom, last) + 1):
            if not col[r - first]:
                col[r - first] = value
    if all(keep):
        table.row_numbers, table.data = list(numbers), columns
        return
    table.row_numbers = list(compress(numbers, keep))
    table.data = {c: list(compress(col, keep)) for c, col in columns.items()}


def _unique_headers(extras: dict[int, str], spec: Spec) -> None:
    """Extra headers become column names: make them unique and unlike reserved names."""
    taken = {AREA, SHEET, ROW, *spec.keys}
    for c in sorted(extras):
        name = extras[c]
        if name in taken:
            name = f"{name} ({column_letter(c)})"
        extras[c] = name
        taken.add(name)


# -- areas ---------------------------------------------------------------------------


def _assign_areas(tables: list[_Table], spec: Spec) -> tuple[dict[str, str], list[_Table]]:
    """Give each table its area; the own area goes to the first unmatched table."""
    titles = {a.key: a.title for a in spec.areas}
    unmatched: list[_Table] = []
    for t in tables:
        area = spec.match_area(t.title)  # None for ""
        if area is None:
            area = next((a for x in t.titles_above if (a := spec.match_area(x))), None)
        if area is None:
            area = spec.match_area(t.sheet.name)
        if area is not None:
            t.area_key = area.key
            if area.own and t.title and fold(t.title) not in {fold(n) for n in area.names()}:
                titles[area.key] = t.title
        else:
            unmatched.append(t)
    own = spec.own_area
    taken = {t.area_key for t in tables if t.area_key}
    rest: list[_Table] = []
    for t in unmatched:
        if own is not None and own.key not in taken and t.sheet.visible:
            t.area_key = own.key
            titles[own.key] = t.title or _generic_title(t) or t.sheet.name
            taken.add(own.key)
        else:
            rest.append(t)
    return titles, rest


def _generic_title(t: _Table) -> str:
    return next((x for x in t.titles_above if len(x) <= TITLE_MAX), "")


# -- the summary sheet as found ------------------------------------------------------------


def _parse_summary(
    summaries: list[tuple[RawSheet, list[tuple[int, list[CellValue]]]]],
    spec: Spec,
    area_titles: Mapping[str, str],
) -> SummaryFound | None:
    """The figures the first summary sheet with a header row shows, by area and count."""
    by_title = {fold(t): k for k, t in area_titles.items()}
    for sheet, rows in summaries:
        header = _summary_header(rows, spec)
        if header is None:
            continue
        at, area_col, count_cols = header
        found: dict[str, dict[str, SummaryCell]] = {}
        for r, cells in rows[at + 1 :]:  # rows of one rectangle: every column is there
            label = normalise(cells[area_col])
            key = by_title.get(fold(label))
            if key is None and (area := spec.match_area(label)):
                key = area.key
            if key is None or key in found:
                continue
            found[key] = {}
            for ck, c in count_cols.items():
                v = cells[c]
                num = float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
                found[key][ck] = SummaryCell(value=num, text=normalise(v), row=r + 1, col=c)
        return SummaryFound(tab=sheet.name, rows=found)
    return None


def _summary_header(
    rows: list[tuple[int, list[CellValue]]], spec: Spec
) -> tuple[int, int, dict[str, int]] | None:
    """(index of the header row, its area column, count key -> column), or None when no
    row has the area header and at least one count's."""
    area_header = fold(spec.summary.area_header)
    for i, (_r, cells) in enumerate(rows):
        folded = [fold(normalise(v)) for v in cells]
        if area_header in folded:
            counts = {
                c.key: folded.index(fold(c.header))
                for c in spec.summary.counts
                if fold(c.header) in folded
            }
            return (i, folded.index(area_header), counts) if counts else None
    return None


# -- year and district -----------------------------------------------------------------


# "Åtgärdsplan 2025 – Norra innerstaden": a word, a year, optionally a dash and a district.
_TITLE = re.compile(r"^\s*(\S+)\s+(\d{4})\b(?:\s*[–—-]\s*(.+?))?\s*$", re.DOTALL)


def parse_title(text: str, spec: Spec) -> tuple[int | None, str | None]:
    """ "Åtgärdsplan 2025 – Norra innerstaden" -> (2025, "Norra innerstaden")."""
    m = _TITLE.match(normalise(text))
    if not m or fold(m.group(1)) != fold(spec.title_word):
        return None, None
    district = m.group(3).strip() if m.group(3) else None
    return int(m.group(2)), district or None


def _year_and_district(
    book: RawWorkbook, spec: Spec, titles: list[str], district_from_name: bool = False
) -> tuple[int | None, str | None, str | None, tuple[str, str]]:
    """(year, district, police area, where each of the first two was found): properties
    first, then a title, then the file name (with ``district_from_name`` the file name
    first, for the district).

    A district named in any of them is written as the spec's list spells it; a title
    that adds the police area ("… och lokalpolisområde Norrmalm") gives that as well.
    """
    naming = spec.naming
    props = book.properties
    year: int | None = None
    district: str | None = None
    police: str | None = None
    year_from = district_from = ""
    name_year, name_district = naming.from_file_name(Path(book.path).stem)
    if district_from_name and name_district:
        district, district_from = name_district, "file name"
    for name in (spec.year_property, "Year", "År"):
        v = props.get(f"custom:{name}")
        if v and years_in(v):
            year, year_from = years_in(v)[0], "property"
            break
    for name in (spec.district_property, "District", "Stadsdelsförvaltning"):
        v = props.get(f"custom:{name}")
        if district is None and v and v.strip():
            district, police = naming.split_police_area(normalise(v))
            district_from = "property"
            break
    for text in [props.get("title", ""), *titles]:
        if year is not None and district is not None:
            break
        y, d = parse_title(text, spec)
        if y is not None:
            if year is None:
                year, year_from = y, "title"
            if district is None and d:
                district, police = naming.split_police_area(d)
                district_from = "title"
    if year is None and name_year is not None:
        year, year_from = name_year, "file name"
    if district is None and name_district:
        district, district_from = name_district, "file name"
    canonical = naming.canonical(district) if district else None
    return year, canonical, police, (year_from, district_from if canonical else "")


def year_from_timeframes(timeframes: list[str]) -> tuple[int | None, str | None]:
    """The year the timeframes name most often ("Under 2025", "Vt 2025"), and a note."""
    counts: Counter[int] = Counter()
    for text, n in Counter(timeframes).items():  # timeframes repeat: each text once
        for y in set(years_in(text)):
            counts[y] += n
    if not counts:
        return None, None
    (year, n), *_ = sorted(counts.items(), key=lambda kv: (-kv[1], -kv[0]))
    return year, (
        Note(
            "the plan's year {year} was taken from the timeframes (named in {n} of {of} "
            "actions); no property, title or file name gives it",
            year=year,
            n=n,
            of=len(timeframes),
        )
    )
