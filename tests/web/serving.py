"""The real server and a real browser, for the web tests: `atgardsplan serve` started on
a free port, uploads over HTTP, and helpers for Selenium (waits, downloads,
screenshots)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from converter.web.app import FILES_FIELD


class Server:
    def __init__(self, proc: subprocess.Popen[str], url: str, said: str) -> None:
        self.proc = proc
        self.url = url
        self.said = said  # stderr up to the address

    def stop(self) -> str:
        """Ctrl-C; all the server wrote on stderr."""
        self.proc.send_signal(signal.SIGINT)
        _out, err = self.proc.communicate(timeout=30)
        return self.said + err


def _as_a_background_job() -> None:
    """What a shell does to a job started with &: SIGINT ignored (and inherited)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def start_server(
    tmp_path: Path,
    *args: str,
    background: bool = False,
    browser: str | None = None,
) -> Server:
    """`atgardsplan serve` on a free port, its temporary files in ``tmp_path``; with
    ``browser`` (a $BROWSER command) it opens the page, else --no-browser."""
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    if browser is not None:
        env["BROWSER"] = browser
    opening = [] if browser is not None else ["--no-browser"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "converter", "serve", *opening, "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=_as_a_background_job if background else None,
    )
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        m = re.search(r"serving on (http://\S+)", line)
        if m:
            return Server(proc, m.group(1), "".join(seen))
    raise AssertionError("the server did not start: " + "".join(seen))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    scratch = tmp_path_factory.mktemp("server")
    s = start_server(scratch, "--max-request-mb", "10", "--threads", "4")
    yield s
    s.stop()


def http_upload(url: str, files: list[tuple[str, bytes]]) -> tuple[int, str]:
    import urllib3

    fields = [(FILES_FIELD, (name, data, "application/octet-stream")) for name, data in files]
    body, content_type = urllib3.encode_multipart_formdata(fields)
    r = urllib3.request(
        "POST", url + "granska", body=body, headers={"Content-Type": content_type}, timeout=120
    )
    return r.status, r.data.decode("utf-8")


# -- in a real browser ------------------------------------------------------------------------


def screenshot(browser: Any, name: str, tmp_path: Path, height: int | None = None) -> Path:
    """The whole page as PNG in ``tmp_path``; also in $ATGARDSPLAN_SCREENSHOTS if set
    (``docs/`` for the README's pictures)."""
    full = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1100, min(height or full, 6000))
    path = tmp_path / name
    browser.save_screenshot(str(path))
    assert path.stat().st_size > 20_000
    folder = os.environ.get("ATGARDSPLAN_SCREENSHOTS")
    if folder:
        Path(folder, name).write_bytes(path.read_bytes())
    browser.set_window_size(1100, 1400)
    return path


def console_errors(browser: Any) -> list[Any]:
    return [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def wait_for(predicate: Any, timeout: float = 60) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


def downloaded(folder: Path, count: int) -> list[Path]:
    def done() -> list[Path] | None:
        files = sorted(folder.iterdir())
        if len(files) >= count and not any(f.suffix == ".crdownload" for f in files):
            return files
        return None

    return wait_for(done)


def upload_in_browser(browser: Any, server: Server, *paths: Path) -> str:
    from selenium.webdriver.common.by import By

    browser.get(server.url)
    field = browser.find_element(By.ID, "arbetsbocker")
    field.send_keys("\n".join(str(p) for p in paths))
    browser.find_element(By.CSS_SELECTOR, "form.upload button[type=submit]").click()
    wait_for(
        lambda: (
            browser.find_elements(By.ID, "resultat") or browser.find_elements(By.ID, "fel-rubrik")
        )
    )
    return browser.find_element(By.TAG_NAME, "main").text
