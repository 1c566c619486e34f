"""Safe open of a workbook file into raw sheets: checks first, interpretation never.

Refused before any spreadsheet parser sees the file: missing, folder, unreadable,
empty, oversized, not a workbook, truncated zip, encrypted (password-protected) and
decompression bombs (declared unpacked size over the limit). Every XML part's prolog is
checked for a DOCTYPE, which a workbook never needs and entity-expansion attacks
("billion laughs") rely on. Cells are then read with python-calamine (Rust, no entity
expansion); document properties with defusedxml.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as calamine
from defusedxml import ElementTree as SafeET

from ..errors import DAMAGED, InputError, is_panic
from ..limits import MAX_FILE_BYTES, MAX_UNPACKED_BYTES, MiB
from .bounded import ParseFailure, ReadLimits, iter_bounded_shares

#: How much of an XML part's start is searched for its root element (the prolog).
PROLOG_BYTES = 64 * 1024
#: How much is unpacked first; the rest of PROLOG_BYTES only when the prolog goes on.
FIRST_PROLOG_READ = 2048

_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")

CellValue = int | float | str | bool | dt.date | dt.datetime | dt.time | dt.timedelta
#: A merged range: ((first row, first column), (last row, last column)), 0-based.
Merged = tuple[tuple[int, int], tuple[int, int]]


@dataclass
class RawSheet:
    """One tab: its cells (origin A1), merged ranges and visibility."""

    name: str
    visible: bool
    is_worksheet: bool
    grid: list[list[CellValue]] = field(default_factory=list, repr=False)
    first_row: int = 0  # 0-based index of the grid's first row
    merged: list[Merged] = field(default_factory=list)

    def rows(self) -> tuple[int, list[list[CellValue]]]:
        """(0-based index of the first row, its rows of cells from column A).

        The rows form a rectangle: every row is as long as the longest, blank cells
        being "", so a reader may take the grid's columns with ``zip(*rows)``.
        """
        return self.first_row, self.grid


def _rectangle(grid: list[list[CellValue]], c0: int) -> list[list[CellValue]]:
    """Rows from column A, each as long as the longest (blank cells "")."""
    width = max((len(cells) for cells in grid), default=0)
    if c0 or any(len(cells) != width for cells in grid):
        grid = [[""] * c0 + cells + [""] * (width - len(cells)) for cells in grid]
    return grid


@dataclass
class RawWorkbook:
    path: Path
    sheets: list[RawSheet]
    properties: dict[str, str]  # core title/subject/keywords + custom properties
    format: str  # "xlsx", "xls", "ods", "xlsb"
    parser: str = "calamine"  # or "openpyxl", for an xlsx calamine rejected


#: One wording for every kind of encryption, with the same advice.
ENCRYPTED = "workbook is password-protected (encrypted); save a copy without a password first"
OLD_EXCEL = "saved by Excel 4.0 or older: open it in Excel and save it as .xlsx"
BARE_BIFF = (
    "an Excel 5.0-2003 workbook stream without its file container; open it in Excel "
    "and save it as .xlsx"
)
#: The first record of an Excel 2.x-4.0 file (BIFF2-4, no OLE container): its BOF.
_OLD_BOF = (b"\x09\x00", b"\x09\x02", b"\x09\x04")
#: The BOF of a BIFF5-8 stream, which belongs inside an OLE container.
_BARE_BOF = b"\x09\x08"


def open_workbook(
    path: str | os.PathLike[str],
    *,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
    limits: ReadLimits | None = None,
) -> RawWorkbook:
    """Check ``path`` and open it; raise InputError with one clear reason if unusable.

    A zipped workbook (xlsx, ods) that unpacks to more than ``max_unpacked_bytes`` is
    refused before anything is unpacked: reading takes about three times its unpacked
    size in memory, so a server sets a lower limit than the command line. The cells
    are parsed in a child process under ``limits`` (default: ``ReadLimits.from_env()``;
    see ``bounded``), so no file can crash or exhaust the caller.
    """
    p = Path(path)
    head = _read_head(p)
    properties: dict[str, str] = {}
    ods_merged: dict[str, list[Merged]] = {}
    if head.startswith(_ZIP_MAGIC):
        fmt, properties, ods_merged = _check_zip(p, max_unpacked_bytes)
        if fmt == "xlsb":
            # python-calamine reports no merged cells for xlsb: refuse rather than read
            # merged problem and cause cells as blanks.
            raise InputError(
                "xlsb files are not supported; save the workbook as .xlsx", p, code="xlsb"
            )
    elif head.startswith(_OLE_MAGIC):
        if _is_encrypted_ole(p):
            raise InputError(ENCRYPTED, p, code="encrypted")
        fmt = "xls"
    elif head.startswith(_EMPTY_ZIP_MAGIC):
        raise InputError("empty zip archive, not a workbook", p, code="empty-zip")
    elif head[:2] in _OLD_BOF and 4 <= int.from_bytes(head[2:4], "little") <= 16:
        raise InputError(OLD_EXCEL, p, code="old-excel")
    elif head[:2] == _BARE_BOF and 4 <= int.from_bytes(head[2:4], "little") <= 16:
        raise InputError(BARE_BIFF, p, code="bare-biff")
    else:
        raise InputError(f"not a workbook ({_describe(head)})", p, code="not-a-workbook")
    limits = limits or ReadLimits.from_env()
    shares = _shares(p)
    producers = [functools.partial(parse_sheets, str(p), fmt, k, shares) for k in range(shares)]
    by_index: dict[int, RawSheet] = {}
    from_share: dict[int, list[int]] = {k: [] for k in range(shares)}
    parsers = set()
    try:
        for share, (by, index, sheet) in iter_bounded_shares(producers, limits):
            parsers.add(by)
            if sheet is None:  # the tolerant reader starts this share again
                for i in from_share[share]:
                    by_index.pop(i, None)
                from_share[share] = []
                continue
            by_index[index] = sheet
            from_share[share].append(index)
    except ParseFailure as failure:
        raise _refusal(failure, p, limits) from failure
    sheets = [by_index[i] for i in sorted(by_index)]
    parser = "openpyxl" if "openpyxl" in parsers else "calamine"
    if fmt == "ods":  # calamine reports no merged cells for ods: the spans say them
        for sheet in sheets:
            sheet.merged = ods_merged.get(sheet.name, [])
    return RawWorkbook(p, sheets, properties, fmt, parser)


def declared_size(path: Path) -> int:
    """What a workbook says it unpacks to (its zip directory's sizes; the file's size
    for an .xls or anything not a zip): what reading it will cost, roughly, before it
    is read. A forged directory that declares less is refused by the parser."""
    try:
        with zipfile.ZipFile(path) as zf:
            return max(path.stat().st_size, sum(i.file_size for i in zf.infolist()))
    except (OSError, zipfile.BadZipFile, ValueError):
        try:
            return path.stat().st_size
        except OSError:
            return 0


def _refusal(failure: ParseFailure, p: Path, limits: ReadLimits) -> InputError:
    """The one line a user reads for a parse that gave no cells (the parser's own
    words only under --debug, as the exception's cause)."""
    if failure.kind == "memory":
        mb = limits.memory_mb
        return InputError(
            f"the workbook needs more than {mb} MB to read (limit {mb} MB; "
            "--max-read-mb or ATGARDSPLAN_READ_MB raises it)",
            p,
            code="read-memory",
            limit_mb=mb,
        )
    if failure.kind == "time":
        seconds = f"{limits.seconds:g}"
        return InputError(
            f"the workbook takes more than {seconds} s to read (limit {seconds} s; "
            "--max-read-seconds or ATGARDSPLAN_READ_SECONDS raises it)",
            p,
            code="read-time",
            seconds=seconds,
        )
    if failure.name in ("PasswordError", EncryptedWorkbook.__name__):
        return InputError(ENCRYPTED, p, code="encrypted")
    return InputError(DAMAGED, p, code="damaged", detail=failure.detail)


class EncryptedWorkbook(Exception):
    """An .xls whose workbook stream is encrypted (a FILEPASS record: XOR or RC4)."""


#: From this size on a workbook's sheets are parsed by two children at once (on two
#: cores): the 18,000-action plan (0.9 MB) is read about a third sooner so.
SHARED_FROM_BYTES = 256 * 1024


def _shares(p: Path) -> int:
    """How many children parse the workbook's sheets at once."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 2 if (cores or 1) >= 2 and p.stat().st_size >= SHARED_FROM_BYTES else 1


def parse_sheets(
    path: str, fmt: str, share: int = 0, shares: int = 1
) -> Iterator[tuple[str, int, RawSheet | None]]:
    """The sheets of this share (index % shares == share), one at a time, as (parser,
    index, sheet): each sheet's cells, merged ranges and visibility, by python-calamine.
    An xlsx or xlsm it rejects (Excel opens some that it does not: a sheet state "show",
    a macro sheet, UTF-16 parts) is read again by openpyxl: ("openpyxl", -1, None) says
    the share starts again, then ("openpyxl", index, sheet) for each. Runs in a bounded
    child: it may meet any damage."""
    try:
        book = calamine.CalamineWorkbook.from_path(path)
        for index, meta in enumerate(book.sheets_metadata):
            if index % shares == share:
                yield "calamine", index, _raw_sheet(book, meta)
        return
    except calamine.PasswordError:
        raise
    except BaseException as exc:
        if not isinstance(exc, Exception) and not is_panic(exc):
            raise
        if fmt == "xls" and _has_filepass(path):
            raise EncryptedWorkbook(path) from None
        if fmt != "xlsx":
            raise
        try:
            sheets = _openpyxl_sheets(path)
        except Exception:
            raise exc from None
    yield "openpyxl", -1, None
    for index, sheet in enumerate(sheets):
        if index % shares == share:
            yield "openpyxl", index, sheet


# -- checks --------------------------------------------------------------------------


def _read_head(p: Path) -> bytes:
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputError("file not found", p, code="not-found") from None
    except PermissionError:
        raise InputError(
            "permission denied (cannot read the file)", p, code="permission-denied"
        ) from None
    except OSError as exc:
        raise InputError(
            f"cannot access file: {exc.strerror}", p, code="inaccessible", detail=exc.strerror
        ) from None
    if p.is_dir():
        raise InputError("is a folder, not a workbook file", p, code="is-folder")
    if st.st_size == 0:
        raise InputError("file is empty", p, code="empty-file")
    if st.st_size > MAX_FILE_BYTES:
        raise InputError(
            f"file is {st.st_size // MiB} MiB, over the limit of {MAX_FILE_BYTES // MiB} MiB",
            p,
            code="too-large",
            size_mib=st.st_size // MiB,
            limit_mib=MAX_FILE_BYTES // MiB,
        )
    try:
        with p.open("rb") as fh:
            return fh.read(512)
    except PermissionError:
        raise InputError(
            "permission denied (cannot read the file)", p, code="permission-denied"
        ) from None
    except OSError as exc:
        raise InputError(
            f"cannot read file: {exc.strerror}", p, code="inaccessible", detail=exc.strerror
        ) from None


def _describe(head: bytes) -> str:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "unknown binary file"
    return "plain text file" if head.strip() else "blank text file"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _check_zip(
    p: Path, max_unpacked_bytes: int
) -> tuple[str, dict[str, str], dict[str, list[Merged]]]:
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            # Excel opens parts named in another case, with backslashes, or with the
            # workbook outside xl/ (its place is in _rels/.rels): so does calamine.
            plain = {n.replace("\\", "/").casefold() for n in names}
            if "xl/workbook.xml" in plain or (
                "_rels/.rels" in plain and any(n.endswith("workbook.xml") for n in plain)
            ):
                fmt = "xlsx"
            elif "xl/workbook.bin" in plain:
                fmt = "xlsb"
            elif "content.xml" in names and "mimetype" in names:
                fmt = "ods"
            else:
                raise InputError(
                    "zip archive without a workbook (no xl/workbook.xml)",
                    p,
                    code="zip-not-workbook",
                )
            if "EncryptedPackage" in names or _ods_encrypted(zf, names):
                raise InputError(ENCRYPTED, p, code="encrypted")
            unpacked = sum(i.file_size for i in infos)
            if unpacked > max_unpacked_bytes:
                raise InputError(
                    f"unpacks to {unpacked // MiB} MiB, over the limit of "
                    f"{max_unpacked_bytes // MiB} MiB (decompression bomb?)",
                    p,
                    code="zip-bomb",
                    size_mib=unpacked // MiB,
                    limit_mib=max_unpacked_bytes // MiB,
                )
            for info in infos:
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    _check_prolog(zf, info, p)
            merged: dict[str, list[Merged]] = {}
            if fmt == "ods":
                properties = _ods_properties(zf)
                merged = _ods_merged(zf)
            else:
                properties = _properties(zf)
    except zipfile.BadZipFile as exc:
        raise InputError(
            f"truncated or corrupt workbook ({_first_line(exc)})", p, code="corrupt"
        ) from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise InputError(
            f"cannot unpack workbook ({_first_line(exc)})", p, code="corrupt"
        ) from None
    except SafeET.ParseError as exc:
        raise InputError(
            f"cannot read workbook: damaged content.xml ({exc})", p, code="corrupt"
        ) from None
    return fmt, properties, merged


def _check_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo, p: Path) -> None:
    """Refuse a part whose prolog declares a DOCTYPE (entities) or never ends.

    The first couple of KiB nearly always hold the whole prolog; more is unpacked (up
    to PROLOG_BYTES) only when they do not.
    """
    with zf.open(info) as fh:
        head = fh.read(FIRST_PROLOG_READ)
        verdict = _prolog(head, complete=len(head) < FIRST_PROLOG_READ)
        if verdict == "more":
            head += fh.read(PROLOG_BYTES - len(head))
            verdict = _prolog(head, complete=len(head) < PROLOG_BYTES)
    if verdict == "doctype":
        raise InputError(
            f"XML part {info.filename} declares a DOCTYPE (entity expansion is refused)",
            p,
            code="xml-doctype",
            part=info.filename,
        )
    if verdict == "more":
        raise InputError(
            f"XML part {info.filename} has an oversized prolog (refused)",
            p,
            code="xml-prolog",
            part=info.filename,
        )


def _prolog(head: bytes, complete: bool) -> str:
    """ "ok" when the root element starts after a harmless prolog, "doctype" when the
    prolog declares one, "more" when ``head`` ends inside the prolog."""
    i = 0
    n = len(head)
    while True:
        while i < n and head[i] in b" \t\r\n\xef\xbb\xbf":
            i += 1
        if i >= n:
            return "ok" if complete else "more"  # a part with no element: harmless
        if head.startswith(b"<?", i):
            end = b"?>"
        elif head.startswith(b"<!--", i):
            end = b"-->"
        elif head[i : i + 9].upper() == b"<!DOCTYPE" or head.startswith(b"<!ENTITY", i):
            return "doctype"
        elif n - i < 9 and not complete and b"<!DOCTYPE".startswith(head[i:].upper()):
            return "more"  # cut off inside "<!DOCTYPE"
        else:
            return "ok"  # the root element: the prolog is over
        j = head.find(end, i + 2)
        if j < 0:
            return "more"  # an unterminated declaration or comment
        i = j + len(end)


_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "op": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
}


def _properties(zf: zipfile.ZipFile) -> dict[str, str]:
    """Core title/subject/keywords and every custom property, as text."""
    out: dict[str, str] = {}
    names = set(zf.namelist())
    try:
        if "docProps/core.xml" in names:
            root = SafeET.fromstring(zf.read("docProps/core.xml"))
            for tag in ("dc:title", "dc:subject", "cp:keywords"):
                el = root.find(tag, _NS)
                if el is not None and el.text:
                    out[tag.split(":")[1]] = el.text
        if "docProps/custom.xml" in names:
            root = SafeET.fromstring(zf.read("docProps/custom.xml"))
            for prop in root.findall("op:property", _NS):
                name = prop.get("name")
                value = next((c.text for c in prop if c.text), None)
                if name and value is not None:
                    out[f"custom:{name}"] = value
    except SafeET.ParseError:
        pass  # damaged properties are not worth refusing the workbook for
    except Exception as exc:  # defusedxml's refusals (DTD, entities)
        if type(exc).__module__.startswith("defusedxml"):
            raise InputError(
                f"document properties refused: {exc}", zf.filename or "", code="xml-doctype"
            ) from None
        raise
    return out


_ODF = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
}
_T = "{" + _ODF["table"] + "}"
_CELLS = (_T + "table-cell", _T + "covered-table-cell")
#: Repeated rows that carry merged cells are unrolled at most this many times.
_MAX_REPEATED_SPANS = 10_000


def _ods_properties(zf: zipfile.ZipFile) -> dict[str, str]:
    """Title, subject, keywords and user-defined properties of an OpenDocument file."""
    out: dict[str, str] = {}
    if "meta.xml" not in set(zf.namelist()):
        return out
    try:
        root = SafeET.fromstring(zf.read("meta.xml"))
    except SafeET.ParseError:
        return out
    meta = root.find("office:meta", _ODF)
    if meta is None:
        return out
    core = (("dc:title", "title"), ("dc:subject", "subject"), ("meta:keyword", "keywords"))
    for tag, name in core:
        el = meta.find(tag, _ODF)
        if el is not None and el.text:
            out[name] = el.text
    for prop in meta.findall("meta:user-defined", _ODF):
        prop_name = prop.get("{" + _ODF["meta"] + "}name")
        if prop_name and prop.text is not None:
            out[f"custom:{prop_name}"] = prop.text
    return out


def _ods_merged(zf: zipfile.ZipFile) -> dict[str, list[Merged]]:
    """Merged ranges per sheet, from the cell spans in an OpenDocument content.xml.

    Streams the XML (a sheet of a million repeated empty rows costs nothing) and counts
    repeated rows and columns to place each spanning cell.
    """
    out: dict[str, list[Merged]] = {}
    sheet: list[Merged] | None = None
    depth = 0  # nesting of tables (a table inside a cell is not a sheet)
    row = col = 0
    row_spans: list[tuple[int, int, int]] = []  # col, rows, cols of this row's spans
    with zf.open("content.xml") as fh:
        for event, el in SafeET.iterparse(fh, events=("start", "end")):
            tag = el.tag
            if tag == _T + "table":
                if event == "start":
                    depth += 1
                    if depth == 1:
                        sheet = out.setdefault(el.get(_T + "name") or "", [])
                        row = 0
                else:
                    depth -= 1
                    el.clear()
                continue
            if depth != 1 or sheet is None:
                continue
            if tag == _T + "table-row":
                if event == "start":
                    col = 0
                    row_spans = []
                else:
                    repeat = int(el.get(_T + "number-rows-repeated") or 1)
                    for i in range(min(repeat, _MAX_REPEATED_SPANS) if row_spans else 0):
                        for c, rs, cs in row_spans:
                            sheet.append(((row + i, c), (row + i + rs - 1, c + cs - 1)))
                    row += repeat
                    el.clear()
            elif tag in _CELLS and event == "end":
                rs = int(el.get(_T + "number-rows-spanned") or 1)
                cs = int(el.get(_T + "number-columns-spanned") or 1)
                if rs > 1 or cs > 1:
                    row_spans.append((col, rs, cs))
                col += int(el.get(_T + "number-columns-repeated") or 1)
                el.clear()
    return out


def _ods_encrypted(zf: zipfile.ZipFile, names: set[str]) -> bool:
    """A password-protected ods: its manifest names how each part is encrypted."""
    manifest = "META-INF/manifest.xml"
    if "content.xml" not in names or manifest not in names:
        return False
    with zf.open(manifest) as fh:
        return b"encryption-data" in fh.read(1 << 20)


def _is_encrypted_ole(p: Path) -> bool:
    with p.open("rb") as fh:
        data = fh.read()
    return _ENCRYPTION_STREAM in data


def _raw_sheet(book: calamine.CalamineWorkbook, meta: calamine.SheetMetadata) -> RawSheet:
    visible = meta.visible == calamine.SheetVisibleEnum.Visible
    is_ws = meta.typ == calamine.SheetTypeEnum.WorkSheet
    if not is_ws:
        return RawSheet(name=meta.name, visible=visible, is_worksheet=False)
    sheet = book.get_sheet_by_name(meta.name)
    merged = sheet.merged_cell_ranges or []
    if sheet.start is None:
        return RawSheet(meta.name, visible, True, merged=merged)
    r0, c0 = sheet.start
    grid = _rectangle(sheet.to_python(skip_empty_area=True), c0)
    return RawSheet(meta.name, visible, True, grid, r0, merged)


def _openpyxl_sheets(path: str) -> list[RawSheet]:
    """The tolerant reader's sheets: openpyxl (with defusedxml) reads what Excel opens."""
    import openpyxl
    from openpyxl.worksheet.worksheet import Worksheet

    wb = openpyxl.load_workbook(_tolerant_copy(path), data_only=True)
    out = []
    for ws in wb:
        visible = ws.sheet_state == "visible"
        if not isinstance(ws, Worksheet):
            out.append(RawSheet(ws.title, visible, False))
            continue
        merged: list[Merged] = [
            ((r.min_row - 1, r.min_col - 1), (r.max_row - 1, r.max_col - 1))
            for r in ws.merged_cells.ranges
        ]
        grid = [[_plain(v) for v in row] for row in ws.iter_rows(values_only=True)]
        out.append(RawSheet(ws.title, visible, True, _rectangle(grid, 0), 0, merged))
    return out


#: A sheet state Excel opens but the readers reject ("show"): read as visible.
_ODD_STATE = re.compile(rb'(<sheet\b[^>]*?\bstate=")(?!visible"|hidden"|veryHidden")[^"]*(")')


def _tolerant_copy(path: str) -> io.BytesIO:
    """The workbook in memory with what Excel tolerates made plain for openpyxl: a
    sheet state other than visible, hidden or veryHidden is visible."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/workbook.xml":
                data = _ODD_STATE.sub(rb"\1visible\2", data)
            zout.writestr(info, data)
    buffer.seek(0)
    return buffer


def _plain(value: object) -> CellValue:
    """An openpyxl value as calamine gives it: a number, text, a date or a flag."""
    if value is None:
        return ""
    if isinstance(value, int | float | str | bool | dt.date | dt.datetime | dt.time | dt.timedelta):
        return value
    return str(value)  # rich text, a formula openpyxl keeps as an object, a Decimal


#: BIFF records met before the sheets: FILEPASS says the stream is encrypted.
_FILEPASS, _BOUNDSHEET, _EOF = 0x002F, 0x0085, 0x000A


def _has_filepass(path: str) -> bool:
    """Whether an .xls workbook stream is encrypted (XOR obfuscation or RC4): its
    globals hold a FILEPASS record before the first sheet. Read with olefile, in the
    bounded child (the container may be damaged too)."""
    import olefile

    try:
        with olefile.OleFileIO(path) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:
                return False
            data = ole.openstream(name).read(64 * 1024)
    except Exception:
        return False
    pos = 0
    while pos + 4 <= len(data):
        record, size = (
            int.from_bytes(data[pos : pos + 2], "little"),
            int.from_bytes(data[pos + 2 : pos + 4], "little"),
        )
        if record == _FILEPASS:
            return True
        if record in (_BOUNDSHEET, _EOF):
            return False
        pos += 4 + size
    return False
