"""District and year as files really arrive (issue #8): names matched against the spec's
list by folding, police areas split off titles, Swedish order, the year as a last resort
from the timeframes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import SPEC, TITLES, action, standard_workbook, write_area

from converter import read_plan
from converter.districts import swedish_sort_key

NAMING = SPEC.naming


@pytest.mark.parametrize(
    ("stem", "year", "district"),
    [
        ("Kopia av Åtgärdsplan 2025 - Enskede-Årsta-Vantör", 2025, "Enskede-Årsta-Vantör"),
        ("atgardsplan_2025_skarholmen_slutlig", 2025, "Skärholmen"),
        ("Åtgärdsplan Kungsholmen 2025 (1)", 2025, "Kungsholmen"),
        ("ÅP 2025 Jarva v2", 2025, "Järva"),
        ("atgardsplan-2025-norra-innerstaden", 2025, "Norra innerstaden"),
        ("ATGARDSPLAN 2024 HAGERSTEN ALVSJO final", 2024, "Hägersten-Älvsjö"),
        ("Åtgärdsplan 2019 Älvsjö", 2019, "Älvsjö"),  # a former district stays itself
        ("Åtgärdsplan 2022 Rinkeby-Kista", 2022, "Rinkeby-Kista"),
        ("plan2025sodermalm", 2025, "Södermalm"),
        ("Kopia av ÅP 2025 - Lidingö stad (2)_final v2", 2025, "Lidingö stad"),
        ("Åtgärdsplan 2025 Upplands-Väsby", 2025, "Upplands-Väsby"),  # hyphens kept
        ("atgardsplan-2025-lidingo-stad", 2025, "Lidingo stad"),
        ("trasig", None, None),
        ("plan utan år", None, None),
    ],
)
def test_district_from_file_names_as_they_arrive(stem: str, year: int | None, district) -> None:
    assert NAMING.from_file_name(stem) == (year, district)


def test_longest_name_wins_and_genitive_is_understood() -> None:
    assert NAMING.match("Hägersten-Älvsjö").name == "Hägersten-Älvsjö"
    assert NAMING.match("Hägersten-Liljeholmen 2019").name == "Hägersten-Liljeholmen"
    assert NAMING.canonical("Norra innerstadens stadsdelsförvaltning") == "Norra innerstaden"
    assert NAMING.canonical("NORRA INNERSTADEN") == "Norra innerstaden"
    assert NAMING.canonical("Vaxholm") == "Vaxholm"


def test_police_area_is_split_off() -> None:
    assert NAMING.split_police_area("Norra innerstaden och lokalpolisområde Norrmalm") == (
        "Norra innerstaden",
        "Norrmalm",
    )
    assert NAMING.split_police_area("Järva – LPO Rinkeby") == ("Järva", "Rinkeby")
    assert NAMING.split_police_area("Bromma") == ("Bromma", None)


def test_title_with_police_area_gives_the_district(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Försättsblad"
    cover["A1"] = "Åtgärdsplan 2025 – Norra innerstaden och lokalpolisområde Norrmalm"
    write_area(wb.create_sheet("Unga"), TITLES[0], [action(1)])
    wb.save(tmp_path / "plan.xlsx")
    plan = read_plan(tmp_path / "plan.xlsx")
    assert (plan.meta.year, plan.meta.district) == (2025, "Norra innerstaden")
    assert plan.meta.police_area == "Norrmalm"


def test_properties_come_before_the_file_name(tmp_path: Path) -> None:
    path = standard_workbook(tmp_path / "Åtgärdsplan 2024 Bromma.xlsx", {0: [action(1)]})
    wb = openpyxl.load_workbook(path)
    wb.properties.title = "Åtgärdsplan 2025 – farsta"
    wb.save(path)
    plan = read_plan(path)
    assert (plan.meta.year, plan.meta.district) == (2025, "Farsta")


def test_year_from_the_timeframes_as_a_last_resort(tmp_path: Path) -> None:
    rows = [
        action(1, timeframe="Under 2025"),
        action(2, timeframe="Vt 2025"),
        action(3, timeframe="Ht 2024"),
        action(4, timeframe="Linjearbete"),
    ]
    path = standard_workbook(tmp_path / "Bromma.xlsx", {0: rows})
    plan = read_plan(path)
    assert plan.meta.year == 2025 and plan.meta.district == "Bromma"
    assert plan.meta.notes == (
        "the plan's year 2025 was taken from the timeframes (named in 2 of 4 actions); "
        "no property, title or file name gives it",
    )
    assert read_plan(path, default_year=2030).meta.year == 2030  # an option beats a guess
    assert read_plan(path, default_year=2030).meta.notes == ()


def test_swedish_alphabetical_order() -> None:
    shuffled = [
        "Södermalm",
        "Järva",
        "Skärholmen",
        "Bromma",
        "Hässelby-Vällingby",
        "Skarpnäck",
        "Norra innerstaden",
        "Hägersten-Älvsjö",
        "Kungsholmen",
        "Farsta",
        "Enskede-Årsta-Vantör",
    ]
    assert sorted(shuffled, key=swedish_sort_key) == list(NAMING.current)
    assert sorted(["Östermalm", "Zinkensdamm", "Älvsjö", "Årsta"], key=swedish_sort_key) == [
        "Zinkensdamm",
        "Årsta",
        "Älvsjö",
        "Östermalm",
    ]


def test_names_as_people_write_them_at_the_edges() -> None:
    """Short names in the genitive, names run together, a police area after a colon,
    underscores and hyphens in names not on the list (#13)."""
    assert NAMING.canonical("Järvas stadsdelsförvaltning") == "Järva"  # 5 letters
    assert NAMING.canonical("atgardsplanbromma2025") == "Bromma"  # 6 letters, run together
    assert NAMING.match("atgardsplanjarv2025") is None
    assert NAMING.canonical("atgardsplan_norrainnerstaden2025") == "Norra innerstaden"
    assert NAMING.split_police_area("Norra innerstaden – lokalpolisområde: Norrmalm") == (
        "Norra innerstaden",
        "Norrmalm",
    )
    assert NAMING.from_file_name("Åtgärdsplan_2025_Lidingö_stad") == (2025, "Lidingö stad")
    assert NAMING.from_file_name("åtgärdsplan 2025 upplands-väsby kommun") == (
        2025,
        "Upplands-väsby kommun",
    )
    assert NAMING.from_file_name("Åtgärdsplan 2025 Danderyd (utkast från Anna)") == (
        2025,
        "Danderyd",
    )


def _with_properties(path: Path, custom: dict[str, str], title: str | None = None) -> Path:
    from openpyxl.packaging.custom import StringProperty

    wb = openpyxl.load_workbook(path)
    for name, value in custom.items():
        wb.custom_doc_props.append(StringProperty(name=name, value=value))
    if title is not None:
        wb.properties.title = title
    wb.save(path)
    return path


@pytest.fixture
def other_spec(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Another municipality's spec, whose own property names differ from the usual ones."""
    from converter import load_spec

    text = SPEC.path.read_text(encoding="utf-8")
    text = text.replace('year_property = "År"', 'year_property = "Planår"')
    text = text.replace(
        'district_property = "Stadsdelsförvaltning"', 'district_property = "Förvaltning"'
    )
    (tmp_path / "annan.toml").write_text(text, encoding="utf-8")
    return load_spec(tmp_path / "annan.toml")


@pytest.mark.parametrize(
    ("custom", "title", "expected"),
    [
        ({"Year": "2023"}, None, (2023, "Bromma", None)),  # file name gives the district
        ({"District": "Farsta"}, None, (2025, "Farsta", None)),  # and the year
        ({"Year": "2023"}, "Åtgärdsplan 2024 – Farsta", (2023, "Farsta", None)),
        ({}, "Åtgärdsplan 2024 – farsta och lokalpolisområde Farsta", (2024, "Farsta", "Farsta")),
        ({}, None, (2025, "Bromma", None)),
    ],
)
def test_where_year_and_district_come_from(
    tmp_path: Path, custom: dict[str, str], title: str | None, expected: tuple[object, ...]
) -> None:
    """Properties first (the spec's own names, then Year/År and District/
    Stadsdelsförvaltning), then the title, then the file name: each fills only what the
    ones before left open (#13)."""
    path = standard_workbook(tmp_path / "Åtgärdsplan 2025 Bromma.xlsx", {0: [action(1)]})
    meta = read_plan(_with_properties(path, custom, title)).meta
    assert (meta.year, meta.district, meta.police_area) == expected


def test_the_usual_property_names_work_beside_another_spec(tmp_path: Path, other_spec) -> None:
    path = standard_workbook(tmp_path / "plan.xlsx", {0: [action(1)]})
    _with_properties(path, {"År": "2022", "Stadsdelsförvaltning": "Järva och LPO Rinkeby"})
    meta = read_plan(path, other_spec).meta
    assert (meta.year, meta.district, meta.police_area) == (2022, "Järva", "Rinkeby")
    _with_properties(path, {"Planår": "2021", "Förvaltning": "Skärholmen"})
    meta = read_plan(path, other_spec).meta
    assert (meta.year, meta.district) == (2021, "Skärholmen")


def test_no_district_anywhere_is_none(tmp_path: Path) -> None:
    path = standard_workbook(tmp_path / "plan.xlsx", {0: [action(1)]})
    meta = read_plan(path).meta
    assert meta.district is None and meta.police_area is None
    assert read_plan(path, district="Farsta").meta.district == "Farsta"


def test_year_from_timeframes_prefers_the_later_year_on_a_tie() -> None:
    from converter.reading.reader import year_from_timeframes

    year, note = year_from_timeframes(["Under 2024", "Under 2025", "Löpande"])
    assert year == 2025
    assert note == (
        "the plan's year 2025 was taken from the timeframes (named in 1 of 3 actions); "
        "no property, title or file name gives it"
    )
