"""Next year's plans: a blank plan for any year, and last year's plan rolled over."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..plan import AREA, ROW, SHEET, Note, Plan, PlanMeta, actions_frame
from ..spec import STATUS, Spec, load_spec


def blank_plan(
    year: int,
    district: str | None = None,
    spec: Spec | None = None,
    *,
    own_area: str | None = None,
) -> Plan:
    """A plan with every area of the spec and no actions.

    ``own_area`` names the district's own priority area (the spec's placeholder area).
    """
    spec = spec or load_spec()
    titles = {a.key: a.title for a in spec.areas}
    if own_area:
        own = spec.own_area
        if own is None:
            raise ValueError("this spec has no own (renamable) area")
        titles[own.key] = own_area.strip()
    meta = PlanMeta(spec=spec, year=int(year), district=district or None, area_titles=titles)
    return Plan(meta, actions_frame(spec, {}))


def previous_follow_up_header(spec: Spec, year: int) -> str:
    return spec.render(spec.previous_follow_up_header, previous_year=year - 1)


def previous_status_header(spec: Spec, year: int) -> str:
    return spec.render(spec.previous_status_header, previous_year=year - 1)


def previous_follow_up_column(rolled: Plan) -> str | None:
    """The column of a rolled-over plan that holds last year's follow-up (written grey),
    or None when it was not kept."""
    return rolled.meta.previous_follow_up


def next_year(plan: Plan, year: int | None = None, *, keep_follow_up: bool = True) -> Plan:
    """Roll ``plan`` over to ``year`` (default: the plan's year + 1).

    Every action is carried over; "Uppföljning" (and "Status", where the spec has it)
    is emptied. With ``keep_follow_up`` last year's follow-up stays in an extra column
    "Uppföljning <year - 1>", and its status beside it in "Status <year - 1>". Extra
    columns are carried over, emptied. When neither ``year`` nor the plan's year is
    known, the year is the current year + 1 and a note says so.
    """
    spec = plan.spec
    notes = list(plan.meta.notes)
    if year is None:
        if plan.meta.year is not None:
            year = plan.meta.year + 1
        else:
            year = dt.date.today().year + 1
            notes.append(
                Note(
                    "the plan's year is unknown; rolled over to {year} (current year + 1)",
                    year=year,
                )
            )
    old = plan.actions
    n = len(old)
    cols: dict[str, list[object]] = {
        AREA: old[AREA].tolist(),
        SHEET: [""] * n,
        ROW: [0] * n,
    }
    emptied = ("follow_up", STATUS)
    for key in spec.keys:
        cols[key] = [""] * n if key in emptied else old[key].tolist()
    extras = [name for name in plan.extra_columns]
    previous = previous_follow_up_header(spec, year)
    status = previous_status_header(spec, year) if spec.status is not None else None
    for name in extras:
        cols[name] = [""] * n
    if keep_follow_up:
        kept = {previous: old["follow_up"].tolist()}
        if status is not None:
            kept[status] = old[STATUS].tolist()
        extras = [*kept, *(name for name in extras if name not in kept)]
        cols.update(kept)
    meta = replace(
        plan.meta,
        year=year,
        sheets=(),
        summary_found=None,
        unrecognised_sheets=(),
        unmatched_area_sheets=(),
        ignored_sheets=(),
        notes=tuple(notes),
        previous_follow_up=previous if keep_follow_up else None,
        previous_status=status if keep_follow_up else None,
    )
    return Plan(meta, actions_frame(spec, cols, extras))
