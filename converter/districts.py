"""District names as files really arrive: matched against the spec's list by folding.

"Kopia av Åtgärdsplan 2025 - Enskede-Årsta-Vantör.xlsx", "ÅP 2025 Jarva v2.xlsx" and
"atgardsplan_2025_skarholmen_slutlig.xlsx" name Enskede-Årsta-Vantör, Järva and
Skärholmen. Words are compared folded (case and accents ignored, so å/ä/ö written a/o
match); the longest district whose words stand together in the text wins, so
"Hägersten-Älvsjö" is not taken for the former "Älvsjö". A name not on the list is kept
as written, with the file name's noise ("kopia av", "slutlig", "v2", "(1)") left out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from .text import fold, normalise, years_in

_WORD = re.compile(r"[^\W_]+")
_VERSION = re.compile(r"^(v|ver|version)?\d+$")


@dataclass(frozen=True)
class District:
    name: str
    former: bool = False
    became: str | None = None


@dataclass(frozen=True)
class Naming:
    """The spec's district list and the words that say nothing about a district."""

    districts: tuple[District, ...]
    noise_words: tuple[str, ...]
    police_area_words: tuple[str, ...]

    @property
    def current(self) -> tuple[str, ...]:
        """The districts of today, in the spec's order."""
        return tuple(d.name for d in self.districts if not d.former)

    @cached_property
    def _patterns(self) -> list[tuple[tuple[str, ...], District]]:
        pats = [(tuple(fold(w) for w in _WORD.findall(d.name)), d) for d in self.districts]
        return sorted(pats, key=lambda p: -len("".join(p[0])))  # longest first

    @cached_property
    def _noise(self) -> frozenset[str]:
        return frozenset(fold(w) for w in self.noise_words)

    def match(self, text: str) -> District | None:
        """The listed district named in ``text`` (words in a row, folded), or None.

        The last word may carry a genitive s ("Norra innerstadens förvaltning").
        """
        words = [fold(w) for w in _WORD.findall(normalise(text))]
        for pattern, district in self._patterns:
            n = len(pattern)
            for i in range(len(words) - n + 1):
                window = words[i : i + n]
                if window[:-1] == list(pattern[:-1]) and window[-1] in (
                    pattern[-1],
                    pattern[-1] + "s",
                ):
                    return district
        folded = fold(text)  # names run together: "norrainnerstaden"
        for pattern, district in self._patterns:
            joined = "".join(pattern)
            if len(joined) >= 6 and joined in folded:
                return district
        return None

    def canonical(self, text: str) -> str:
        """The list's spelling of a district named in ``text``, else ``text`` as written."""
        text = normalise(text)
        district = self.match(text)
        return district.name if district else text

    def split_police_area(self, text: str) -> tuple[str, str | None]:
        """Split off the police area a district text names.

        "Norra innerstaden och lokalpolisområde Norrmalm" -> ("Norra innerstaden", "Norrmalm").
        """
        words = {fold(w) for w in self.police_area_words}
        for m in _WORD.finditer(text):
            if fold(m.group()) in words:
                before = text[: m.start()].rstrip()
                before = re.sub(r"(?i)\s*(\boch\b|&|,|/|[-–—])\s*$", "", before).strip()
                after = text[m.end() :].strip(" \t\n:–—-")
                return before, after or None
        return text, None

    def from_file_name(self, stem: str) -> tuple[int | None, str | None]:
        """(year, district) that a file name gives; None where it gives none."""
        stem = normalise(stem)
        found = years_in(stem)
        year = found[0] if found else None
        district = self.match(stem)
        if district is not None:
            return year, district.name
        # A name not on the list is trusted only beside a year, as in "Åtgärdsplan
        # 2025 Lidingö": "trasig.xlsx" names no district.
        return year, self._as_written(stem) if year is not None else None

    def _as_written(self, stem: str) -> str | None:
        """The span of meaningful words in a file name, as written."""
        no_brackets = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", stem)
        spans = [
            m.span()
            for m in _WORD.finditer(no_brackets)
            if fold(m.group()) not in self._noise
            and not _VERSION.match(fold(m.group()))
            and not years_in(m.group())
        ]
        if not spans:
            return None
        text = no_brackets[spans[0][0] : spans[-1][1]]
        if not re.search(r"[\s_]", text) and "-" in text and text == text.lower():
            text = text.replace("-", " ")  # a slug: "lidingo-stad"
        text = " ".join(text.replace("_", " ").split())
        return text[:1].upper() + text[1:] if text else None


# Swedish alphabetical order: Å, Ä, Ö after Z; other accents sort as their base letter.
_SWEDISH_LAST = {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"}


def swedish_sort_key(text: str) -> tuple[str, str]:
    """A key that orders names as a Swedish dictionary does (Södermalm after Skärholmen)."""
    out = []
    for ch in unicodedata.normalize("NFC", text.casefold()):
        if ch in _SWEDISH_LAST:
            out.append(_SWEDISH_LAST[ch])
        else:
            base = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in base if not unicodedata.combining(c)))
    return "".join(out), text
