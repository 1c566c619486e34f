"""The text of a cell as users get it back: every kind of value a spreadsheet holds,
line ends, folding for matching, file-name slugs, years, cell references (#13)."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest

from converter.text import (
    column_letter,
    fold,
    has_xml_illegal,
    normalise,
    normalise_column,
    quote_sheet,
    slug,
    xml_safe,
    years_in,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("", ""),
        (True, "SANT"),  # Swedish Excel's words for a boolean cell
        (False, "FALSKT"),
        (7, "7"),
        (7.0, "7"),
        (2.5, "2.5"),
        (-0.125, "-0.125"),
        (dt.datetime(2025, 3, 1), "2025-03-01"),
        (dt.datetime(2025, 3, 1, 0, 0, 30), "2025-03-01 00:00:30"),
        (dt.datetime(2025, 3, 1, 9, 0), "2025-03-01 09:00:00"),
        (dt.datetime(2025, 3, 1, 0, 1), "2025-03-01 00:01:00"),
        (dt.date(2025, 12, 31), "2025-12-31"),
        (dt.time(13, 45), "13:45:00"),
        (dt.timedelta(hours=26), "1 day, 2:00:00"),
        (decimal.Decimal("3.50"), "3.50"),  # anything else: its text, normalised
        ("  Belysning\r\nvid skolan\rkvällstid  ", "Belysning\nvid skolan\nkvällstid"),
        ("\r", ""),
        ("a\r\rb", "a\n\nb"),
        ("Trygg\xa0skolväg", "Trygg skolväg"),
        ("Ska\u030angs", "Skångs"),  # NFD from a Mac becomes NFC
        ("  inre  mellanrum  ", "inre  mellanrum"),
    ],
)
def test_normalise(value: object, text: str) -> None:
    assert normalise(value) == text


def test_normalise_of_an_object_uses_its_text() -> None:
    class Cell:
        def __str__(self) -> str:
            return " Polis\r\n"

    assert normalise(Cell()) == "Polis"


def test_normalise_column_is_normalise_for_every_kind_of_column() -> None:
    clean = ["  Polis ", "Skola", ""]
    assert normalise_column(clean) == ["Polis", "Skola", ""]
    messy = ["a\r\nb", "c\rd", "e\xa0f", "Ska\u030angs", " g "]
    assert normalise_column(messy) == [normalise(v) for v in messy]
    mixed = ["x", None, 3.0, True]
    assert normalise_column(mixed) == ["x", "", "3", "SANT"]
    # One lone CR among clean cells still turns every CR into a line feed.
    assert normalise_column(["Polis", "a\rb"]) == ["Polis", "a\nb"]
    # Greek and Cyrillic (not Latin-1) go through the NFC check.
    assert normalise_column(["Ω", "Ж\u0301"]) == ["Ω", "Ж\u0301"]


def test_fold_ignores_case_accents_punctuation_and_space_but_not_digits() -> None:
    assert fold("OPERATIVA MÅL") == fold("Operativa mål:") == fold(" operativa  mal ")
    assert fold("Operativa mål") == "operativamal"
    assert fold("Uppföljning 2025") == "uppfoljning2025"
    assert fold("") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Norra innerstaden", "norra-innerstaden"),
        ("  Hägersten–Älvsjö! ", "hägersten-älvsjö"),  # å, ä, ö kept, file names too
        ("-Järva-", "järva"),
        ("Sko\u0308vde_2", "skövde-2"),  # NFD (macOS) becomes NFC
        ("", ""),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_xml_illegal_characters() -> None:
    assert has_xml_illegal("a\x01b") and has_xml_illegal("\ufffe")
    assert not has_xml_illegal("tab\tand\nline")
    assert xml_safe("a\x01b\x1fc") == "a\ufffdb\ufffdc"
    assert xml_safe("tab\tand\nline") == "tab\tand\nline"


def test_years_in() -> None:
    assert years_in("Under 2025, klart 2026") == [2025, 2026]
    assert years_in("Löpande; 12025 och 2100 är inga år, 1999 är det") == [1999]


def test_cell_references() -> None:
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
    assert quote_sheet("Kvinnors frid") == "'Kvinnors frid'"
    assert quote_sheet("Kvinnor's frid") == "'Kvinnor''s frid'"
