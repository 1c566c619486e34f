"""``follow-up``: what was done, per district and area, and what lacks its follow-up.

The coordinator's list before the year-end meeting: for each plan, the actions, how many
were followed up and their statuses (``rules.follow_up``, the rule every output counts
with), then every action without follow-up text or without a status, with its cell.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import Failure, OutputError
from ..output import check_target
from ..reading.inputs import Inputs
from ..rules.follow_up import PlanFollowUp, plan_follow_up
from ..spec import Spec
from ..workbooks.follow_up_writer import write_follow_up
from .city import combine_files
from .common import Progress


@dataclass(frozen=True)
class FollowedUp:
    """Every usable plan's follow-up, the files that could not be used, the workbook
    written (with ``-o``)."""

    plans: list[PlanFollowUp]
    failures: list[Failure]
    output: Path | None = None


def follow_up_files(
    paths: Iterable[str | os.PathLike[str]],
    spec: Spec,
    *,
    output: Path | None = None,
    default_year: int | None = None,
    force: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
    on_files: Callable[[Inputs], None] | None = None,
) -> FollowedUp:
    """Read every plan of ``paths`` (files and folders) and count its follow-up; with
    ``output`` (.xlsx) write one sheet per district. With no usable plan at all,
    NoUsablePlanError names each failed file."""
    if output is not None:
        if output.suffix.casefold() != ".xlsx":
            raise OutputError(
                "the follow-up list is written as .xlsx", output, code="follow-up-format"
            )
        check_target(output, force)
    given = list(paths)  # named when nothing is found there
    city = combine_files(
        given,
        spec,
        default_year=default_year,
        workers=workers,
        progress=progress,
        on_files=on_files,
    ).require_plans(given)
    plans = [plan_follow_up(p) for p in city.plans]
    written = write_follow_up(plans, output, overwrite=force) if output is not None else None
    return FollowedUp(plans, city.failures, written)


def follow_up_records(done: FollowedUp) -> dict[str, object]:
    """The JSON document: ``{"plans": [{"district", "year", "file", "areas": [...],
    "missing": [...]}]}``."""
    plans = []
    for f in done.plans:
        plan = f.plan
        plans.append(
            {
                "district": plan.meta.district,
                "year": plan.meta.year,
                "file": str(plan.meta.source) if plan.meta.source else None,
                "areas": [
                    {
                        "area": plan.meta.title_of(key),
                        "actions": count.actions,
                        "followed_up": count.followed_up,
                        "status": count.status,
                    }
                    for key, count in f.areas.items()
                ],
                "missing": [
                    {"cell": m.cell, "area": m.area, "action": m.action, "lacks": list(m.lacks)}
                    for m in f.missing
                ],
            }
        )
    return {"plans": plans}


def follow_up_json(done: FollowedUp) -> str:
    return json.dumps(follow_up_records(done), ensure_ascii=False, indent=2) + "\n"
