"""Every kind of unusable or hostile input: one line `error: FILE: reason`, exit 2,
no traceback, no output file (issues #2 and #5)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import hostile
import pytest
from conftest import EXAMPLE, encrypted

from converter import InputError, read_plan


def legacy_xls_fake(path: Path) -> Path:
    """An OLE2 compound file that is not encrypted and holds no workbook stream."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    return path


CASES = {
    "missing": (lambda p: p, "file not found"),
    "empty": (lambda p: (p.write_bytes(b""), p)[1], "file is empty"),
    "plain text": (
        lambda p: (p.write_text("Åtgärd;Tid\nx;y\n"), p)[1],
        "not a workbook (plain text",
    ),
    "random bytes": (
        lambda p: (p.write_bytes(random.Random(7).randbytes(5000)), p)[1],
        "not a workbook (unknown binary",
    ),
    "truncated": (lambda p: hostile.truncated(p, EXAMPLE), "truncated or corrupt"),
    "zip without workbook": (hostile.zip_without_workbook, "zip archive without a workbook"),
    "encrypted": (encrypted, "password-protected"),
    "billion laughs in sheet": (hostile.billion_laughs, "declares a DOCTYPE"),
    "billion laughs in shared strings": (
        lambda p: hostile.billion_laughs(p, "shared"),
        "sharedStrings.xml declares a DOCTYPE",
    ),
    "doctype behind a long comment": (hostile.doctype_after_long_comment, "declares a DOCTYPE"),
    "decompression bomb": (hostile.decompression_bomb, "over the limit of 512 MiB"),
    "folder": (lambda p: (p.mkdir(), p)[1], "is a folder"),
    "broken ole file": (legacy_xls_fake, "workbook is damaged"),
    "no area sheet": (hostile.valid_xlsx, None),  # replaced below
}


def _no_area(p: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "Innehåll"
    wb.save(p)
    return p


CASES["no area sheet"] = (_no_area, "no area sheet found")


@pytest.mark.parametrize("name", list(CASES))
def test_unusable_input_has_a_code_with_swedish_words(name: str, tmp_path: Path) -> None:
    """The web page says each reason in Swedish, from the error's code and values (#10)."""
    from conftest import SPEC

    from converter.documents.messages import error_text

    make, _ = CASES[name]
    path = make(tmp_path / "in.xlsx")
    with pytest.raises(InputError) as caught:
        read_plan(path)
    assert caught.value.code in SPEC.error_texts, caught.value.code
    text = error_text(SPEC, caught.value.code, caught.value.data)
    assert text and "{" not in text and text[0].isupper()


@pytest.mark.parametrize("name", list(CASES))
def test_unusable_input_one_line_exit_2(name: str, tmp_path: Path, run_cli) -> None:
    make, reason = CASES[name]
    path = make(tmp_path / "in.xlsx")
    out = tmp_path / "out.csv"
    result = run_cli("read", path, "-o", out)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {path}: ")
    assert reason in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists()
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_unreadable_file(tmp_path: Path) -> None:
    """A file without read permission. Root reads anything, so as root the command runs
    in a child process that drops to the user 'nobody' first."""
    path = tmp_path / "x.xlsx"
    path.write_bytes(EXAMPLE.read_bytes())
    if os.geteuid() == 0:
        path.chmod(0o600)  # owned by root: unreadable for nobody
        drop = "os.setgid(65534); os.setuid(65534)\n"
    else:
        path.chmod(0)
        drop = ""
    # The library is imported before dropping to 'nobody': here Python itself lives
    # under /root, which 'nobody' cannot read, and the CLI imports lazily.
    code = (
        "import os, sys; from converter.cli import main\n"
        "import converter.jobs, concurrent.futures.process\n"
        + drop
        + f"sys.argv = ['atgardsplan', 'read', {str(path)!r}]; main()"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd="/"
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == f"error: {path}: permission denied (cannot read the file)"
    assert proc.stdout == ""


def test_debug_shows_the_traceback(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "in.xlsx"
    path.write_text("hej")
    result = run_cli("--debug", "read", path)
    assert result.exit_code == 2
    assert "Traceback" in result.stderr and "InputError" in result.stderr


@pytest.mark.slow
def test_million_empty_formatted_rows_is_fast(tmp_path: Path) -> None:
    path = hostile.million_empty_rows(tmp_path / "m.xlsx")
    t = time.perf_counter()
    plan = read_plan(path)
    elapsed = time.perf_counter() - t
    assert len(plan.actions) == 2
    assert elapsed < 20, f"took {elapsed:.1f} s"  # seconds, not minutes (memory: benchmark)


def test_read_accepts_a_string_path(tmp_path: Path) -> None:
    assert len(read_plan(str(EXAMPLE)).actions) == 22
    with pytest.raises(InputError, match="file not found"):
        read_plan(str(tmp_path / "saknas.xlsx"))
