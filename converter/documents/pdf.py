"""A page to PDF with headless Chromium (Debian's ``chromium``, or Chrome).

The report's print CSS (A4, page breaks, repeated table headers, the title and page
numbers in the margins) is what Chromium prints. The PDF is tagged (its structure, the
page's ``lang`` and title) and has an outline of the headings, for screen readers and
for the law on accessible public documents. Set ``ATGARDSPLAN_CHROMIUM`` to use
another Chrome or Chromium executable.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import OutputError
from ..output import atomic_path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
#: How long Chromium may take to print one report.
TIMEOUT_SECONDS = 180
INSTALL_HINT = (
    "--pdf needs Chromium or Chrome: apt-get install chromium (or set ATGARDSPLAN_CHROMIUM "
    "to a Chrome or Chromium executable)"
)


def find_browser() -> str | None:
    chosen = os.environ.get("ATGARDSPLAN_CHROMIUM")
    if chosen:
        return shutil.which(chosen) or (chosen if Path(chosen).is_file() else None)
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def browser_command(exe: str, profile: str) -> list[str]:
    """Chromium headless, offline and quiet: no first-run, sync or update traffic."""
    cmd = [
        exe,
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        f"--user-data-dir={profile}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    return cmd


def html_to_pdf(html: Path, pdf: Path, *, overwrite: bool = False) -> Path:
    """Print the page ``html`` to ``pdf`` (atomically); OutputError when it cannot."""
    exe = find_browser()
    if exe is None:
        raise OutputError(INSTALL_HINT, pdf, code="no-browser")
    with (
        tempfile.TemporaryDirectory(prefix="atgardsplan-chromium-") as profile,
        atomic_path(pdf, overwrite) as tmp,
    ):
        cmd = [
            *browser_command(exe, profile),
            "--no-pdf-header-footer",
            # Chromium tags the PDF (structure, the page's lang and title) by itself;
            # this adds the outline: the headings as bookmarks.
            "--generate-pdf-document-outline",
            f"--print-to-pdf={tmp}",
            html.resolve().as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise OutputError(
                f"Chromium took over {TIMEOUT_SECONDS} s", pdf, code="pdf-failed"
            ) from None
        with tmp.open("rb") as fh:
            made = fh.read(5) == b"%PDF-"
        if proc.returncode != 0 or not made:
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise OutputError(f"Chromium made no PDF ({last})", pdf, code="pdf-failed")
    return pdf
