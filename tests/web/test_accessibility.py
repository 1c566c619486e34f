"""WCAG 2.1 AA in a real browser (issue #21): the page, the statement and the reports.

Every page a user meets is checked three ways in headless Chromium:

- axe-core 4.x (installed from the npm registry by ``.ci/run``, never copied here)
  finds no violation of wcag2a, wcag2aa, wcag21a, wcag21aa or best-practice;
- at 320 CSS px (1,280 px at 400 % zoom, success criterion 1.4.10) the page does
  not scroll sideways: ``scrollWidth`` ≤ the window's width;
- every element that takes the focus shows a ring of 3:1 or more against what is
  behind it (1.4.11), walked with the Tab key.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, make_folder
from serving import Server, upload_in_browser, wait_for
from serving import server as server  # noqa: F401  (the module's server, a fixture)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
NARROW = 320


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script: $ATGARDSPLAN_AXE, or node_modules/axe-core as .ci/run puts it."""
    path = Path(
        os.environ.get("ATGARDSPLAN_AXE") or ROOT / "node_modules" / "axe-core" / "axe.min.js"
    )
    if not path.is_file():
        message = (
            f"axe-core is not installed ({path}): "
            "npm install --prefix . --no-save --no-package-lock axe-core@4"
        )
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing tool is a failure, not a skip
        pytest.skip(message)
    return path.read_text(encoding="utf-8")


def violations(browser: Any, axe: str) -> list[str]:
    """axe-core's violations on the page now shown, one line each with its nodes."""
    browser.execute_script(axe)
    version = browser.execute_script("return axe.version")
    assert version.startswith("4."), version
    found = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => [v.id, v.help,"
        " v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' ' + n.html.slice(0, 120))])))"
        ".catch(e => done([['axe-failed', String(e), []]]));",
        TAGS,
    )
    return [f"{rule}: {text} {nodes}" for rule, text, nodes in found]


def too_wide(browser: Any) -> list[str]:
    """What scrolls sideways at 320 CSS px: the page's width, and the widest elements
    that stick out (none, when the page reflows)."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": NARROW, "height": 800, "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        return browser.execute_script(
            "const w = window.innerWidth;"
            "if (document.documentElement.scrollWidth <= w) return [];"
            "const out = [`page ${document.documentElement.scrollWidth} > ${w}`];"
            "for (const e of document.querySelectorAll('body *')) {"
            "  const r = e.getBoundingClientRect();"
            "  if (r.right > w + 1 && !e.closest('.scroll')) out.push(e.tagName + '.' + e.className"
            "    + ' ' + Math.round(r.right));"
            "}"
            "return out.slice(0, 8);"
        )
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def repeated_ids(browser: Any) -> list[str]:
    """Ids that the page holds more than once (the charts' SVG included)."""
    return browser.execute_script(
        "const seen = {};"
        "for (const e of document.querySelectorAll('[id]')) seen[e.id] = (seen[e.id] || 0) + 1;"
        "return Object.keys(seen).filter(k => seen[k] > 1);"
    )


def assert_accessible(browser: Any, axe: str, tmp_path: Path, name: str) -> None:
    found = violations(browser, axe)
    wide = too_wide(browser)
    assert repeated_ids(browser) == []
    folder = os.environ.get("ATGARDSPLAN_SCREENSHOTS")
    if folder:  # as a phone, or a screen at 400 %, shows it
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": NARROW, "height": 1600, "deviceScaleFactor": 1, "mobile": False},
        )
        browser.save_screenshot(str(Path(folder, f"a11y-{name}-320.png")))
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert found == [], "\n".join(found)
    assert wide == [], wide


# -- the pages of `serve` ----------------------------------------------------------------


def open_start(browser: Any, server: Server, tmp_path: Path) -> None:
    browser.get(server.url)


def open_example(browser: Any, server: Server, tmp_path: Path) -> None:
    upload_in_browser(browser, server, EXAMPLE)


def open_city(browser: Any, server: Server, tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "inkorg")
    upload_in_browser(browser, server, *sorted(p for p in folder.iterdir() if p.is_file()))


def open_broken(browser: Any, server: Server, tmp_path: Path) -> None:
    broken = tmp_path / "trasig.xlsx"
    broken.write_bytes(b"PK\x03\x04" + bytes(200))
    upload_in_browser(browser, server, broken)


def open_template_error(browser: Any, server: Server, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url)
    year = browser.find_element(By.ID, "ar")
    browser.execute_script("arguments[0].removeAttribute('min'); arguments[0].value = '1999'", year)
    browser.find_element(By.CSS_SELECTOR, "form.template button").click()
    wait_for(lambda: browser.find_elements(By.ID, "fel-rubrik"))


def open_not_found(browser: Any, server: Server, tmp_path: Path) -> None:
    browser.get(server.url + "finns-inte")


def open_statement(browser: Any, server: Server, tmp_path: Path) -> None:
    browser.get(server.url + "tillganglighet")


PAGES: dict[str, Callable[[Any, Server, Path], None]] = {
    "start": open_start,
    "example": open_example,
    "city": open_city,
    "broken": open_broken,
    "template-error": open_template_error,
    "not-found": open_not_found,
    "statement": open_statement,
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_violations_and_reflows(
    browser: Any, server: Server, axe_source: str, tmp_path: Path, name: str
) -> None:
    PAGES[name](browser, server, tmp_path)
    assert_accessible(browser, axe_source, tmp_path, name)


# -- the reports, opened as the files they are ----------------------------------------------


def atgardsplan(*args: str | Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "converter", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode in (0, 1), proc.stderr


def make_report(tmp_path: Path) -> Path:
    atgardsplan("report", EXAMPLE, "-o", tmp_path / "rapport.html")
    return tmp_path / "rapport.html"


def make_city_report(tmp_path: Path) -> Path:
    folder = make_folder(tmp_path / "inkorg")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "converter",
            "report",
            str(folder),
            "-o",
            str(tmp_path / "stad.html"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (tmp_path / "stad.html").is_file(), proc.stderr
    return tmp_path / "stad.html"


def make_diff(tmp_path: Path) -> Path:
    new = tmp_path / "Åtgärdsplan 2026 Norra innerstaden.xlsx"
    atgardsplan("next-year", EXAMPLE, "-o", new)
    atgardsplan("diff", EXAMPLE, new, "-o", tmp_path / "skillnad.html")
    return tmp_path / "skillnad.html"


REPORTS: dict[str, Callable[[Path], Path]] = {
    "report": make_report,
    "city-report": make_city_report,
    "diff": make_diff,
}


@pytest.mark.parametrize("name", list(REPORTS))
def test_report_has_no_violations_and_reflows(
    browser: Any, axe_source: str, tmp_path: Path, name: str
) -> None:
    path = REPORTS[name](tmp_path)
    browser.get(path.as_uri())
    assert_accessible(browser, axe_source, tmp_path, name)
    footer = browser.execute_script("return document.querySelector('footer').textContent")
    assert "Sidan är gjord för att följa WCAG 2.1 nivå AA" in footer  # how it was made


#: The ring around the focused element: its style, width and colour, and the colour
#: behind it (the first opaque background of its parent and up), with their contrast.
FOCUS_RING = """
const e = document.activeElement;
if (!e || e === document.body) return null;
const style = getComputedStyle(e);
function rgb(text) { return (text.match(/[\\d.]+/g) || []).map(Number); }
function lum(c) {
  const [r, g, b] = c.slice(0, 3).map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
let back = [255, 255, 255];
for (let p = e.parentElement; p; p = p.parentElement) {
  const c = rgb(getComputedStyle(p).backgroundColor);
  if (c.length === 3 || (c.length === 4 && c[3] > 0)) { back = c; break; }
}
const ring = rgb(style.outlineColor);
const [hi, lo] = [lum(ring), lum(back)].sort((a, b) => b - a);
return {name: e.id || e.getAttribute('href') || e.tagName + ' ' + e.textContent.trim().slice(0, 30),
        style: style.outlineStyle, width: parseFloat(style.outlineWidth),
        contrast: (hi + 0.05) / (lo + 0.05)};
"""


def walk(browser: Any, limit: int = 250) -> list[dict[str, Any]]:
    """Tab through the page from its top until the focus comes round again: each stop."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        ring = browser.execute_script(FOCUS_RING)
        if ring is None or (stops and ring["name"] == stops[0]["name"]):
            break
        stops.append(ring)
    return stops


def weak_rings(stops: list[dict[str, Any]]) -> list[str]:
    return [
        f"{s['name']}: {s['style']} {s['width']}px {s['contrast']:.2f}:1"
        for s in stops
        if s["style"] == "none" or s["width"] < 2 or s["contrast"] < 3
    ]


def test_keyboard_alone_uploads_and_every_stop_shows_its_focus(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    """The upload by keys (the file chosen at the file field, as a keyboard user does
    in the system's dialog), then every stop of the start page and the results: a ring
    of 3:1 or more (WCAG 1.4.11, 2.4.7)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(server.url)
    start = walk(browser)
    assert [s["name"] for s in start[:4]] == ["#innehall", "/", "arbetsbocker", "BUTTON Granska"]
    assert start[-1]["name"] == "/tillganglighet"
    assert weak_rings(start) == []
    browser.get(server.url)
    ActionChains(browser).send_keys(Keys.TAB * 3).perform()
    field = browser.switch_to.active_element
    assert field.get_attribute("id") == "arbetsbocker"
    field.send_keys(str(EXAMPLE))
    ActionChains(browser).send_keys(Keys.TAB).send_keys(Keys.ENTER).perform()
    wait_for(lambda: browser.find_elements(By.ID, "resultat"))
    results = walk(browser)
    names = [s["name"] for s in results]
    assert sum(1 for n in names if n.startswith("/hamta/")) == 7  # every download
    assert weak_rings(results) == []
    # The tables that scroll are stops of their own: the keyboard scrolls them.
    assert any(n.startswith("DIV") for n in names)


def test_axe_finds_what_it_should(browser: Any, axe_source: str, tmp_path: Path) -> None:
    """The check itself can fail: a page with the faults of issue #21 is caught."""
    page = tmp_path / "fel.html"
    page.write_text(
        '<!DOCTYPE html><html lang="sv"><head><title>Fel</title></head><body><main>'
        '<p style="color:#C55A11">(arbetsboken: 1)</p>'
        '<div style="width:600px">bred</div></main></body></html>',
        encoding="utf-8",
    )
    browser.get(page.as_uri())
    assert any(v.startswith("color-contrast") for v in violations(browser, axe_source))
    wide = too_wide(browser)
    assert wide[0].startswith("page 6") and any(w.startswith("DIV.") for w in wide)
    # And a ring of too little contrast: the old #FFBF47 on white, 1.6:1.
    page.write_text(
        '<!DOCTYPE html><html lang="sv"><head><title>Ring</title>'
        "<style>a:focus { outline: 3px solid #FFBF47 }</style></head>"
        '<body><main><a href="#a">a</a></main></body></html>',
        encoding="utf-8",
    )
    browser.get(page.as_uri())
    assert weak_rings(walk(browser)) == ["#a: solid 3px 1.64:1"]
