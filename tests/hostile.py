# ruff: noqa: E501  (XML literals)
"""Builders of hostile and broken workbook files, shared by the tests and the benchmark.

Each writes a real file the way an attacker or a damaged disk would produce it.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Unga i riskzon" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    "</styleSheet>"
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"
HEADERS = [
    "Unga i riskzon för destruktivt beteende",
    "Orsak",
    "Åtgärd",
    "Operativa mål",
    "Tid",
    "Ansvarig",
    "Uppföljning",
]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def inline_row(r: int, values: list[str]) -> str:
    cells = "".join(
        f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t xml:space="preserve">{v}</t></is></c>'
        for c, v in enumerate(values)
    )
    return f'<row r="{r}">{cells}</row>'


def header_rows(data: list[list[str]] | None = None) -> str:
    rows = [inline_row(1, [_escape(h) for h in HEADERS])]
    for i, values in enumerate(
        data or [["Barn", "Orsak ett", "Åtgärd ett", "Mål", "2025", "Polis", ""]]
    ):
        rows.append(inline_row(2 + i, [_escape(v) for v in values]))
    return "".join(rows)


def raw_xlsx(path: Path, sheet_xml: str | bytes, extra: dict[str, str] | None = None) -> Path:
    """A minimal, valid xlsx with one sheet whose XML is given."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr("xl/styles.xml", STYLES)
        zf.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for name, text in (extra or {}).items():
            zf.writestr(name, text)
    return path


def valid_xlsx(path: Path) -> Path:
    return raw_xlsx(path, SHEET_HEAD + header_rows() + SHEET_TAIL)


def doctype_after_long_comment(path: Path) -> Path:
    """The DOCTYPE hidden behind 5 KB of comment, past the first read of the prolog."""
    padding = "<!--" + "x" * 5000 + "-->"
    xml = SHEET_HEAD.replace("\n", "\n" + padding + '<!DOCTYPE a [<!ENTITY b "c">]>\n', 1)
    return raw_xlsx(path, xml + header_rows() + SHEET_TAIL)


def billion_laughs(path: Path, part: str = "sheet") -> Path:
    """Entity expansion inside the sheet XML (or the shared strings)."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">' for i in range(1, 10)
    )
    doctype = f"<!DOCTYPE lolz [{entities}]>"
    if part == "sheet":
        xml = (
            SHEET_HEAD.replace("\n", "\n" + doctype + "\n", 1)
            + header_rows()
            + '<row r="9"><c r="A9" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
            + SHEET_TAIL
        )
        return raw_xlsx(path, xml)
    shared = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + doctype
        + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    xml = SHEET_HEAD + header_rows() + '<row r="9"><c r="A9" t="s"><v>0</v></c></row>' + SHEET_TAIL
    return raw_xlsx(path, xml, {"xl/sharedStrings.xml": shared})


def million_empty_rows(path: Path, rows: int = 1_000_000) -> Path:
    """An area sheet with two actions, then a million empty formatted rows."""
    body = "".join(
        f'<row r="{r}" s="1" customFormat="1"><c r="A{r}" s="1"/><c r="B{r}" s="1"/></row>'
        for r in range(4, 4 + rows)
    )
    data = [
        ["Barn", "Orsak ett", "Åtgärd ett", "Mål", "2025", "Polis", ""],
        ["Barn", "Orsak två", "Åtgärd två", "Mål", "2025", "Polis", ""],
    ]
    return raw_xlsx(path, SHEET_HEAD + header_rows(data) + body + SHEET_TAIL)


def _zip_entry(name: str, raw: bytes, crc: int, usize: int, offset: int) -> tuple[bytes, bytes]:
    n = name.encode()
    local = (
        struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(raw), usize, len(n), 0) + n
    )
    central = (
        struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            len(raw),
            usize,
            len(n),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        + n
    )
    return local + raw, central


def decompression_bomb(path: Path, gib: int = 2) -> Path:
    """A valid xlsx of a few MB whose sheet XML unpacks to ``gib`` GiB of spaces.

    The headers are honest; the deflate stream repeats one fully flushed block.
    """
    chunk = b" " * (1 << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    count = gib * 1024
    head = SHEET_HEAD.encode()
    tail = (header_rows() + SHEET_TAIL).encode()
    c2 = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c2.compress(head) + c2.flush(zlib.Z_FULL_FLUSH)
    c3 = zlib.compressobj(9, zlib.DEFLATED, -15)
    last = c3.compress(tail) + c3.flush()
    raw = first + block * count + last
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    usize = len(head) + len(chunk) * count + len(tail)
    entries = [
        ("[Content_Types].xml", CONTENT_TYPES.encode()),
        ("_rels/.rels", ROOT_RELS.encode()),
        ("xl/workbook.xml", WORKBOOK.encode()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.encode()),
        ("xl/styles.xml", STYLES.encode()),
    ]
    body = b""
    centrals = b""
    for name, data in entries:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        rawd = c.compress(data) + c.flush()
        local, central = _zip_entry(name, rawd, zlib.crc32(data), len(data), len(body))
        body += local
        centrals += central
    if usize >= 1 << 32:
        raise ValueError("keep the bomb under 4 GiB (no zip64 here)")
    local, central = _zip_entry("xl/worksheets/sheet1.xml", raw, crc, usize, len(body))
    body += local
    centrals += central
    end = struct.pack(
        "<IHHHHIIH",
        0x06054B50,
        0,
        0,
        len(entries) + 1,
        len(entries) + 1,
        len(centrals),
        len(body),
        0,
    )
    path.write_bytes(body + centrals + end)
    return path


def zip_without_workbook(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "not a workbook")
    return path


def truncated(path: Path, source: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def dense_cells(path: Path, mib: int = 80) -> Path:
    """A real workbook of ``mib`` MiB of sheet XML (ten filled cells a row) that packs
    to a few MB: harmless to unzip, but reading it takes about three times that in
    memory. Not a bomb by the command line's limit; too much for a shared server."""
    cells = "".join(f'<c r="{chr(65 + c)}{{r}}" t="s"><v>0</v></c>' for c in range(10))
    row = f'<row r="{{r}}">{cells}</row>'
    parts, size, r = [], 0, 0
    while size < mib * 1024 * 1024:
        r += 1
        parts.append(row.format(r=r))
        size += len(parts[-1])
    rows = "".join(parts)
    strings = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="1"><si><t>x</t></si></sst>'
    )
    return raw_xlsx(path, SHEET_HEAD + rows + SHEET_TAIL, extra={"xl/sharedStrings.xml": strings})


def forged_sizes(path: Path, source: Path, part: str) -> Path:
    """``source`` with ``part``'s unpacked size halved in the zip's directory and local
    header: the parser finds the part larger than declared (a forged directory)."""
    import io

    raw = bytearray(source.read_bytes())
    real = zipfile.ZipFile(io.BytesIO(bytes(raw))).getinfo(part).file_size
    name = part.encode()
    # (signature, offset of the unpacked size, of the name's length, of the name)
    for signature, size_at, length_at, name_at in (
        (b"PK\x01\x02", 24, 28, 46),
        (b"PK\x03\x04", 22, 26, 30),
    ):
        pos = raw.find(signature)
        while pos != -1:
            n = int.from_bytes(raw[pos + length_at : pos + length_at + 2], "little")
            if bytes(raw[pos + name_at : pos + name_at + n]) == name:
                raw[pos + size_at : pos + size_at + 4] = (real // 2).to_bytes(4, "little")
            pos = raw.find(signature, pos + 4)
    path.write_bytes(bytes(raw))
    return path
