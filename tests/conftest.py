"""Shared builders: workbooks laid out by hand with openpyxl, and LibreOffice headless."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.styles import Alignment, Font, PatternFill

sys.path.insert(0, str(Path(__file__).parent))
# The suite reads the command line's English, whatever the machine's locale (a Swedish
# one would make it Swedish); the tests of the Swedish command line ask for it.
os.environ["ATGARDSPLAN_LANG"] = "en"

from converter import load_spec  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "atgardsplan-2025-norra-innerstaden.xlsx"
EXAMPLE_JSON = ROOT / "examples" / "atgardsplan-2025-norra-innerstaden.json"
SPEC = load_spec()
#: The seven columns of today's workbooks (every test workbook is laid out so unless it
#: passes ``keys``): the optional Status column is added by tests about it.
KEYS = [k for k in SPEC.keys if k != "status"]
ALL_KEYS = list(SPEC.keys)
HEADERS = {c.key: c.header for c in SPEC.columns}
INSTRUCTIONS = {c.key: c.instruction for c in SPEC.columns}
TITLES = [a.title for a in SPEC.areas]


def transcription() -> dict[str, Any]:
    return json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def action(n: int, **over: str) -> dict[str, str]:
    """A plausible action row; ``n`` makes its texts unique."""
    row = {
        "problem": f"Problem {n}",
        "cause": f"Orsak {n}: otrygghet på kvällstid",
        "action": f"Åtgärd {n}: trygghetsvandring med polis och förvaltning",
        "goal": f"Mål {n}: ökad trygghet",
        "timeframe": "Linjearbete",
        "responsible": "Trygghetssamordnare",
        "follow_up": f"Uppföljning {n}: genomfört enligt plan",
    }
    row.update(over)
    return row


def write_area(
    ws: Any,
    title: str,
    rows: Sequence[dict[str, str]],
    *,
    keys: Sequence[str] = tuple(KEYS),
    headers: dict[str, str] | None = None,
    start_row: int = 1,
    instructions: bool = True,
    extras: Sequence[str] = (),
    blank_after: Iterable[int] = (),
) -> int:
    """Lay out an area table as a person would: title as column A's header, the
    instruction row, then the rows. Returns the 1-based row of the first action."""
    names = list(keys) + list(extras)
    heads = {**HEADERS, **(headers or {})}
    for c, name in enumerate(names, start=1):
        text = title if name == "problem" else heads.get(name, name)
        cell = ws.cell(row=start_row, column=c, value=text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    r = start_row + 1
    if instructions:
        for c, name in enumerate(names, start=1):
            if name in INSTRUCTIONS:
                cell = ws.cell(row=r, column=c, value=INSTRUCTIONS[name])
                cell.font = Font(italic=True, size=8, color="808080")
        r += 1
    first = r
    blank = set(blank_after)
    for i, row in enumerate(rows):
        for c, name in enumerate(names, start=1):
            value = row.get(name, "")
            if value != "":
                cell = ws.cell(row=r, column=c, value=value)
                cell.alignment = Alignment(wrap_text=True)
                if isinstance(value, str):
                    cell.data_type = "s"  # text stays text, "=..." included (typed as '=...)
        r += 1
        if i in blank:
            r += 1  # a blank row between entries
    return first


def standard_workbook(
    path: Path,
    rows_by_area: dict[int, Sequence[dict[str, str]]] | None = None,
    *,
    tabs: Sequence[str] | None = None,
    titles: Sequence[str] | None = None,
) -> Path:
    """All six area sheets laid out plainly; ``rows_by_area`` by area index."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    rows_by_area = rows_by_area or {}
    for i, area in enumerate(SPEC.areas):
        ws = wb.create_sheet(tabs[i] if tabs else area.tab)
        write_area(ws, (titles or TITLES)[i], rows_by_area.get(i, []))
    wb.save(path)
    return path


def expected_frame_rows(frame: Any, keys: Sequence[str] = tuple(KEYS)) -> list[dict[str, str]]:
    return [{k: rec[k] for k in keys} for rec in frame.to_dict("records")]


# -- LibreOffice ---------------------------------------------------------------------

RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


class LibreOffice:
    """soffice headless with a private profile that recalculates every file it opens."""

    def __init__(self, exe: str, profile: Path) -> None:
        self.exe = exe
        self.profile = profile
        user = profile / "user"
        user.mkdir(parents=True, exist_ok=True)
        (user / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")

    def convert(self, src: Path, fmt: str, outdir: Path) -> Path:
        """Open ``src`` and save it as ``fmt`` (e.g. "xlsx", "pdf", "xls") in ``outdir``."""
        outdir.mkdir(parents=True, exist_ok=True)
        cmd = [
            self.exe,
            f"-env:UserInstallation={self.profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(src),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
        out = outdir / f"{src.stem}.{fmt.split(':')[0]}"
        if proc.returncode != 0 or not out.exists():
            raise RuntimeError(f"soffice failed on {src}: {proc.stdout} {proc.stderr}")
        return out


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory: pytest.TempPathFactory) -> LibreOffice:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        message = (
            "LibreOffice (soffice) is not installed: apt-get install -y libreoffice-calc-nogui"
        )
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing tool is a failure, not a skip
        pytest.skip(message)
    return LibreOffice(exe, tmp_path_factory.mktemp("lo-profile"))


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    dst = tmp_path / EXAMPLE.name
    shutil.copy2(EXAMPLE, dst)
    return dst


@pytest.fixture
def run_cli() -> Callable[..., Any]:
    """Invoke the CLI in-process with click's CliRunner (stderr kept apart)."""
    from click.testing import CliRunner

    from converter.cli import cli

    def run(*args: str | Path, input: str | None = None) -> Any:
        runner = CliRunner()
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return run


# -- OpenDocument, built by hand -------------------------------------------------------

ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)


def ods_cell(text: str = "", rows: int = 1, cols: int = 1, repeat: int = 1) -> str:
    """One table:table-cell: text, spans and repetition as LibreOffice writes them."""
    from xml.sax.saxutils import escape

    attrs = ""
    if rows > 1:
        attrs += f' table:number-rows-spanned="{rows}"'
    if cols > 1 or rows > 1:
        attrs += f' table:number-columns-spanned="{cols}"'
    if repeat > 1:
        attrs += f' table:number-columns-repeated="{repeat}"'
    if not text:
        return f"<table:table-cell{attrs}/>"
    paras = "".join(f"<text:p>{escape(p)}</text:p>" for p in text.split("\n"))
    return f'<table:table-cell office:value-type="string"{attrs}>{paras}</table:table-cell>'


def write_ods(path: Path, sheets: dict[str, list[str]], properties: dict[str, str]) -> Path:
    """An .ods file: ``sheets`` maps a name to its rows, each row's cells already as XML."""
    import zipfile

    body = "".join(
        f'<table:table table:name="{name}">'
        + "".join(
            r if r.startswith("<table:table-row") else f"<table:table-row>{r}</table:table-row>"
            for r in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} '
        f'office:version="1.3"><office:body><office:spreadsheet>{body}'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    user = "".join(
        f'<meta:user-defined meta:name="{k}">{v}</meta:user-defined>'
        for k, v in properties.items()
        if k != "title"
    )
    title = f"<dc:title>{properties['title']}</dc:title>" if "title" in properties else ""
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {ODS_NS}>'
        f"<office:meta>{title}{user}</office:meta></office:document-meta>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        zf.writestr("meta.xml", meta, zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


# -- a real browser -------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> tuple[str, str]:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if exe is None or driver is None:
        message = "Chromium is not installed: apt-get install -y chromium chromium-driver"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing tool is a failure, not a skip
        pytest.skip(message)
    return exe, driver


@pytest.fixture
def browser(chromium: tuple[str, str], tmp_path: Path):  # type: ignore[no-untyped-def]
    """Headless Chromium driven by Selenium; downloads go to ``tmp_path / "downloads"``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    exe, driver = chromium
    options = webdriver.ChromeOptions()
    options.binary_location = exe
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1100,1400",
        "--lang=sv-SE",  # the browser's own words (the file field's) in Swedish too
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    b = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    b.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    yield b
    b.quit()


# -- shared by test modules of several folders ------------------------------------------


class Page(HTMLParser):
    """The text, headings, tags and attributes of a page, as a browser parses them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self._heading: int | None = None
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        if tag in ("style", "svg"):
            self._skip += 1
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = int(tag[1])
            self.headings.append((self._heading, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "svg"):
            self._skip -= 1
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._heading is not None:
            level, text = self.headings[-1]
            self.headings[-1] = (level, text + data)

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def make_folder(folder: Path) -> Path:
    """Five districts' plans named by hand, a lock file, a note and a broken file."""
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / EXAMPLE.name)  # Norra innerstaden, 3/7/0/10/2/0
    standard_workbook(
        folder / "Kopia av Åtgärdsplan 2025 - Enskede-Årsta-Vantör.xlsx",
        {0: [action(1), action(2, problem="", cause="")], 5: [action(3)]},
        titles=[*TITLES[:5], "Trafiksäkerhet"],
    )
    standard_workbook(folder / "atgardsplan_2025_skarholmen_slutlig.xlsx", {1: [action(4)]})
    standard_workbook(folder / "ÅP 2025 Jarva v2.xlsx", {3: [action(5), action(6)]})
    sodermalm = standard_workbook(
        folder / "Åtgärdsplan Södermalm 2025 (1).xlsx",
        {0: [action(7, follow_up="https://example.org")]},
    )
    wb = openpyxl.load_workbook(sodermalm)
    cell = wb["Unga i riskzon"]["C3"]  # typed as text, as Excel does after an apostrophe
    cell.value = "=1+1"
    cell.data_type = "s"
    wb.save(sodermalm)
    (folder / "~$ÅP 2025 Jarva v2.xlsx").write_bytes(b"lock")
    (folder / "läs mig.txt").write_text("anteckningar", encoding="utf-8")
    (folder / "trasig.xlsx").write_bytes(EXAMPLE.read_bytes()[:3000])
    return folder


def encrypted(path: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    with EXAMPLE.open("rb") as fh:
        OOXMLFile(fh).encrypt("hemligt", path.open("wb"))
    return path
