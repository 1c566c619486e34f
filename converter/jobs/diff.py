"""``diff``: what changed between two plans, as text, JSON, xlsx or HTML."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..documents.diff_report import diff_to_html, diff_to_json, diff_to_text
from ..errors import OutputError
from ..output import check_target, write_text_atomic
from ..plan import Plan
from ..rules.diff import DEFAULT_THRESHOLD, UNCHANGED, diff_plans
from ..spec import Spec
from ..workbooks.diff_writer import write_diff_xlsx
from .common import (
    read_one,
)

# -- diff ------------------------------------------------------------------------------

#: The endings ``diff -o`` writes.
DIFF_SUFFIXES = (".xlsx", ".json", ".html", ".htm")


@dataclass(frozen=True)
class Diffed:
    """Two plans compared: the frame of pairs, both plans, and the file written."""

    frame: pd.DataFrame
    old: Plan
    new: Plan
    output: Path | None = None

    @property
    def differ(self) -> bool:
        return bool((self.frame["status"] != UNCHANGED).any())

    @property
    def counted(self) -> dict[str, int]:
        """Actions per status, most first."""
        return {str(k): int(n) for k, n in self.frame["status"].value_counts().items()}

    def text(self, limit: int | None = None, say: Callable[[str], str] = str) -> str:
        return diff_to_text(self.frame, self.old, self.new, limit=limit, say=say)

    def json(self) -> str:
        return diff_to_json(self.frame)


def diff_files(
    old: Path,
    new: Path,
    spec: Spec,
    *,
    follow_up: bool = False,
    threshold: float = DEFAULT_THRESHOLD,
    output: Path | None = None,
    force: bool = False,
) -> Diffed:
    """``diff``: what changed from ``old`` to ``new``, action by action; with ``output``
    written as xlsx, json or html by its ending."""
    if output is not None:
        if output.suffix.lower() not in DIFF_SUFFIXES:
            raise OutputError(
                "cannot tell the format from the name: use .xlsx, .json or .html",
                output,
                code="diff-format",
            )
        check_target(output, force)
    before, after = read_one(old, spec), read_one(new, spec)
    frame = diff_plans(before, after, follow_up=follow_up, threshold=threshold)
    written = write_diff(frame, before, after, output, overwrite=force) if output else None
    return Diffed(frame, before, after, written)


def write_diff(
    frame: pd.DataFrame,
    old: Plan,
    new: Plan,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
) -> Path:
    """Write a diff as xlsx, json or html, by the ending of ``path``."""
    p = Path(path)
    kind = p.suffix.lower().lstrip(".")
    if kind == "xlsx":
        return write_diff_xlsx(frame, old, new, p, overwrite=overwrite)
    if kind == "json":
        return write_text_atomic(p, diff_to_json(frame), overwrite)
    if kind in ("html", "htm"):
        return write_text_atomic(p, diff_to_html(frame, old, new), overwrite)
    raise ValueError(f"cannot tell the format from {p.name!r} (use .xlsx, .json or .html)")
