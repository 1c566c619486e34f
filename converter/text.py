"""Text normalisation of cell values, and folding for matching headers and titles."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import cast

# Characters XML 1.0 cannot hold: C0 controls other than tab, line feed and carriage
# return (CR never survives normalisation), plus U+FFFE/U+FFFF and lone surrogates.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def normalise(value: object) -> str:
    """Return the canonical text of a cell value.

    Unicode NFC, CRLF and CR to LF, non-breaking space to space, outer white space
    stripped; inner text kept exactly. Whole numbers lose ".0", dates become ISO.
    """
    if isinstance(value, str):
        s = value
        if not s:
            return s
        if not s.isascii():
            if not unicodedata.is_normalized("NFC", s):
                s = unicodedata.normalize("NFC", s)
            if "\xa0" in s:
                s = s.replace("\xa0", " ")
        if "\r" in s:
            s = s.replace("\r\n", "\n").replace("\r", "\n")
        return s.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "SANT" if value else "FALSKT"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return normalise(str(value))


_FOLD_DROP = re.compile(r"[\s\W_]+", re.UNICODE)


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Fold text for matching: case, accents, punctuation and white space ignored.

    "OPERATIVA MÅL", "Operativa mål:" and " operativa  mal " all fold to "operativamal".
    Digits are kept, so "Uppföljning 2025" never folds to "Uppföljning".
    """
    s = unicodedata.normalize("NFKD", normalise(text).casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return _FOLD_DROP.sub("", s)


#: The most bytes of UTF-8 in a file name this program makes: well under the 255 bytes
#: of every common file system, with room for what is added to a stem
#: ("-sammanstallning.xlsx"). A name of 130 "Å" is 260 bytes.
MAX_NAME_BYTES = 200


def fit_name(name: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """``name`` cut to ``max_bytes`` bytes of UTF-8 at a character boundary, its
    ending (up to 10 characters after the last dot) kept."""
    if len(name.encode("utf-8")) <= max_bytes:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not (dot and stem and 0 < len(suffix) <= 10):
        stem, suffix = name, ""
    ending = f".{suffix}" if suffix else ""
    room = max_bytes - len(ending.encode("utf-8"))
    cut = stem.encode("utf-8")[:room].decode("utf-8", errors="ignore").rstrip()
    return cut + ending


def slug(text: str) -> str:
    """A file-name-safe slug that keeps its letters: "Hägersten-Älvsjö" ->
    "hägersten-älvsjö" (lower case, NFC; anything but letters and digits a hyphen)."""
    s = unicodedata.normalize("NFC", text.casefold())
    return re.sub(r"[\W_]+", "-", s).strip("-")


def xml_safe(text: str) -> str:
    """Replace characters XML cannot hold with U+FFFD (the documented treatment)."""
    return XML_ILLEGAL.sub(REPLACEMENT, text)


def has_xml_illegal(text: str) -> bool:
    return XML_ILLEGAL.search(text) is not None


YEAR_IN_TEXT = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


def years_in(text: str) -> list[int]:
    """Four-digit years (1900-2099) named in a text."""
    return [int(m) for m in YEAR_IN_TEXT.findall(text)]


def normalise_column(values: Sequence[object]) -> list[str]:
    """``normalise`` over a column, with one check for the common all-clean case."""
    texts = cast(Sequence[str], values)  # proved by the join below, else the careful path
    try:
        joined = "\x00".join(texts)
    except TypeError:  # numbers, dates, None: the careful path
        return [normalise(v) for v in values]
    if "\r" not in joined and "\xa0" not in joined and _is_nfc(joined):
        return list(map(str.strip, texts))
    return [normalise(v) for v in values]


def _is_nfc(text: str) -> bool:
    """NFC check; Latin-1 text (Swedish included) has no combining marks and is NFC."""
    if text.isascii():
        return True
    try:
        text.encode("latin-1")  # a copy of a one-byte string: far cheaper than the check
    except UnicodeEncodeError:
        return unicodedata.is_normalized("NFC", text)
    return True


def column_letter(col: int) -> str:
    """0-based column index to Excel letters: 0 -> A, 26 -> AA."""
    s = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


def quote_sheet(tab: str) -> str:
    """A tab name as Excel quotes it in references: 'Kvinnor''s frid'."""
    return "'" + tab.replace("'", "''") + "'"
