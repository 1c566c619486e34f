"""Many workbooks in: folders expanded, lock files skipped, plans read on all cores.

A coordinator's shared folder holds what districts sent: workbooks, Excel's lock files
(``~$…``), hidden files, notes. ``expand_inputs`` keeps the workbooks and says why it
skipped the rest; ``read_plans`` reads every workbook (in parallel when there are
several) and returns, in input order, a Plan or a Failure for each: one bad file never
stops the batch.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..errors import Failure, Skipped, attempt
from ..plan import Plan
from ..spec import Spec
from .bounded import ReadLimits, enter_worker
from .reader import read_plan

#: File name endings read as workbooks (.xlsb is refused by the reader with its reason).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
A = TypeVar("A", bound=tuple[Any, ...])
R = TypeVar("R")

#: Below this many files, reading in one process is quicker than starting workers.
PARALLEL_FROM = 6


@dataclass(frozen=True)
class Inputs:
    files: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def expand_inputs(paths: Iterable[str | os.PathLike[str]]) -> Inputs:
    """Files as given; folders as the workbooks directly inside them, sorted by name.

    In a folder, Excel's lock files, hidden files, subfolders and files whose name is
    not a workbook's are skipped with a reason. A file named explicitly is always
    kept, so that a wrong one is reported rather than ignored.
    """
    files: list[Path] = []
    skipped: list[Skipped] = []
    for given in paths:
        p = Path(given)
        if not p.is_dir():
            files.append(p)
            continue
        for f in sorted(p.iterdir()):
            code = _skip_code(f)
            if code:
                skipped.append(Skipped(f, SKIP_REASONS[code], code))
            else:
                files.append(f)
    return Inputs(files, skipped)


#: Why a file in a folder is not read: its code (worded in Swedish by the spec's
#: ``[errors]``) and the English reason.
SKIP_REASONS = {
    "skipped-lock": "Excel lock file (the workbook is open somewhere)",
    "skipped-hidden": "hidden file",
    "skipped-folder": "folder (folders are not searched recursively)",
    "skipped-name": "not a workbook by its name",
}


def _skip_code(f: Path) -> str | None:
    if f.name.startswith("~$"):
        return "skipped-lock"
    if f.name.startswith("."):
        return "skipped-hidden"
    if f.is_dir():
        return "skipped-folder"
    if f.suffix.lower() not in WORKBOOK_SUFFIXES:
        return "skipped-name"
    return None


def read_plans(
    files: Sequence[Path],
    spec: Spec,
    *,
    year: int | None = None,
    district: str | None = None,
    default_year: int | None = None,
    workers: int | None = None,
    progress: Callable[[Path], None] | None = None,
    district_from_name: bool = False,
) -> list[Plan | Failure]:
    """Read every file; a Plan or a Failure for each, in the order of ``files``.

    Several files are read on all cores (``workers`` processes, default the number of
    CPUs); ``progress`` is called with each file as it is done.
    """
    args = [(f, spec, year, district, default_year, district_from_name) for f in files]
    return map_files(_read_one, args, workers=workers, progress=progress)


def map_files(
    func: Callable[[A], R],
    items: Sequence[A],
    *,
    workers: int | None = None,
    progress: Callable[[Path], None] | None = None,
) -> list[R]:
    """``func`` over ``items`` (tuples whose first element is the file), in order.

    On several processes when there are enough items to repay starting them; ``func``
    must return failures as values, never raise. Each worker is bounded as a single
    read is (``bounded.enter_worker``): a file that exhausts or stops its worker breaks
    the pool, and the files the pool held are then given to ``func`` here, one at a
    time, where each read has a bounded child of its own, so the file is named with its
    reason and the rest go on in a new pool.
    """
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(items) < PARALLEL_FROM:
        results = []
        for item in items:
            results.append(func(item))
            if progress:
                progress(item[0])
        return results
    done: dict[int, R] = {}
    pending = list(range(len(items)))
    while pending:
        try:
            _pool_run(func, items, pending, done, min(workers, len(pending)), progress)
        except BrokenProcessPool:
            # The files in flight when a worker ended: one of them ended it.
            suspects = [i for i in pending if i not in done][:workers]
            for i in suspects:
                done[i] = func(items[i])
                if progress:
                    progress(items[i][0])
        pending = [i for i in pending if i not in done]
    return [done[i] for i in range(len(items))]


def _pool_run(
    func: Callable[[A], R],
    items: Sequence[A],
    pending: Sequence[int],
    done: dict[int, R],
    workers: int,
    progress: Callable[[Path], None] | None,
) -> None:
    limits = ReadLimits.from_env()
    with ProcessPoolExecutor(workers, initializer=enter_worker, initargs=(limits,)) as pool:
        futures = {pool.submit(func, items[i]): i for i in pending}
        for future in as_completed(futures):
            i = futures[future]
            done[i] = future.result()  # BrokenProcessPool when a worker ended
            if progress:
                progress(items[i][0])


def _read_one(
    args: tuple[Path, Spec, int | None, str | None, int | None, bool],
) -> Plan | Failure:
    path, spec, year, district, default_year, from_name = args
    return attempt(
        path,
        lambda: read_plan(
            path,
            spec,
            year=year,
            district=district,
            default_year=default_year,
            district_from_name=from_name,
        ),
    )
