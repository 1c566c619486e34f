"""The report management reads (issue #9): content, escaping, templates, the command,
and real rendering and printing in headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLE, SPEC, TITLES, Page, action, make_folder, transcription

from converter import plan_from_records, read_plan
from converter.documents.report import chart_svg, render_plan_report
from converter.documents.templating import TEMPLATES


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def example_html() -> str:
    return render_plan_report(read_plan(EXAMPLE))


def test_plan_report_content(example_html: str) -> None:
    page = Page(example_html)
    assert example_html.startswith('<!DOCTYPE html>\n<html lang="sv">')
    assert "<title>Åtgärdsplan 2025 – Norra innerstaden</title>" in example_html
    assert page.headings[0] == (1, "Åtgärdsplan 2025 – Norra innerstaden")
    h2 = [text for level, text in page.headings if level == 2]
    assert h2 == [
        "Sammanställning",
        "Uppföljning per område",
        *TITLES,
        "Kvalitet enligt Brås arbetssätt",
        "Att se över",
    ]
    assert "2 av 22 mål anger ett mått." in page.plain
    assert "till exempel: ”Minst 80 % av eleverna" in page.plain
    assert "22 av 22 åtgärder är uppföljda (100 %)." in page.plain
    plain = page.plain
    for area in transcription()["areas"]:
        for row in area["rows"]:
            for key in ("action", "goal", "timeframe", "responsible", "follow_up"):
                assert words(row[key]) in plain, row[key][:40]
    # Each problem and cause once, as people read it, not once per action.
    problems = [t for level, t in page.headings if level == 3]
    assert problems.count("Problem: Barn och unga") == 1
    assert len(problems) == len(set(problems))
    # The corrected figures, and what the stale summary said.
    assert (
        "Arbetsbokens egen sammanställning var inaktuell: den angav Unga i riskzon för destruktivt beteende: 1 / 1 / 1."
        in plain
    )
    # The check's findings in Swedish, with their cells.
    assert "'Sammanställning'!B4" in plain
    assert "Unga i riskzon för destruktivt beteende: Antal problem anger 1, bladet har 3." in plain
    assert "Tiden nämner" not in plain  # no timeframe names another year than 2025


def test_headings_are_in_order(example_html: str) -> None:
    levels = [level for level, _ in Page(example_html).headings]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))


def test_nothing_is_fetched_and_no_script(example_html: str) -> None:
    page = Page(example_html)
    assert "script" not in page.tags
    links = [v for k, v in page.attrs if k in ("src", "href", "xlink:href")]
    assert all(v and v.startswith("#") for v in links)  # only links within the page
    assert "default-src 'none'" in example_html  # the CSP forbids any script or fetch
    assert "@import" not in example_html
    assert re.findall(r"url\((?!#)", example_html) == []  # only the charts' own clip paths


def test_chart_is_identical_from_run_to_run_and_has_a_text_alternative() -> None:
    args = (["A", "B"], {"Antal": [1, 2]})
    first = chart_svg(*args, title="T", alt="Diagram: A 1, B 2", salt="x")
    assert first == chart_svg(*args, title="T", alt="Diagram: A 1, B 2", salt="x")
    assert first.startswith('<svg role="img" aria-label="Diagram: A 1, B 2"')
    assert "<text" in first or "font" in first  # text stays text (svg.fonttype none)
    other = render_plan_report(read_plan(EXAMPLE))
    assert other == render_plan_report(read_plan(EXAMPLE))


def test_line_breaks_and_extra_columns_are_shown(tmp_path: Path) -> None:
    rows = [
        {"area": TITLES[4], **action(1, action="Rad ett\nRad två"), "Prioritet": "Pågår"},
        {"area": TITLES[4], **action(2, problem="", cause=""), "Prioritet": ""},
    ]
    html = render_plan_report(plan_from_records(rows, year=2025, district="Farsta"))
    assert "<td>Rad ett\nRad två</td>" in html
    assert "white-space: pre-line" in html
    page = Page(html)
    assert "Prioritet" in [t for t in page.text if t.strip()]
    assert "Pågår" in page.text
    # The blank problem and cause of the second action belong to the first's.
    problems = [t for level, t in page.headings if level == 3]
    assert problems == ["Problem: Problem 1"]


HOSTILE = {
    "problem": "<script>alert('x')</script>",
    "cause": "{{ 7*7 }} {% raw %} ${7*7}",
    "action": '<a href="javascript:alert(1)">klicka</a>',
    "goal": "javascript:alert(2)",
    "follow_up": "</td></tr></table><img src=x onerror=alert(3)>",
}


def test_hostile_cell_text_comes_out_as_text() -> None:
    district = '"; } body { display: none } </style><script>alert(4)</script>'
    plan = plan_from_records(
        [{"area": TITLES[0], **action(1, **HOSTILE)}], year=2025, district=district
    )
    html = render_plan_report(plan)
    page = Page(html)
    assert "script" not in page.tags and "img" not in page.tags and "a" not in page.tags
    head = html[: html.index("</head>")]
    assert head.count("</style>") == 1 and "<script" not in html
    assert "\\3C /style\\3E \\3C script\\3E" in head  # escaped inside the CSS string
    assert not [v for k, v in page.attrs if v and "javascript" in v]
    plain = page.plain
    for text in HOSTILE.values():
        assert words(text) in plain  # exactly those characters, shown
    assert "49" not in plain  # {{ 7*7 }} was never rendered as a template
    assert f"Åtgärdsplan 2025 – {district}" in plain


def test_own_templates_restyle_without_python(tmp_path: Path) -> None:
    own = tmp_path / "mina-mallar"
    own.mkdir()
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    (own / "report.css").write_text(
        css + "\nh1 { color: #7A0019; } /* egen stil */\n", encoding="utf-8"
    )
    plan_part = (TEMPLATES / "_plan_sections.html.j2").read_text(encoding="utf-8")
    (own / "_plan_sections.html.j2").write_text(
        plan_part.replace("{{ t.no_actions }}", "Här finns inget ännu."), encoding="utf-8"
    )
    html = render_plan_report(read_plan(EXAMPLE), template_dir=own)
    assert "/* egen stil */" in html
    assert "Här finns inget ännu." in html  # Systemhotande brottslighet has no actions
    assert "Åtgärdsplan 2025 – Norra innerstaden" in html  # the rest still bundled


# -- the command -------------------------------------------------------------------------


def test_report_command(tmp_path: Path, run_cli, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("report", EXAMPLE)
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "atgardsplan-2025-norra-innerstaden-rapport.html"
    assert result.stdout.strip() == f"wrote {out.name}"
    assert out.read_text(encoding="utf-8") == render_plan_report(read_plan(EXAMPLE))
    again = run_cli("report", EXAMPLE)
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert run_cli("report", EXAMPLE, "--force", "-o", tmp_path / "r.html").exit_code == 0


def test_pdf_without_a_browser_is_one_line(tmp_path: Path, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("ATGARDSPLAN_CHROMIUM", str(tmp_path / "ingen-chromium"))
    result = run_cli("report", EXAMPLE, "-o", tmp_path / "r.html", "--pdf")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'r.pdf'}: --pdf needs Chromium or Chrome: apt-get install "
        "chromium (or set ATGARDSPLAN_CHROMIUM to a Chrome or Chromium executable)"
    ]
    assert not (tmp_path / "r.html").exists()  # nothing written


@pytest.mark.slow  # a second or more: not in the quick loop
def test_city_report(tmp_path: Path, run_cli) -> None:
    folder = make_folder(tmp_path / "inkorg")
    out = tmp_path / "stad.html"
    result = run_cli("report", folder, "-o", out)
    assert result.exit_code == 2  # the broken file
    assert result.stderr.strip().splitlines()[-2:] == [
        "5 reported, 1 failed",
        f"error: {folder / 'trasig.xlsx'}: truncated or corrupt workbook (File is not a zip file)",
    ]
    page = Page(out.read_text(encoding="utf-8"))
    assert page.headings[0] == (1, "Åtgärdsplaner 2025 – alla stadsdelar")
    h2 = [t for level, t in page.headings if level == 2]
    assert h2[:2] == ["Innehåll", "Sammanställning över prioriterade områden 2025 – hela staden"]
    assert h2[2:7] == [
        "Åtgärdsplan 2025 – Enskede-Årsta-Vantör",
        "Åtgärdsplan 2025 – Järva",
        "Åtgärdsplan 2025 – Norra innerstaden",
        "Åtgärdsplan 2025 – Skärholmen",
        "Åtgärdsplan 2025 – Södermalm",
    ]
    assert h2[-1] == "Filer som inte kunde läsas"
    links = [v for k, v in page.attrs if k == "href"]
    ids = {v for k, v in page.attrs if k == "id"}
    assert links and all(link[1:] in ids for link in links)  # the contents lead somewhere
    assert "Arbetsboken är trasig eller ofullständig" in page.plain  # Swedish, not English
    assert "truncated" not in page.plain and "not a workbook" not in page.plain
    assert "Trafiksäkerhet" in page.plain  # Enskede's own area under its own name
    # The city's follow-up: one row per district, under the city's figures.
    h3 = [t for level, t in page.headings if level == 3]
    assert "Uppföljning per stadsdel 2025" in h3
    assert "Kvalitet enligt Brås arbetssätt 2025 – per stadsdel" in h3
    assert "29 av 29 åtgärder är uppföljda (100 %)." in page.plain
    levels = [level for level, _ in page.headings]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))


# -- in a real browser ---------------------------------------------------------------------


@pytest.mark.browser
def test_report_in_the_browser(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    page = tmp_path / "rapport.html"
    plan = plan_from_records(
        [{"area": TITLES[0], **action(1, **HOSTILE)}, {"area": TITLES[1], **action(2)}],
        year=2025,
        district="Farsta",
    )
    page.write_text(render_plan_report(plan), encoding="utf-8")
    browser.get(page.as_uri())
    assert browser.title == "Åtgärdsplan 2025 – Farsta"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Åtgärdsplan 2025 – Farsta"
    body = browser.find_element(By.TAG_NAME, "body").text
    for text in HOSTILE.values():
        assert words(text) in words(body)
    assert browser.execute_script("return window.__hacked === undefined") is True
    assert browser.find_elements(By.TAG_NAME, "script") == []
    chart = browser.find_element(By.CSS_SELECTOR, "figure.chart svg")
    assert chart.get_attribute("role") == "img" and chart.size["width"] > 300
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    assert errors == []
    shot = tmp_path / "rapport.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 20_000


@pytest.mark.browser
def test_report_prints_to_pdf(chromium, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext missing: apt-get install -y poppler-utils")
    out = tmp_path / "rapport.html"
    result = run_cli("report", EXAMPLE, "-o", out, "--pdf")
    assert result.exit_code == 0, result.stderr
    pdf = tmp_path / "rapport.pdf"
    assert result.stdout.splitlines() == [f"wrote {out}", f"wrote {pdf}"]
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout

    # Table cells break lines anywhere (and hyphenate): compare without spaces or hyphens.
    def squeeze(s: str) -> str:
        return re.sub(r"[\s\-\u00ad]", "", s)

    flat = squeeze(text)
    for title in TITLES:
        assert squeeze(title) in flat
    for area in transcription()["areas"]:
        for row in area["rows"]:
            assert squeeze(row["action"]) in flat, row["action"][:40]
    pages = text.split("\f")
    assert "sida 1 av" in pages[0] and "Åtgärdsplan 2025 – Norra innerstaden" in pages[0]
    assert SPEC.summary.chart_title in pages[0]  # the chart on the first page
    # Accessible as a document (issue #21): tagged, titled, Swedish, with an outline.
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout
    assert "Title:           Åtgärdsplan 2025 – Norra innerstaden" in info.stdout
    assert b"/Lang (sv)" in pdf.read_bytes()
    outline = subprocess.run(
        ["pdftohtml", "-xml", "-i", "-q", "-stdout", str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("<outline>", 1)[1]
    bookmarks = re.findall(r"<item page=\"\d+\">([^<]*)</item>", outline)
    assert bookmarks[:3] == [
        "Åtgärdsplan 2025 – Norra innerstaden",
        "Sammanställning",
        "Uppföljning per område",
    ]
    assert all(title in bookmarks for title in TITLES)
