"""Every text the command line may print, as gettext's extractor would find them:

- each help text of the command tree (commands and options);
- each literal passed to ``_()``, ``translated()`` or ``say()`` in the command line
  and the terminal text of ``diff`` (found in the source with ``ast``);
- the templates of the reader's notes (``plan.Note``);
- the words the command line looks up by value: severities, batch verbs, progress
  labels, the diff's statuses, what a follow-up lacks;
- click's own messages (its gettext calls), from click's source.

``python tests/cli_messages.py`` prints those without Swedish text.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
from collections.abc import Iterator
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "converter" / "cli.py", ROOT / "converter" / "documents" / "diff_report.py"]
TRANSLATORS = {"_", "translated", "say"}


def _calls(tree: ast.AST, names: set[str]) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = (
                f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            )
            if name in names:
                yield node


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def source_messages() -> set[str]:
    out: set[str] = set()
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _calls(tree, TRANSLATORS):
            if not call.args:
                continue
            first = call.args[0]  # a literal, or a choice of two (singular, plural)
            for node in (first.body, first.orelse) if isinstance(first, ast.IfExp) else (first,):
                if (text := _literal(node)) is not None:
                    out.add(text)
        # end_batch(out, n, "converted", ...) and ProgressBar("Reading", out)
        for call in _calls(tree, {"end_batch"}):
            if len(call.args) > 2 and (text := _literal(call.args[2])) is not None:
                out.add(text)
        for call in _calls(tree, {"ProgressBar"}):
            if call.args and (text := _literal(call.args[0])) is not None:
                out.add(text)
    return out


def note_messages() -> set[str]:
    """The templates of the reader's and the rollover's notes (``plan.Note``)."""
    out: set[str] = set()
    for path in (ROOT / "converter").rglob("*.py"):
        for call in _calls(ast.parse(path.read_text(encoding="utf-8")), {"Note"}):
            if call.args and (text := _literal(call.args[0])) is not None:
                out.add(text)
    return out


def looked_up_words() -> set[str]:
    from converter.cli import LACKS_TEXT
    from converter.documents.diff_report import STATUSES
    from converter.rules.checks import ERROR, INFO, WARNING

    return {
        ERROR,
        WARNING,
        INFO,
        *STATUSES,
        *LACKS_TEXT.values(),
        "empty",
        "[OPTIONS]",  # click's metavars in the usage line
        "COMMAND [ARGS]...",
    }


def help_texts() -> set[str]:
    from converter.cli import cli

    out: set[str] = set()
    for command in [cli, *cli.commands.values()]:
        english = command.__dict__.get("_help_en", command.help)
        if english:
            out.add(inspect.cleandoc(english))
        for param in command.params:
            if isinstance(param, click.Option):
                text = param.__dict__.get("_help_en", param.help)
                if text:
                    out.add(text)
    return out


#: Click's modules whose messages a user of this command line can meet.
CLICK_SOURCES = ("core", "decorators", "exceptions", "formatting", "parser", "types")


def click_messages() -> set[str]:
    out: set[str] = set()
    for name in CLICK_SOURCES:
        module = importlib.import_module(f"click.{name}")
        tree = ast.parse(Path(inspect.getfile(module)).read_text(encoding="utf-8"))
        for call in _calls(tree, {"_", "ngettext"}):
            for arg in call.args[:2]:
                if (text := _literal(arg)) is not None:
                    out.add(text)
    return out


def all_messages() -> set[str]:
    return source_messages() | note_messages() | looked_up_words() | help_texts() | click_messages()


def missing(lang: str = "sv") -> list[str]:
    from converter.language import catalogue, normal

    have = catalogue(lang)
    return sorted(m for m in all_messages() if normal(m) not in have)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for m in missing():
        print(repr(m))
