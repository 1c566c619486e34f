"""Plan quality by Brå's method: is each goal measurable, each problem tied to a cause?

Brå's guidance for local crime prevention (lägesbild, orsaksanalys, åtgärder,
genomförande, uppföljning) asks for *avgränsade och mätbara mål* tied to each action, a
cause for each problem, named responsibility and a time. The judgements here are made
from the plan's texts with the word lists of the spec's ``[quality]`` section, so a
city tunes them without code:

- a goal **names a measure** when it holds a number (digits or a number word; "en/ett"
  only where they quantify), a share or percentage, "alla/samtliga/varje" with the noun
  they count, a frequency, or a comparison with a year or a baseline. A bare year, a
  date, a week, a grade ("åk 8"), a duration ("inom 2 år") and a number inside a name
  ("BOB 2.0", "ring 112") are no measure;
- a goal **rests on a vague verb** ("verka för", "sträva efter", "främja" …);
- a time is **open-ended** ("linjearbete", "löpande", "vid behov" …) unless it names a
  frequency ("1 gång per termin samt vid behov").

``quality_findings`` gives the findings of ``check --quality``; ``area_quality`` the
figures per area that the report, the page and the city workbook show.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..plan import AREA, Plan
from ..spec import Spec
from ..text import fold, normalise
from .checks import INFO, WARNING, Finding, compact_places, placer
from .summary import filled

#: A word's ending a vague verb may carry: verka -> verkar, verkade; främja -> främjas.
INFLECTION = r"\w{0,4}"
#: The quality codes ``check --quality`` adds (goal-missing, responsible-missing and
#: time-missing are plain ``check``'s).
QUALITY_CODES = (
    "goal-without-measure",
    "goal-vague-verb",
    "time-open-ended",
    "cause-missing",
    "goal-repeated",
    "follow-up-missing",
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_SENTENCE_END = re.compile(r"[.!?:;]\s*$")
_BULLETS = re.compile(r"(?m)^\s*(?:[-–•*·▪◦]|\d+[.)])\s+")
_SPACE = re.compile(r"\s+")


def _phrases(words: Iterable[str], *, inflect: bool = False) -> str:
    """A regular expression matching any of ``words`` (phrases of whole words, in lower
    case); with ``inflect`` a phrase's first word may carry an ending."""
    parts = []
    for phrase in sorted(set(words), key=len, reverse=True):
        tokens = phrase.lower().split()
        if not tokens:
            continue
        first = re.escape(tokens[0]) + (INFLECTION if inflect else "")
        body = r"\s+".join([first, *(re.escape(t) for t in tokens[1:])])
        start = r"(?<!\w)" if phrase[0].isalnum() else ""
        end = r"(?!\w)" if phrase[-1].isalnum() or inflect else ""
        parts.append(start + body + end)
    return "|".join(parts) or r"(?!x)x"


@dataclass(frozen=True)
class QualityWords:
    """The spec's ``[quality]`` lists, compiled once."""

    measure: re.Pattern[str]  # a share, a frequency, a comparison, a number word, "en gång"
    all_noun: re.Pattern[str]  # "alla" and the word after it
    no_noun: frozenset[str]  # words after "alla" that are no counted noun
    number_names: re.Pattern[str]
    dates: re.Pattern[str]
    labels: frozenset[str]  # words before a number that make it a time or a label
    time_units: re.Pattern[str]  # a number right before one is a duration or an age
    vague: re.Pattern[str]
    open_ended: re.Pattern[str]
    frequency: re.Pattern[str]


@functools.lru_cache(maxsize=8)
def _compile(items: tuple[tuple[str, tuple[str, ...]], ...]) -> QualityWords:
    q = dict(items)
    months = _phrases(q["months"])
    numbers = "|".join(
        [
            _phrases(q["share_words"]),
            _phrases(q["frequency_phrases"]),
            _phrases(q["comparison_phrases"]),
            _phrases(q["number_words"]),
            _phrases(q["one_phrases"]),
        ]
    )
    return QualityWords(
        measure=re.compile(numbers),
        all_noun=re.compile(r"(?<!\w)(?:" + _phrases(q["all_words"]) + r")\s+([\w-]+)"),
        no_noun=frozenset(w.lower() for w in (*q["not_nouns"], *q["vague_nouns"])),
        number_names=re.compile(_phrases(q["number_names"])),
        dates=re.compile(
            r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}(?:[-/]\d{2,4})?"
            rf"|\d{{1,2}}(?::e|:a)?\s+(?:{months})|(?:{months})\s+\d{{1,2}}(?!\d)"
        ),
        labels=frozenset(w.lower().rstrip(".:") for w in q["number_labels"]),
        time_units=re.compile(r"\s*(?:[-–]\s*\d+\s*)?(?:" + _phrases(q["time_units"]) + ")"),
        vague=re.compile(_phrases(q["vague_verbs"], inflect=True)),
        open_ended=re.compile(_phrases(q["open_ended_times"])),
        frequency=re.compile(_phrases(q["frequency_phrases"])),
    )


def quality_words(spec: Spec) -> QualityWords:
    """The spec's word lists, compiled (once per set of lists)."""
    lists = tuple(sorted((k, v) for k, v in spec.quality.items() if isinstance(v, tuple)))
    return _compile(lists)


def clean(text: str) -> str:
    """A goal as it is judged: bullets, line breaks, soft hyphens and NBSP gone, the
    words one space apart (case kept: a capital can mark a name)."""
    text = normalise(text).replace("\u00ad", "")
    text = _BULLETS.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def names_measure(text: str, words: QualityWords) -> bool:
    """Whether a goal names something that can be counted or compared."""
    text = clean(text)
    low = text.lower()
    if words.measure.search(low):
        return True
    for m in words.all_noun.finditer(low):
        if m.group(1) not in words.no_noun:
            return True
    if not any(ch.isdigit() for ch in text):
        return False
    # Numbers: not a name ("112", "BOB 2.0"), a date, a year, a week or grade, an age.
    masked = _mask(low, (words.number_names, words.dates))
    for m in _NUMBER.finditer(masked):
        number = m.group()
        if len(number) == 4 and number.isdigit() and 1900 <= int(number) <= 2099:
            continue  # a year is a time; "jämfört med 2024" was a comparison above
        before = masked[: m.start()].rstrip()
        previous = before.rsplit(" ", 1)[-1] if before else ""
        if previous.rstrip(".:") in words.labels:
            continue  # "vecka 12", "åk 8"
        if words.time_units.match(masked, m.end()):
            continue  # "inom 2 år", "unga 12–17 år": a duration or an age
        if previous and len(low) == len(text) and _is_name(text, len(before) - len(previous)):
            continue  # "BOB 2.0", "Vision 2030"
        return True
    return False


def _mask(text: str, patterns: Sequence[re.Pattern[str]]) -> str:
    """``text`` with every match of ``patterns`` blanked out (positions kept)."""
    for pattern in patterns:
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    return text


def _is_name(text: str, at: int) -> bool:
    """Whether the word at ``at`` (right before a number) is a name: it starts with a
    capital and does not begin a sentence ("BOB 2.0", "enligt Vision 2030"; not
    "Minst 4 träffar")."""
    word = text[at:].split(" ", 1)[0]
    if not word[:1].isupper():
        return False
    head = text[:at].rstrip()
    return bool(head) and not _SENTENCE_END.search(head)


def has_vague_verb(text: str, words: QualityWords) -> bool:
    return words.vague.search(clean(text).lower()) is not None


def is_open_ended(timeframe: str, words: QualityWords) -> bool:
    """A time that never ends, and names no frequency either."""
    low = clean(timeframe).lower()
    return bool(words.open_ended.search(low)) and not words.frequency.search(low)


# -- a plan's goals, judged ----------------------------------------------------------------


@dataclass(frozen=True)
class Judged:
    """Each action's judgements (lists in the order of the plan's actions)."""

    is_action: list[bool]  # an action: its row has any text
    measured: list[bool]  # its goal names a measure
    vague: list[bool]  # its goal rests on a vague verb
    vague_verb: list[str]  # the vague phrase found ("verka för"), else ""
    open_ended: list[bool]  # its time is open-ended


def judge(plan: Plan) -> Judged:
    """Judge every action's goal and time, each distinct text once."""
    words = quality_words(plan.spec)
    frame = plan.actions
    content: list[bool] = []
    if len(frame):
        rows = np.asarray(filled(frame, plan.spec.keys).any(axis=1), dtype=bool)
        content = [bool(x) for x in rows]
    measured, vague, verbs = [], [], []
    for text in frame["goal"].tolist():
        judged = _judge_goal(text, words)
        measured.append(judged[0])
        vague.append(bool(judged[1]))
        verbs.append(judged[1])
    open_ended = [_judge_time(text, words) for text in frame["timeframe"].tolist()]
    return Judged(content, measured, vague, verbs, open_ended)


@functools.lru_cache(maxsize=65_536)
def _judge_goal(text: str, words: QualityWords) -> tuple[bool, str]:
    """(names a measure, the vague phrase or ""), once per text: a city of copies of
    one template judges its goals once."""
    if not text:
        return False, ""
    found = words.vague.search(clean(text).lower())
    return names_measure(text, words), found.group() if found else ""


@functools.lru_cache(maxsize=65_536)
def _judge_time(text: str, words: QualityWords) -> bool:
    return bool(text) and is_open_ended(text, words)


def quality_findings(plan: Plan, today: dt.date | None = None) -> list[Finding]:
    """The findings of ``check --quality`` beyond plain ``check``'s, in sheet order:
    goals without a measure or on a vague verb, open-ended times, problems without a
    cause, repeated goals and (once the plan's year is over, ``today`` by default the
    current date) actions without follow-up."""
    frame = plan.actions
    if not len(frame):
        return []
    judged = judge(plan)
    place = placer(plan)
    areas = frame[AREA].tolist()
    goals, times = frame["goal"].tolist(), frame["timeframe"].tolist()
    out: list[tuple[int, int, Finding]] = []

    def add(i: int, order: int, finding: Finding) -> None:
        out.append((i, order, replace(finding, area=areas[i])))

    for i, is_action in enumerate(judged.is_action):
        if not is_action:
            continue
        if goals[i] and not judged.measured[i]:
            add(
                i,
                0,
                Finding(
                    WARNING,
                    "goal-without-measure",
                    place(i, "goal"),
                    "the goal names no measure (no count, share, frequency or comparison)",
                    {"text": goals[i]},
                ),
            )
        if judged.vague[i]:
            add(
                i,
                1,
                Finding(
                    WARNING,
                    "goal-vague-verb",
                    place(i, "goal"),
                    f"the goal rests on a vague verb ({judged.vague_verb[i]!r})",
                    {"text": goals[i], "verb": judged.vague_verb[i]},
                ),
            )
        if judged.open_ended[i]:
            add(
                i,
                2,
                Finding(
                    INFO,
                    "time-open-ended",
                    place(i, "timeframe"),
                    f"the time {times[i]!r} is open-ended; name when the action is followed up",
                    {"text": times[i]},
                ),
            )
    for i, problem in _problems_without_cause(plan):
        add(
            i,
            3,
            Finding(
                WARNING,
                "cause-missing",
                place(i, "problem"),
                f"the problem {problem!r} has actions but no cause",
                {"problem": problem},
            ),
        )
    for rows in _repeated_goals(goals, judged.is_action):
        places = [place(i, "goal") for i in rows]
        shown = compact_places(places)
        add(
            rows[0],
            4,
            Finding(
                INFO,
                "goal-repeated",
                places[0],
                f"the same goal for {len(rows)} actions: {goals[rows[0]]!r}",
                {"text": goals[rows[0]], "count": len(rows), "places": shown, "cells": places},
            ),
        )
    year = plan.meta.year
    today = today or dt.date.today()
    if year is not None and today.year > year:
        follow_ups = frame["follow_up"].tolist()
        actions = frame["action"].tolist()
        for i, (action, follow_up) in enumerate(zip(actions, follow_ups, strict=True)):
            if action and not follow_up:
                add(
                    i,
                    5,
                    Finding(
                        INFO,
                        "follow-up-missing",
                        place(i, "follow_up"),
                        f"no follow-up, and the plan's year {year} is over",
                        {"year": year},
                    ),
                )
    out.sort(key=lambda t: (t[0], t[1]))
    return [f for _i, _o, f in out]


def _problems_without_cause(plan: Plan) -> list[tuple[int, str]]:
    """(row of the problem, its text) for each problem with actions under it and no
    cause: a blank problem or cause belongs to the one above it, as people read a sheet
    where it was written once (or merged)."""
    frame = plan.actions
    out: list[tuple[int, str]] = []
    previous_area = None
    start = -1
    problem = ""
    has_cause = has_action = False

    def close() -> None:
        if start >= 0 and has_action and not has_cause:
            out.append((start, problem))

    rows = zip(
        frame[AREA].tolist(),
        frame["problem"].tolist(),
        frame["cause"].tolist(),
        frame["action"].tolist(),
        strict=True,
    )
    for i, (area, p, cause, action) in enumerate(rows):
        if area != previous_area or p:
            close()
            previous_area, start, problem = area, i, p
            has_cause = has_action = False
        has_cause = has_cause or bool(cause)
        has_action = has_action or bool(action)
    close()
    return [(i, p) for i, p in out if p]


def _repeated_goals(goals: Sequence[str], is_action: Sequence[bool]) -> list[list[int]]:
    """The rows of each goal text (folded) written for more than one action, in order
    of first appearance."""
    rows: dict[str, list[int]] = {}
    for i, (goal, counted) in enumerate(zip(goals, is_action, strict=True)):
        if goal and counted:
            rows.setdefault(fold(goal), []).append(i)
    return [r for r in rows.values() if len(r) > 1]


# -- figures per area ----------------------------------------------------------------------


@dataclass(frozen=True)
class QualityCount:
    """The quality figures of a set of actions (an area, a district)."""

    actions: int = 0
    goals: int = 0  # goals written
    measured: int = 0  # goals that name a measure
    vague: int = 0  # goals on a vague verb
    open_ended: int = 0  # open-ended times
    no_responsible: int = 0  # actions without a responsible
    no_cause: int = 0  # problems with actions and no cause

    def __add__(self, other: QualityCount) -> QualityCount:
        return QualityCount(*(a + b for a, b in zip(self.figures, other.figures, strict=True)))

    @property
    def figures(self) -> list[int]:
        return [
            self.actions,
            self.goals,
            self.measured,
            self.vague,
            self.open_ended,
            self.no_responsible,
            self.no_cause,
        ]


def quality_frame(plan: Plan) -> pd.DataFrame:
    """One row per row of the plan with its judgements (booleans ``is_action``, a
    filled *Åtgärd*; ``goal``, ``measured``, ``vague``, ``open_ended`` and
    ``no_responsible`` of an action; ``no_cause`` on a problem's first row) and its
    ``area``: what the figures are counted from, and the city workbook's columns."""
    judged = judge(plan)
    frame = plan.actions
    no_cause = np.zeros(len(frame), dtype=bool)
    for i, _p in _problems_without_cause(plan):
        no_cause[i] = True
    # Counted as "Antal åtgärder" is: a filled Åtgärd cell (the city's formulas agree).
    is_action = frame["action"].to_numpy(dtype=object) != ""
    return pd.DataFrame(
        {
            AREA: frame[AREA].tolist(),
            "is_action": is_action,
            "goal": is_action & (frame["goal"].to_numpy(dtype=object) != ""),
            "measured": is_action & np.asarray(judged.measured, dtype=bool),
            "vague": is_action & np.asarray(judged.vague, dtype=bool),
            "open_ended": is_action & np.asarray(judged.open_ended, dtype=bool),
            "no_responsible": is_action & (frame["responsible"].to_numpy(dtype=object) == ""),
            "no_cause": no_cause,
        }
    )


_COUNTED = ("is_action", "goal", "measured", "vague", "open_ended", "no_responsible", "no_cause")


def area_quality(plan: Plan) -> dict[str, QualityCount]:
    """For every area in spec order, its quality figures (an empty area's are 0)."""
    judged = quality_frame(plan)
    sums = (
        judged.groupby(AREA, sort=False)[list(_COUNTED)].sum().to_dict("index")
        if len(judged)
        else {}
    )
    out = {}
    for key, title in plan.areas:
        row = sums.get(title)
        out[key] = QualityCount(*(int(row[c]) for c in _COUNTED)) if row else QualityCount()
    return out


def total_quality(counts: Iterable[QualityCount]) -> QualityCount:
    out = QualityCount()
    for c in counts:
        out = out + c
    return out


def quality_marks(plan: Plan) -> dict[str, list[str]]:
    """The judgements as the city's Åtgärder table writes them, by column header:
    "Ja"/"Nej" for a goal's measure (blank where no goal was written), "Ja" or blank
    for the others; the Kvalitet sheet counts them with formulas."""
    q = plan.spec.quality
    yes, no = q["yes"], q["no"]
    judged = quality_frame(plan)
    out: dict[str, list[str]] = {}
    has_goal = judged["goal"].tolist()
    out[q["measured"]] = [
        (yes if m else no) if g else "" for m, g in zip(judged["measured"], has_goal, strict=True)
    ]
    for key in ("vague", "open_ended", "no_cause"):
        out[q[key]] = [yes if v else "" for v in judged[key].tolist()]
    return out
