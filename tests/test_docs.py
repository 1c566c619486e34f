"""The documentation tells the truth (issue #23): the README is short and its example
runs as written, the command reference is what --help says, every command and every
``ATGARDSPLAN_*`` setting is documented, and every link leads somewhere."""

from __future__ import annotations

import ast
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

DOCS = ROOT / "docs"
README = ROOT / "README.md"
MARKDOWN = [README, ROOT / "CONTRIBUTING.md", *sorted(DOCS.glob("*.md"))]


def documented() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in MARKDOWN)


def test_the_readme_is_short_and_links_the_guide() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    assert "(docs/anvandarguide.md)" in text
    # The two commands of a fresh machine, first.
    blocks = re.findall(r"```bash\n(.*?)```", text, re.S)
    assert blocks[0].strip() == (
        "pip install . && atgardsplan convert examples/atgardsplan-2025-norra-innerstaden.xlsx"
    )
    assert blocks[1].strip().startswith('pip install -e ".[test]" && ruff check .')
    assert blocks[1].strip() in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_command_reference_is_what_help_says() -> None:
    proc = subprocess.run(
        [sys.executable, str(DOCS / "make_reference.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_command_and_setting_is_documented() -> None:
    from converter.cli import cli

    text = documented()
    reference = (DOCS / "commands.md").read_text(encoding="utf-8")
    guide = (DOCS / "usage.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"## atgardsplan {name}\n" in reference, name
        assert f"`{name}" in guide or f"atgardsplan {name}" in guide, name
    settings = set()
    for path in (ROOT / "converter").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        settings |= set(re.findall(r"ATGARDSPLAN_[A-Z_]+[A-Z]", source))
        # WebSettings.from_env names its settings without the prefix: number("MAX_FILES", …)
        for node in ast.walk(ast.parse(source)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("number", "path")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                settings.add(f"ATGARDSPLAN_{node.args[0].value}")
    assert len(settings) >= 18, settings
    missing = sorted(s for s in settings if f"`{s}`" not in text)
    assert missing == []


def test_every_link_leads_somewhere() -> None:
    broken = []
    for page in MARKDOWN:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://", "mailto:")):
                continue
            file = target.split("#", 1)[0]
            if file and not (page.parent / file).exists():
                broken.append(f"{page.name}: {target}")
    assert broken == []


def console_examples() -> list[tuple[str, str]]:
    """The README's ```console blocks as (command, what it prints)."""
    text = README.read_text(encoding="utf-8")
    out: list[tuple[str, str]] = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, printed = chunk.partition("\n")
            out.append((command, printed))
    return out


@pytest.mark.slow
def test_the_readme_example_runs_as_written(tmp_path: Path) -> None:
    """In a fresh folder holding what a clone holds (the example), each command prints
    what the README shows, stdout and stderr as a terminal interleaves them."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    examples = console_examples()
    assert len(examples) >= 3
    for command, printed in examples:
        args = shlex.split(command)
        assert args[0] == "atgardsplan"
        proc = subprocess.run(
            [sys.executable, "-m", "converter", *args[1:]],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=300,
        )
        assert proc.stdout.rstrip() == printed.rstrip(), command
