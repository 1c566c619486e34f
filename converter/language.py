"""The command line's language: English, or Swedish for Swedish users.

The language is Swedish when ``--lang sv`` is given, else when ``ATGARDSPLAN_LANG``
says so, else when the locale does (``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` starting
with ``sv``); English otherwise. ``_("wrote {path}", path=p)`` is a line of the
command line: its English text is the key of the catalogue of the chosen language,
``templates/cli.<lang>.toml``, whose text is filled in with the values
(``str.format``: ``{n:,}`` works). English needs no catalogue.

Why a TOML catalogue rather than gettext's .po/.mo: the project's other Swedish (the
workbooks, the reports, the page, every error's reason) is already TOML in
``templates/``, editable by an administrator without tools and read by the standard
library; a .mo would be a compiled binary to build and keep out of git, and gettext's
strength, plural forms across many languages, is not needed for one language whose
counts read the same with "st." The test that every message has its Swedish walks
the command tree (every help text) and the source (every ``_()`` call), as gettext's
extractor would.

Click's own words ("Usage:", "Error: No such command …") come from its gettext calls:
``install`` points those at the same catalogue.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

#: The languages the command line speaks; the first is the default.
LANGUAGES = ("en", "sv")
#: The click modules that word their messages with gettext.
CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
    "click.shell_completion",
)

_current = {"lang": LANGUAGES[0]}


def chosen(args: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """The language asked for: ``--lang`` in ``args``, else the environment."""
    env = os.environ if environ is None else environ
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return _known(args[i + 1])
        if arg.startswith("--lang="):
            return _known(arg.split("=", 1)[1])
    asked = env.get("ATGARDSPLAN_LANG", "").strip()
    if asked:
        return _known(asked)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value:  # the first one set decides, as gettext reads them
            return "sv" if value.lower().startswith("sv") else "en"
    return LANGUAGES[0]


def _known(value: str) -> str:
    code = value.strip().lower()[:2]
    return code if code in LANGUAGES else LANGUAGES[0]


def current() -> str:
    return _current["lang"]


def folder() -> Path:
    """Where the catalogues are: beside the spec, in the package's templates (or the
    repository's), as the reports' and the page's templates are."""
    from .spec import default_spec_path  # only when a catalogue is read: --help stays quick

    return default_spec_path().parent


@cache
def catalogue(lang: str) -> dict[str, str]:
    """English text -> the language's text, from ``templates/cli.<lang>.toml``."""
    if lang == LANGUAGES[0]:
        return {}
    with (folder() / f"cli.{lang}.toml").open("rb") as fh:
        data = tomllib.load(fh)
    return {normal(m["en"]): m[lang] for m in data.get("message", [])}


def normal(text: str) -> str:
    """A text as the catalogue keys it: lines joined, spaces single (help texts and
    docstrings are wrapped differently in the code than in the catalogue)."""
    return re.sub(r"\s+", " ", text).strip()


def translated(text: str, lang: str | None = None) -> str:
    """``text`` in ``lang`` (default: the current language), or as it is."""
    lang = lang or current()
    if lang == LANGUAGES[0]:
        return text
    return catalogue(lang).get(normal(text), text)


def _(text: str, /, **values: Any) -> str:
    """A line of the command line in the current language, filled in."""
    wording = translated(text)
    return wording.format(**values) if values else wording


def _plural(singular: str, plural: str, n: int) -> str:
    return translated(singular if n == 1 else plural)


def install(lang: str) -> None:
    """Speak ``lang`` from now on, click's own messages included."""
    import gettext
    import importlib

    _current["lang"] = lang
    for name in CLICK_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - a click without it
            continue
        if hasattr(module, "_"):
            module._ = translated if lang != LANGUAGES[0] else gettext.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _plural if lang != LANGUAGES[0] else gettext.ngettext  # type: ignore[attr-defined]
