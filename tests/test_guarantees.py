"""The promises of issue #5 that are not about one module: the input is never changed,
outputs are atomic and never clobber, batch runs survive bad files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import EXAMPLE, sha256

import converter.workbooks.plan_writer
from converter import OutputError, read_plan, write_plan

COMMANDS = [
    ["read", "{src}"],
    ["read", "{src}", "-o", "{out}/a.json"],
    ["check", "{src}"],
    ["summary", "{src}", "-o", "{out}/s.xlsx"],
    ["summary", "{src}"],
    ["next-year", "{src}"],
    ["next-year", "{src}", "-o", "{out}/n.xlsx"],
    ["convert", "{src}", "--out", "{out}/c"],
    ["convert", "{dir}", "--out", "{out}/d", "--force"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:1] + a[2:3]) for a in COMMANDS])
def test_the_input_is_never_changed(args: list[str], tmp_path: Path, run_cli) -> None:
    src_dir = tmp_path / "in"
    src_dir.mkdir()
    src = src_dir / EXAMPLE.name
    src.write_bytes(EXAMPLE.read_bytes())
    os.utime(src, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    before = (sha256(src), src.stat().st_mtime_ns)
    out = tmp_path / "out"
    out.mkdir()
    argv = [a.format(src=src, out=out, dir=src_dir) for a in args]
    result = run_cli(*argv)
    assert result.exit_code in (0, 1), result.stderr
    assert (sha256(src), src.stat().st_mtime_ns) == before


def test_failed_write_leaves_nothing_behind(tmp_path: Path, monkeypatch) -> None:
    plan = read_plan(EXAMPLE)

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(converter.workbooks.plan_writer, "_write_summary", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        write_plan(plan, tmp_path / "x.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_failed_overwrite_keeps_the_old_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "x.xlsx"
    target.write_bytes(b"previous version")
    monkeypatch.setattr(converter.workbooks.plan_writer, "_write_summary", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        write_plan(read_plan(EXAMPLE), target, overwrite=True)
    assert target.read_bytes() == b"previous version"
    assert [p.name for p in tmp_path.iterdir()] == ["x.xlsx"]


def test_convert_failing_midway_leaves_no_partial_set(tmp_path: Path, run_cli, monkeypatch) -> None:
    calls = {"n": 0}
    real = converter.workbooks.plan_writer._write

    def fail_second(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the summary is written, then next year's plan fails
            raise OSError(28, "No space left on device")
        real(*args, **kwargs)

    monkeypatch.setattr(converter.workbooks.plan_writer, "_write", fail_second)
    result = run_cli("convert", EXAMPLE, "--out", tmp_path / "ut")
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr
    assert not (tmp_path / "ut").exists()  # nothing converted: not even the folder is left


def test_output_folder_missing_is_one_line(tmp_path: Path, run_cli) -> None:
    result = run_cli("summary", EXAMPLE, "-o", tmp_path / "saknas" / "x.xlsx")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'saknas'}: folder does not exist"


def test_output_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").mkdir()
    with pytest.raises(OutputError, match="is a folder"):
        write_plan(read_plan(EXAMPLE), tmp_path / "x.xlsx", overwrite=True)
