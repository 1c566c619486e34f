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

import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import operator
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..plan import AREA, Plan
from ..spec import Spec
from ..text import normalise
from .checks import INFO, WARNING, Finding, compact_places, make_finding, placer
from .summary import filled

#: How many letters of ending a vague verb's first word may carry: verka -> verkar,
#: verkade; främja -> främjas, främjande.
INFLECTION = 4
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
#: A text's tokens: words and numbers, and runs of other signs (2.0 is 2 . 0; 80 %. is
#: 80 %.).
_TOKEN = re.compile(r"\w+|[^\w\s]+")
#: Signs around a word: "(två)," is the word "två".
_STRIPPED = ".,;:!?()[]{}”“\"'*•…–—-/%«»<>"
_SENTENCE_END = frozenset(".!?:;")
_DASHES = frozenset("-–")
_DECIMAL = frozenset(".,")
_BULLETS = re.compile(r"(?m)^\s*(?:[-–•*·▪◦]|\d+[.)])\s+")
_BULLET_STARTS = frozenset("-–•*·▪◦0123456789")
_DIGIT = re.compile(r"\d")
#: Dates written with digits alone: 2025-06-30, 30/6, 30/6-2025.
_DATES = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}(?:[-/]\d{2,4})?")


def tokens(text: str) -> list[str]:
    """Words, numbers and runs of other signs: what the numbers are judged on."""
    return _TOKEN.findall(text)


def words_of(text: str) -> list[str]:
    """Words and numbers, the signs around them stripped: what the phrases are looked
    for among (a phrase with a sign in it, "ggr/" or "%", is looked for in the text
    itself). Splitting at white space is a third quicker than a regular expression."""
    return [w for w in (w.strip(_STRIPPED) for w in text.split()) if w]


class Phrases:
    """A list of phrases found among a text's tokens. A one-word phrase is a set
    lookup, a longer one is looked for only where its longest (rarest) word stands, and
    an inflected first word by its stem: a regular expression of 150 alternatives took
    0.3 ms a goal, and a scan of every token half of that."""

    def __init__(self, phrases: Iterable[str], *, inflect: bool = False) -> None:
        self.inflect = inflect
        singles: set[str] = set()
        self.anchored: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        self.stems: dict[str, list[tuple[str, ...]]] = {}
        substrings: list[str] = []
        for phrase in phrases:
            lower = " ".join(phrase.lower().split())
            words = tuple(words_of(lower))
            if not words:
                continue
            if not inflect and " ".join(words) != lower:
                substrings.append(lower)  # "%", "gånger/", "/veckan": found in the text
                continue
            if inflect:
                self.stems.setdefault(words[0], []).append(words)
            elif len(words) == 1:
                singles.add(words[0])
            else:
                anchor = max(range(len(words)), key=lambda k: len(words[k]))
                self.anchored.setdefault(words[anchor], []).append((words, anchor))
        self.singles = frozenset(singles)
        self.substrings = (
            re.compile("|".join(re.escape(x) for x in sorted(substrings, key=len, reverse=True)))
            if substrings
            else None
        )
        self.anchors = frozenset(self.anchored)
        self.keys = self.singles | self.anchors
        self.stem_tuple = tuple(self.stems)
        # A text without a word beginning like a stem is passed over at once.
        self.quick = (
            re.compile(r"\b(?:" + "|".join(re.escape(k) for k in self.stems) + ")")
            if self.stems
            else None
        )

    def spans(self, low: Sequence[str], text: str = "") -> list[tuple[int, int]]:
        """(start, end) token indexes of each phrase among ``low`` (lower-case tokens),
        in order; ``text``, the same text in lower case, lets a text without any stem
        of an inflected phrase be passed over at once."""
        out: list[tuple[int, int]] = []
        if self.inflect:
            if self.quick is None or (
                text and not (any(k in text for k in self.stem_tuple) and self.quick.search(text))
            ):
                return out
            for i, token in enumerate(low):
                if token.startswith(self.stem_tuple):
                    for stem, phrases in self.stems.items():
                        if token.startswith(stem) and len(token) - len(stem) <= INFLECTION:
                            for words in phrases:
                                if tuple(low[i + 1 : i + len(words)]) == words[1:]:
                                    out.append((i, i + len(words)))
            return out
        if not self.singles.isdisjoint(low):
            out += [(i, i + 1) for i, t in enumerate(low) if t in self.singles]
        out += self._anchored_spans(low, self.anchors.intersection(low))
        return sorted(out)

    def _anchored_spans(
        self, low: Sequence[str], anchors: Iterable[str]
    ) -> Iterator[tuple[int, int]]:
        """(start, end) of each longer phrase, looked for where ``anchors`` (its longest
        words, found among ``low``) stand."""
        for anchor in anchors:
            at = -1
            while True:
                try:
                    at = low.index(anchor, at + 1)
                except ValueError:
                    break
                for words, offset in self.anchored[anchor]:
                    i = at - offset
                    if i >= 0 and tuple(low[i : i + len(words)]) == words:
                        yield i, i + len(words)

    def found(self, low: Sequence[str], text: str = "") -> bool:
        """Whether any phrase stands among ``low`` (the words of ``text``, in lower
        case): at once when a single word does."""
        if self.inflect:
            return bool(self.spans(low, text))
        hits = self.keys.intersection(low)
        if not hits.isdisjoint(self.singles):
            return True
        if self.substrings is not None and self.substrings.search(text):
            return True
        anchors = hits & self.anchors
        return bool(anchors) and next(self._anchored_spans(low, anchors), None) is not None

    def find(self, low: Sequence[str], text: str = "") -> tuple[int, int] | None:
        """The first phrase's (start, end), else None."""
        spans = self.spans(low, text)
        return spans[0] if spans else None


@dataclass(frozen=True, eq=False)
class QualityWords:
    """The spec's ``[quality]`` lists, ready to match."""

    measure: Phrases  # a share, a frequency, a comparison, a number word, "en gång"
    all_words: Phrases  # "alla", "samtliga" …: the noun after them counts
    no_noun: frozenset[str]  # words after "alla" that are no counted noun
    number_names: Phrases  # "112": a number that is a name
    months: frozenset[str]
    labels: frozenset[str]  # words before a number that make it a time or a label
    time_units: frozenset[str]  # a number right before one is a duration or an age
    vague: Phrases
    open_ended: Phrases
    frequency: Phrases


@functools.lru_cache(maxsize=8)
def _compile(items: tuple[tuple[str, tuple[str, ...]], ...]) -> QualityWords:
    q = dict(items)
    measure = [
        *q["share_words"],
        *q["frequency_phrases"],
        *q["comparison_phrases"],
        *q["number_words"],
        *q["one_phrases"],
    ]

    def lower(key: str) -> frozenset[str]:
        return frozenset(w.lower().rstrip(".:") for w in q[key])

    return QualityWords(
        measure=Phrases(measure),
        all_words=Phrases(q["all_words"]),
        no_noun=lower("not_nouns") | lower("vague_nouns"),
        number_names=Phrases(q["number_names"]),
        months=lower("months"),
        labels=lower("number_labels"),
        time_units=lower("time_units"),
        vague=Phrases(q["vague_verbs"], inflect=True),
        open_ended=Phrases(q["open_ended_times"]),
        frequency=Phrases(q["frequency_phrases"]),
    )


def quality_words(spec: Spec) -> QualityWords:
    """The spec's word lists, ready to match (once per set of lists)."""
    lists = tuple(sorted((k, v) for k, v in spec.quality.items() if isinstance(v, tuple)))
    return _compile(lists)


def clean(text: str) -> str:
    """A normalised goal (NFC, NBSP as space, as a plan's texts are) as its numbers are
    judged: bullets, line breaks and soft hyphens gone, the words one space apart (case
    kept: a capital can mark a name)."""
    text = text.replace("\u00ad", "")
    if "\n" in text or text[:1] in _BULLET_STARTS:
        text = _BULLETS.sub(" ", text)
    return " ".join(text.split())


def names_measure(text: str, words: QualityWords) -> bool:
    """Whether a goal names something that can be counted or compared."""
    return _measure(normalise(text), words)


def _measure(text: str, words: QualityWords) -> bool:
    """``names_measure`` of a normalised text."""
    lower = text.replace("\u00ad", "").lower()
    return _measure_of(text, lower, words_of(lower), words)


def _measure_of(text: str, lower: str, low: list[str], words: QualityWords) -> bool:
    if words.measure.found(low, lower):
        return True
    for _start, end in words.all_words.spans(low):
        if end < len(low) and low[end].isalpha() and low[end] not in words.no_noun:
            return True  # "alla våldsutövare", "varje skola"
    if not _DIGIT.search(lower):
        return False
    cleaned = clean(text)
    return _numbers_measure(cleaned, tokens(cleaned.lower()), words)


def _numbers_measure(text: str, low: list[str], words: QualityWords) -> bool:
    """Whether a number of the goal (its tokens ``low``) counts something."""
    toks: list[str] | None = None  # in their case (a capital can mark a name), when needed
    # Numbers: not a name ("112", "BOB 2.0"), a date, a year, a week or grade, an age.
    skip: set[int] = set()
    for start, end in words.number_names.spans(low):
        skip.update(range(start, end))
    for m in _DATES.finditer(text):
        skip.update(range(len(tokens(text[: m.start()])), len(tokens(text[: m.end()]))))
    for i, token in enumerate(low):
        if not token[0].isdigit() or i in skip:
            continue
        if i >= 2 and low[i - 1] in _DECIMAL and low[i - 2][0].isdigit():
            continue  # the decimals of the number before: "2.0", "1,5"
        if len(token) == 4 and token.isdigit() and 1900 <= int(token) <= 2099:
            continue  # a year is a time; "jämfört med 2024" was a comparison above
        j = i - 1
        while j >= 0 and low[j] in (".", ":"):
            j -= 1  # "v. 12", "Mål 2:"
        previous = low[j] if j >= 0 else ""
        if previous in words.labels or previous in words.months:
            continue  # "vecka 12", "åk 8", "mars 3"
        k = i + 1
        if k + 1 < len(low) and low[k] in _DECIMAL and low[k + 1][0].isdigit():
            k += 2  # "1,5 år"
        if k + 1 < len(low) and low[k] in _DASHES and low[k + 1][0].isdigit():
            k += 2  # "12–17 år"
        if k < len(low) and (low[k] in words.time_units or low[k] in words.months):
            continue  # "inom 2 år", "unga 12–17 år", "1 mars": a duration, an age, a date
        if j > 0 and low[j - 1][-1] not in _SENTENCE_END:
            if toks is None:
                toks = tokens(text)
                toks = toks if len(toks) == len(low) else low
            if toks[j][:1].isupper():
                continue  # "BOB 2.0", "enligt Vision 2030" (not "Minst 4 träffar")
        return True
    return False


def vague_verb(text: str, words: QualityWords) -> str:
    """The vague phrase a goal rests on ("verka för"), else ""."""
    lower = normalise(text).replace("\u00ad", "").lower()
    return _vague_of(lower, words_of(lower), words)


def _vague_of(lower: str, low: list[str], words: QualityWords) -> str:
    found = words.vague.find(low, lower)
    return " ".join(low[found[0] : found[1]]) if found else ""


def has_vague_verb(text: str, words: QualityWords) -> bool:
    return bool(vague_verb(text, words))


def is_open_ended(timeframe: str, words: QualityWords) -> bool:
    """A time that never ends, and names no frequency either."""
    lower = normalise(timeframe).replace("\u00ad", "").lower()
    low = words_of(lower)
    return words.open_ended.found(low, lower) and not words.frequency.found(low, lower)


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
    frame = plan.actions
    content: list[bool] = []
    if len(frame):
        rows = np.asarray(filled(frame, plan.spec.keys).any(axis=1), dtype=bool)
        content = [bool(x) for x in rows]
    return judge_texts(frame["goal"].tolist(), frame["timeframe"].tolist(), plan.spec, content)


def judge_texts(
    goals: Sequence[str], times: Sequence[str], spec: Spec, is_action: list[bool]
) -> Judged:
    """Judge the goals and times of rows (``is_action``: which of them are actions)."""
    words = quality_words(spec)
    judged = [_judge_goal(text, words) for text in goals]
    measured = [m for m, _v in judged]
    verbs = [v for _m, v in judged]
    vague = [bool(v) for v in verbs]
    open_ended = [_judge_time(text, words) for text in times]
    return Judged(is_action, measured, vague, verbs, open_ended)


@functools.lru_cache(maxsize=65_536)
def _judge_goal(text: str, words: QualityWords) -> tuple[bool, str]:
    """(names a measure, the vague phrase or ""), once per text: a city of copies of
    one template judges its goals once."""
    if not text:
        return False, ""
    lower = text.replace("\u00ad", "").lower()  # a plan's texts are normalised already
    low = words_of(lower)
    return _measure_of(text, lower, low, words), _vague_of(lower, low, words)


@functools.lru_cache(maxsize=65_536)
def _judge_time(text: str, words: QualityWords) -> bool:
    return bool(text) and is_open_ended(text, words)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while tens of thousands of findings are made (none
    of them in a cycle): each of its passes walks every live object, the plan's
    included, and they took a fifth of the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def quality_findings(plan: Plan, today: dt.date | None = None) -> list[Finding]:
    """The findings of ``check --quality`` beyond plain ``check``'s, in sheet order:
    goals without a measure or on a vague verb, open-ended times, problems without a
    cause, repeated goals and (once the plan's year is over, ``today`` by default the
    current date) actions without follow-up."""
    with _collector_paused():
        return _quality_findings(plan, today)


def _quality_findings(plan: Plan, today: dt.date | None) -> list[Finding]:
    frame = plan.actions
    if not len(frame):
        return []
    judged = judge(plan)
    place = placer(plan)
    areas = frame[AREA].tolist()
    goals, times = frame["goal"].tolist(), frame["timeframe"].tolist()
    out: list[tuple[int, int, Finding]] = []

    def add(
        i: int,
        order: int,
        severity: str,
        code: str,
        cell: str,
        message: str,
        data: dict[str, object],
    ) -> None:
        out.append((i, order, make_finding(severity, code, cell, message, data, areas[i])))

    # The three findings about each action's own cells, made in bulk (an 18,000-action
    # plan has about 27,000 of them).
    action = np.asarray(judged.is_action, dtype=bool)
    has_goal = np.asarray([bool(g) for g in goals], dtype=bool)
    no_measure = "the goal names no measure (no count, share, frequency or comparison)"
    empty: dict[str, object] = {}
    for i in np.flatnonzero(action & has_goal & ~np.asarray(judged.measured, dtype=bool)).tolist():
        out.append(
            (
                i,
                0,
                make_finding(
                    WARNING, "goal-without-measure", place(i, "goal"), no_measure, empty, areas[i]
                ),
            )
        )
    for i in np.flatnonzero(action & np.asarray(judged.vague, dtype=bool)).tolist():
        verb = judged.vague_verb[i]
        message = f"the goal rests on a vague verb ({verb!r})"
        add(i, 1, WARNING, "goal-vague-verb", place(i, "goal"), message, {"verb": verb})
    open_messages: dict[str, str] = {}
    for i in np.flatnonzero(action & np.asarray(judged.open_ended, dtype=bool)).tolist():
        text = times[i]
        if text not in open_messages:
            open_messages[text] = (
                f"the time {text!r} is open-ended; name when the action is followed up"
            )
        message = open_messages[text]
        cell = place(i, "timeframe")
        out.append(
            (i, 2, make_finding(INFO, "time-open-ended", cell, message, {"text": text}, areas[i]))
        )
    for i, problem in _problems_without_cause(plan):
        message = f"the problem {problem!r} has actions but no cause"
        add(i, 3, WARNING, "cause-missing", place(i, "problem"), message, {"problem": problem})
    for rows in _repeated_goals(goals, judged.is_action):
        places = [place(i, "goal") for i in rows]
        text = goals[rows[0]]
        data: dict[str, object] = {
            "text": text,
            "count": len(rows),
            "places": compact_places(places, more="… (+{n:,})"),  # read in any language
            "cells": places,
        }
        message = f"the same goal for {len(rows)} actions: {text!r}"
        add(rows[0], 4, INFO, "goal-repeated", places[0], message, data)
    year = plan.meta.year
    today = today or dt.date.today()
    if year is not None and today.year > year:
        message = f"no follow-up, and the plan's year {year} is over"
        follow_ups = frame["follow_up"].tolist()
        actions = frame["action"].tolist()
        for i, (action, follow_up) in enumerate(zip(actions, follow_ups, strict=True)):
            if action and not follow_up:
                cell = place(i, "follow_up")
                add(i, 5, INFO, "follow-up-missing", cell, message, {"year": year})
    out.sort(key=operator.itemgetter(0, 1))
    return [f for _i, _o, f in out]


def _problems_without_cause(plan: Plan) -> list[tuple[int, str]]:
    return problems_without_cause(plan.actions, [plan.actions[AREA].tolist()])


def problems_without_cause(
    frame: pd.DataFrame, boundaries: Sequence[Sequence[object]]
) -> list[tuple[int, str]]:
    """(row of the problem, its text) for each problem with actions under it and no
    cause: a blank problem or cause belongs to the one above it, as people read a sheet
    where it was written once (or merged), within the same values of ``boundaries``
    (the area; and the plan, in the city's table)."""
    out: list[tuple[int, str]] = []
    previous: tuple[object, ...] | None = None
    start = -1
    problem = ""
    has_cause = has_action = False

    def close() -> None:
        if start >= 0 and has_action and not has_cause:
            out.append((start, problem))

    keys = list(zip(*boundaries, strict=True)) if boundaries else []
    rows = zip(
        keys,
        frame["problem"].tolist(),
        frame["cause"].tolist(),
        frame["action"].tolist(),
        strict=True,
    )
    for i, (key, p, cause, action) in enumerate(rows):
        if key != previous or p:
            close()
            previous, start, problem = key, i, p
            has_cause = has_action = False
        has_cause = has_cause or bool(cause)
        has_action = has_action or bool(action)
    close()
    return [(i, p) for i, p in out if p]


def _repeated_goals(goals: Sequence[str], is_action: Sequence[bool]) -> list[list[int]]:
    """The rows of each goal text written for more than one action (compared in lower
    case, spaces and a closing full stop aside), in order of first appearance."""
    rows: dict[str, list[int]] = {}
    for i, (goal, counted) in enumerate(zip(goals, is_action, strict=True)):
        if goal and counted:
            key = goal.casefold()
            if "  " in key or "\n" in key or "\t" in key:
                key = " ".join(key.split())
            rows.setdefault(key.rstrip(" ."), []).append(i)
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
        """The figures in the order of ``quality_headers``."""
        return [getattr(self, name) for name in FIGURES]


#: The quality figures, in table order: QualityCount's fields, each also the key of its
#: header in the spec's [quality] section.
FIGURES = tuple(f.name for f in dataclasses.fields(QualityCount))


def quality_headers(spec: Spec) -> list[str]:
    """The headers of a table of quality figures, in the order of ``figures``."""
    return [spec.quality[name] for name in FIGURES]


def quality_columns(plan: Plan) -> dict[str, list[bool]]:
    """Per row of the plan its judgements (see ``judged_columns``)."""
    return judged_columns(plan.actions, plan.spec, [plan.actions[AREA].tolist()])


def judged_columns(
    frame: pd.DataFrame, spec: Spec, boundaries: Sequence[Sequence[object]]
) -> dict[str, list[bool]]:
    """Per row of ``frame`` (a plan's actions, or the city's) its judgements:
    ``is_action`` (a filled *Åtgärd*, what "Antal åtgärder" counts, and the city's
    formulas too); ``goal``, ``measured``, ``vague``, ``open_ended`` and
    ``no_responsible`` of an action; ``no_cause`` on the first row of a problem with
    actions and no cause (problems end where ``boundaries`` change: the area, the
    plan). Plain lists: the city's 22,000 actions are judged in one pass."""
    action = [bool(a) for a in frame["action"].tolist()]
    judged = judge_texts(frame["goal"].tolist(), frame["timeframe"].tolist(), spec, action)
    no_cause = [False] * len(frame)
    for i, _p in problems_without_cause(frame, boundaries):
        no_cause[i] = True
    goal = [a and bool(g) for a, g in zip(action, frame["goal"].tolist(), strict=True)]
    return {
        "is_action": action,
        "goal": goal,
        "measured": [a and m for a, m in zip(action, judged.measured, strict=True)],
        "vague": [a and v for a, v in zip(action, judged.vague, strict=True)],
        "open_ended": [a and o for a, o in zip(action, judged.open_ended, strict=True)],
        "no_responsible": [
            a and not r for a, r in zip(action, frame["responsible"].tolist(), strict=True)
        ],
        "no_cause": no_cause,
    }


_COUNTED = ("is_action", "goal", "measured", "vague", "open_ended", "no_responsible", "no_cause")


def count_quality(columns: Mapping[str, Sequence[bool]]) -> QualityCount:
    """The quality figures of the rows of ``quality_columns``."""
    return QualityCount(*(sum(columns[c]) for c in _COUNTED))


def area_quality(plan: Plan) -> dict[str, QualityCount]:
    """For every area in spec order, its quality figures (an empty area's are 0)."""
    columns = quality_columns(plan)
    rows: dict[str, list[int]] = {}
    for i, area in enumerate(plan.actions[AREA].tolist()):
        rows.setdefault(area, []).append(i)
    out = {}
    for key, title in plan.areas:
        index = rows.get(title, [])
        out[key] = count_quality({c: [columns[c][i] for i in index] for c in _COUNTED})
    return out


def total_quality(counts: Iterable[QualityCount]) -> QualityCount:
    out = QualityCount()
    for c in counts:
        out = out + c
    return out


def quality_marks(spec: Spec, columns: Mapping[str, Sequence[bool]]) -> dict[str, list[str]]:
    """The judgements (``judged_columns``) as the city's Åtgärder table writes them, by
    column header: "Ja" where the judgement holds, blank elsewhere (cells written only
    where there is something to count); the Kvalitet sheet counts them with formulas."""
    yes = spec.quality["yes"]
    return {
        spec.quality[key]: [yes if v else "" for v in columns[key]]
        for key in ("measured", "vague", "open_ended", "no_cause")
    }
