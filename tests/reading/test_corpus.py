"""Files no one here wrote by hand: every command keeps its contract on each of them.

The fixtures in ``tests/corpus/fixtures/`` (their sources and licences in its
``MANIFEST.toml``) reproduce each kind of file that broke a command before the reader
was bounded: parser panics, runaway allocations, Excel 4.0 and older, workbooks that
Excel opens but the fast reader rejects. The contract: exit 0, 1 or 2; on 2 one line
``error: FILE: reason`` and nothing else, no traceback, nothing left behind; a batch
writes its output for the good plans and names each bad file.
``python tests/corpus/run_corpus.py FOLDER`` checks the same over any folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE, ROOT, standard_workbook

from converter import InputError, read_plan

FIXTURES = ROOT / "tests" / "corpus" / "fixtures"
MANIFEST = tomllib.loads((FIXTURES / "MANIFEST.toml").read_text(encoding="utf-8"))["files"]
REFUSED = sorted(name for name, f in MANIFEST.items() if f["code"] != "read")
READ = sorted(name for name, f in MANIFEST.items() if f["code"] == "read")
#: One file of each reason, for the test of every command (a process each run).
ONE_OF_EACH = sorted({f["code"]: name for name, f in sorted(MANIFEST.items())}.values())


def test_every_fixture_is_in_the_manifest_with_its_source() -> None:
    files = {p.name for p in FIXTURES.iterdir() if p.suffix in (".xls", ".xlsx")}
    assert files == set(MANIFEST)
    for name, entry in MANIFEST.items():
        assert entry["source"] and entry["what"], name


@pytest.mark.parametrize("name", REFUSED)
def test_each_damaged_file_is_refused_with_its_reason(name: str) -> None:
    with pytest.raises(InputError) as caught:
        read_plan(FIXTURES / name)
    assert caught.value.code == MANIFEST[name]["code"]


@pytest.mark.parametrize("name", READ)
def test_what_excel_opens_is_read(name: str) -> None:
    """Read again by the tolerant reader (openpyxl), where calamine rejects one detail."""
    plan = read_plan(FIXTURES / name)
    assert len(plan.actions) == len(read_plan(EXAMPLE).actions) == 22


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "converter", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


COMMANDS = {
    "read": lambda f: ["read", f, "-o", "data.json"],
    "check": lambda f: ["check", f],
    "check --quality": lambda f: ["check", "--quality", "--format", "json", f],
    "follow-up": lambda f: ["follow-up", f, "-o", "uppfoljning.xlsx"],
    "summary": lambda f: ["summary", f, "-o", "summary.xlsx"],
    "next-year": lambda f: ["next-year", f, "-o", "next.xlsx"],
    "convert": lambda f: ["convert", f, "--out", "ut"],
    "combine": lambda f: ["combine", f, "-o", "stad.xlsx"],
    "report": lambda f: ["report", f, "-o", "rapport.html"],
    "diff": lambda f: ["diff", f, EXAMPLE, "-o", "diff.json"],
}


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in ONE_OF_EACH if n in REFUSED])
def test_every_command_refuses_in_one_line_and_leaves_nothing(name: str, tmp_path: Path) -> None:
    """Each command in a process of its own, as a user runs it."""
    source = FIXTURES / name
    for command in COMMANDS:
        (tmp_path / command).mkdir()
    with ThreadPoolExecutor(2) as pool:  # each run is a process of its own: both cores
        procs = pool.map(lambda c: (c, run(*COMMANDS[c](source), cwd=tmp_path / c)), COMMANDS)
    for command, proc in procs:
        work = tmp_path / command
        assert proc.returncode == 2, (command, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert "Traceback" not in proc.stderr and "panicked" not in proc.stderr, command
        named = [ln for ln in lines if ln.startswith(f"error: {source}: ")]
        assert len(named) == 1, (command, lines)
        # combine, follow-up and report end a batch with no usable plan with its count.
        rest = [ln for ln in lines if ln.startswith("error:") and ln not in named]
        assert rest in ([], ["error: no usable workbook among 1 input(s); nothing written"])
        assert list(work.iterdir()) == [], (command, list(work.iterdir()))


@pytest.mark.slow  # a second or more: not in the quick loop
def test_debug_shows_the_parsers_own_words(tmp_path: Path) -> None:
    proc = run("--debug", "read", FIXTURES / "edr-issue-12556-corrupt.xls", cwd=tmp_path)
    assert proc.returncode == 2
    assert "ParseFailure: damaged: " in proc.stderr and "slice index" in proc.stderr
    plain = run("read", FIXTURES / "edr-issue-12556-corrupt.xls", cwd=tmp_path)
    assert "slice index" not in plain.stderr


@pytest.mark.slow
@pytest.mark.parametrize("command", ["combine", "convert", "report"])
def test_a_batch_with_every_kind_of_damage_writes_the_good_plans(
    command: str, tmp_path: Path
) -> None:
    """Two good plans among every damaged fixture, read on both cores, where a file that
    ends its worker (the 3 GB sparse sheet, the 1 TB allocation) breaks the pool: the
    batch still writes its output for the good plans and names each bad file once, with
    its reason."""
    folder = tmp_path / "inkorg"
    folder.mkdir()
    for name in REFUSED:
        shutil.copy(FIXTURES / name, folder / name)
    shutil.copy(EXAMPLE, folder / "Åtgärdsplan 2025 Norra innerstaden.xlsx")
    standard_workbook(folder / "Åtgärdsplan 2025 Farsta.xlsx", {0: [_row(1)], 3: [_row(2)]})
    argv = {
        "combine": ["combine", folder, "-o", "stad.xlsx"],
        "convert": ["convert", folder, "--out", "ut"],
        "report": ["report", folder, "-o", "stad.html"],
    }[command]
    proc = run(*argv, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "panicked" not in proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert sorted(Path(ln.split(": ")[1]).name for ln in errors) == REFUSED
    for ln in errors:
        name = Path(ln.split(": ")[1]).name
        assert ln.startswith(f"error: {folder / name}: "), ln
    if command == "combine":
        wb = openpyxl.load_workbook(tmp_path / "stad.xlsx", read_only=True)
        rows = [r for r in wb["Filer"].iter_rows(min_row=2, values_only=True) if r[0]]
        assert len(rows) == len(REFUSED) + 2
    elif command == "convert":
        assert (tmp_path / "ut" / "Åtgärdsplan 2025 Farsta-sammanstallning.xlsx").is_file()
        assert (tmp_path / "ut" / "Åtgärdsplan 2026 Norra innerstaden.xlsx").is_file()
    else:
        page = (tmp_path / "stad.html").read_text(encoding="utf-8")
        assert "Farsta" in page and "Norra innerstaden" in page


def _row(n: int) -> dict[str, str]:
    from conftest import action

    return action(n)
