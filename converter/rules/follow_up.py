"""What was done: per area, the actions, how many were followed up, and their statuses.

One rule, beside ``summary.area_counts``: an action is a filled-in *Åtgärd* cell (what
the Sammanställning's "Antal åtgärder" counts); it is **followed up** when its
*Uppföljning* is not empty; its **status** is one of the Status column's values, **Ej
angiven** (blank) or **Annat** (typed but not one of them). The district's workbook
(COUNTIFS formulas with these figures cached), the city's, the report, the page and
``atgardsplan follow-up`` all count with it, so they can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..plan import AREA, Plan
from ..spec import STATUS, Spec
from .checks import placer

ACTION, FOLLOW_UP = "action", "follow_up"
#: What an action may lack, in the order they are listed.
LACKS = (FOLLOW_UP, STATUS)


def status_labels(spec: Spec) -> list[str]:
    """The columns of a status count: the allowed values, then Ej angiven and Annat
    (none at all when the spec has no Status column)."""
    if spec.status is None:
        return []
    return [*spec.status.values, spec.follow_up["not_given"], spec.follow_up["other"]]


def follow_up_headers(spec: Spec) -> list[str]:
    """The follow-up table's columns: actions, followed up, then ``status_labels``."""
    return [spec.follow_up["actions"], spec.follow_up["followed_up"], *status_labels(spec)]


@dataclass(frozen=True)
class FollowUpCount:
    """The follow-up figures of a set of actions (an area, a district, a plan)."""

    actions: int = 0
    followed_up: int = 0
    #: Every label of ``status_labels`` -> number of actions, in that order.
    status: dict[str, int] = field(default_factory=dict)

    @property
    def share(self) -> float:
        """The share of actions followed up, 0 when there are none."""
        return self.followed_up / self.actions if self.actions else 0.0

    def __add__(self, other: FollowUpCount) -> FollowUpCount:
        labels = list(dict.fromkeys([*self.status, *other.status]))
        return FollowUpCount(
            self.actions + other.actions,
            self.followed_up + other.followed_up,
            {k: self.status.get(k, 0) + other.status.get(k, 0) for k in labels},
        )


def grouped_follow_up(
    frame: pd.DataFrame, spec: Spec, by: Sequence[str]
) -> dict[tuple[Any, ...], FollowUpCount]:
    """The follow-up figures per group of the columns ``by`` (one pass over any number
    of actions: the city's 22,000 are counted at once, not plan by plan). Groups
    without an action are left out."""
    labels = status_labels(spec)
    if not len(frame):
        return {}
    is_action = frame[ACTION].to_numpy(dtype=object) != ""
    actions = frame[is_action]
    if not len(actions):
        return {}
    keys = [actions[b] for b in by]
    followed = (actions[FOLLOW_UP] != "").groupby(keys, sort=False).sum()
    sizes = actions.groupby(keys, sort=False).size()
    per_status: dict[tuple[Any, ...], dict[str, int]] = {}
    if spec.status is not None:
        label = status_label(spec)
        texts = actions[STATUS]
        named = texts.map({t: label(t) for t in texts.unique()})
        table = named.groupby([*keys, named], sort=False).size()
        for index, n in table.items():
            group, status = _key(index[:-1]), index[-1]
            per_status.setdefault(group, dict.fromkeys(labels, 0))[status] += int(n)
    out = {}
    for index, n in sizes.items():
        group = _key(index)
        status = per_status.get(group, dict.fromkeys(labels, 0))
        out[group] = FollowUpCount(int(n), int(followed[index]), status)
    return out


def _key(index: Any) -> tuple[Any, ...]:
    return index if isinstance(index, tuple) else (index,)


def status_label(spec: Spec) -> Callable[[str], str]:
    """The label a status text is counted under: its value, Ej angiven or Annat."""
    status = spec.status
    assert status is not None
    not_given, other = spec.follow_up["not_given"], spec.follow_up["other"]

    def label(text: str) -> str:
        if not text:
            return not_given
        value = status.canonical(text)  # a plan made in code may say "klar"
        return value if status.recognises(value) else other

    return label


def area_follow_up(plan: Plan) -> dict[str, FollowUpCount]:
    """For every area in spec order, its follow-up figures (an empty area's are 0)."""
    counted = grouped_follow_up(plan.actions, plan.spec, [AREA])
    empty = FollowUpCount(0, 0, dict.fromkeys(status_labels(plan.spec), 0))
    return {key: counted.get((title,), empty) for key, title in plan.areas}


def total(counts: Iterable[FollowUpCount]) -> FollowUpCount:
    out = FollowUpCount()
    for c in counts:
        out = out + c
    return out


@dataclass(frozen=True)
class Missing:
    """An action that lacks its follow-up text or its status, and where it stands."""

    cell: str  # the first lacking cell: 'Unga i riskzon'!G5
    area: str  # the area's title in this plan
    action: str
    lacks: tuple[str, ...]  # FOLLOW_UP and/or STATUS


def missing_follow_up(plan: Plan) -> list[Missing]:
    """Every action without follow-up text or (where the spec has the column) without a
    status, in the plan's order."""
    frame = plan.actions
    spec = plan.spec
    if not len(frame):
        return []
    checked = [k for k in LACKS if k in spec.keys]
    blank = {k: frame[k].to_numpy(dtype=object) == "" for k in checked}
    is_action = frame[ACTION].to_numpy(dtype=object) != ""
    lacking = is_action & np.logical_or.reduce([blank[k] for k in checked])
    place = placer(plan)
    areas, actions = frame[AREA].tolist(), frame[ACTION].tolist()
    out = []
    for i in np.flatnonzero(lacking).tolist():
        lacks = tuple(k for k in checked if blank[k][i])
        out.append(Missing(place(i, lacks[0]), areas[i], actions[i], lacks))
    return out


@dataclass(frozen=True)
class PlanFollowUp:
    """One plan's follow-up: figures per area (spec order) and the actions lacking it."""

    plan: Plan
    areas: dict[str, FollowUpCount]
    missing: list[Missing]

    @property
    def total(self) -> FollowUpCount:
        return total(self.areas.values())


def plan_follow_up(plan: Plan) -> PlanFollowUp:
    return PlanFollowUp(plan, area_follow_up(plan), missing_follow_up(plan))
