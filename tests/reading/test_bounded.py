"""The bounded reader: no file can crash or exhaust the process that reads it.

``call_bounded`` is tested with functions that misbehave the way a damaged file makes
the parser misbehave (panic, abort, allocate, hang); ``tests/reading/test_corpus.py``
then shows it on real damaged files.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import EXAMPLE

from converter import InputError, load_spec, read_plan
from converter.limits import MiB
from converter.reading.bounded import ParseFailure, ReadLimits, call_bounded

FIXTURES = Path(__file__).parents[1] / "corpus" / "fixtures"
LIMITS = ReadLimits(memory_bytes=256 * MiB, seconds=10)


def test_a_value_comes_back_whole() -> None:
    value = {"rows": [["Åtgärd", 1.5, None]] * 1000, "text": "å" * 100_000}
    assert call_bounded(lambda: value, LIMITS) == value


def test_an_ordinary_error_is_named_not_raised() -> None:
    def fails() -> None:
        raise ValueError("Unrecognized sheet:state: show\nmore")

    with pytest.raises(ParseFailure) as caught:
        call_bounded(fails, LIMITS)
    assert (caught.value.kind, caught.value.name) == ("error", "ValueError")
    assert caught.value.detail == "Unrecognized sheet:state: show"


def test_a_crash_of_the_parser_leaves_the_caller_alone() -> None:
    with pytest.raises(ParseFailure) as caught:
        call_bounded(os.abort, LIMITS)
    assert caught.value.kind == "damaged" and "SIGABRT" in caught.value.detail


def test_memory_beyond_the_limit_is_refused() -> None:
    def hog() -> int:
        blocks = [bytearray(16 * MiB) for _ in range(64)]  # 1 GiB, over 256 MiB
        return len(blocks)

    started = time.monotonic()
    with pytest.raises(ParseFailure) as caught:
        call_bounded(hog, LIMITS)
    assert caught.value.kind == "memory"
    assert time.monotonic() - started < 5


def test_time_beyond_the_limit_is_refused_and_the_child_is_ended() -> None:
    started = time.monotonic()
    with pytest.raises(ParseFailure) as caught:
        call_bounded(lambda: time.sleep(30), ReadLimits(seconds=0.3))
    assert caught.value.kind == "time"
    assert time.monotonic() - started < 3


def test_the_limits_come_from_the_environment() -> None:
    limits = ReadLimits.from_env({"ATGARDSPLAN_READ_MB": "100", "ATGARDSPLAN_READ_SECONDS": "2.5"})
    assert (limits.memory_bytes, limits.seconds, limits.memory_mb) == (100 * MiB, 2.5, 100)
    assert ReadLimits.from_env({}) == ReadLimits()


def test_the_memory_limit_is_the_one_set_and_the_message_says_how_to_raise_it(
    monkeypatch,
) -> None:
    """A 25 KB .xls that makes calamine allocate hundreds of MB (ExcelDataReader's
    issue 382), under a limit of 100 MB."""
    monkeypatch.setenv("ATGARDSPLAN_READ_MB", "100")
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        read_plan(FIXTURES / "edr-issue-382-oom.xls")
    assert caught.value.code == "read-memory"
    assert str(caught.value).endswith(
        "the workbook needs more than 100 MB to read (limit 100 MB; --max-read-mb or "
        "ATGARDSPLAN_READ_MB raises it)"
    )
    assert time.monotonic() - started < 5


def test_a_good_plan_over_a_tiny_time_limit_says_how_to_raise_it(monkeypatch) -> None:
    monkeypatch.setenv("ATGARDSPLAN_READ_SECONDS", "0.0001")
    with pytest.raises(InputError) as caught:
        read_plan(EXAMPLE)
    assert caught.value.code == "read-time"
    assert "takes more than 0.0001 s to read" in str(caught.value)


def test_the_default_limits_let_the_example_through(tmp_path: Path) -> None:
    plan = read_plan(EXAMPLE)
    assert len(plan.actions) == 22


def test_the_command_lines_limits_reach_the_reader(tmp_path: Path, run_cli, monkeypatch) -> None:
    # The options set the reader's settings for the run (and its workers); restored after.
    monkeypatch.delenv("ATGARDSPLAN_READ_MB", raising=False)
    monkeypatch.delenv("ATGARDSPLAN_READ_SECONDS", raising=False)
    monkeypatch.setenv("ATGARDSPLAN_READ_MB", "768")
    monkeypatch.setenv("ATGARDSPLAN_READ_SECONDS", "30")
    result = run_cli("--max-read-mb", "100", "read", FIXTURES / "edr-issue-382-oom.xls")
    assert result.exit_code == 2
    assert "needs more than 100 MB to read (limit 100 MB;" in result.stderr
    result = run_cli("--max-read-seconds", "0.1", "check", EXAMPLE)
    assert result.exit_code in (0, 1, 2)  # a good plan reads in time, or says it did not
    assert "Traceback" not in result.stderr


def test_a_file_that_ends_its_worker_is_named_and_the_batch_goes_on(tmp_path: Path) -> None:
    """Read on two worker processes, which bound themselves: the 3 GB sparse sheet ends
    its worker, the pool breaks, and the files it held are read again here one at a
    time, each in a bounded child: the culprit is named with its reason, the others
    are plans."""
    from converter import Failure, read_plans
    from converter.reading.inputs import PARALLEL_FROM

    files = [Path(shutil.copy(EXAMPLE, tmp_path / f"plan-{i}.xlsx")) for i in range(PARALLEL_FROM)]
    files.insert(2, FIXTURES / "made-sparse-3gb.xlsx")
    files.insert(4, FIXTURES / "made-panic-cfb-range.xls")
    results = read_plans(files, load_spec(), workers=2)
    kinds = [type(r).__name__ for r in results]
    assert kinds == ["Plan", "Plan", "Failure", "Plan", "Failure"] + ["Plan"] * (PARALLEL_FROM - 3)
    memory, damaged = results[2], results[4]
    assert isinstance(memory, Failure) and memory.code == "read-memory"
    assert isinstance(damaged, Failure) and damaged.code == "damaged"
