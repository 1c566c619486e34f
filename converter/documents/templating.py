"""The Jinja2 templates every document and page is made of, in one place.

The bundled templates sit beside the spec (``templates/``); a user's folder of their
own templates goes in front, so that a file there replaces the bundled one of the same
name with no Python change. The report, the diff page and the web page all render
through ``environment``; ``texts`` gives them the report's fixed Swedish words.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..spec import Spec, default_spec_path
from ..version import __version__

#: The bundled templates: the folder the spec ships in.
TEMPLATES = default_spec_path().parent


def template_folders(template_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """Where templates are looked for, in order: the user's folder (if any), then ours."""
    return [Path(template_dir), TEMPLATES] if template_dir else [TEMPLATES]


def environment(template_dir: str | os.PathLike[str] | None = None) -> jinja2.Environment:
    """Jinja2 with the user's folder (if any) in front of the bundled templates."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_folders(template_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    return env


def css_string(text: object) -> Markup:
    """A CSS string literal of ``text`` for the page's print margins: quotes,
    backslashes, line breaks and ``<`` escaped, so no text can leave the string or the
    style element."""
    out = []
    for ch in str(text):
        if ch in '"\\<>&' or ord(ch) < 0x20:
            out.append(f"\\{ord(ch):X} ")
        else:
            out.append(ch)
    return Markup('"' + "".join(out) + '"')


def texts(spec: Spec) -> dict[str, str]:
    """The report's fixed words (texts with values are rendered where they are used)."""
    words = dict(spec.report)
    words["made_by"] = spec.render(spec.report["made_by"], version=__version__)
    words["area_header"] = spec.summary.area_header
    words["total"] = spec.summary.total_label
    return words
