"""The command line in Swedish (issue #23): chosen by --lang, ATGARDSPLAN_LANG or the
locale; every message, help text and click's own errors worded in Swedish; English
stays the default."""

from __future__ import annotations

import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from cli_messages import all_messages, missing
from conftest import EXAMPLE

from converter.language import catalogue, chosen, normal

ENGLISH_HELP = "Show this message and exit."


def fields(text: str) -> set[str]:
    """The {values} of a message (a format spec such as {n:,} by its name)."""
    if "%(" in text:  # click's own, in %-style
        return set(re.findall(r"%\((\w+)\)", text))
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_message_has_its_swedish_with_the_same_values() -> None:
    """Fails when a message is added without Swedish (``python tests/cli_messages.py``
    lists them), or when the Swedish drops or renames a value."""
    assert missing("sv") == []
    sv = catalogue("sv")
    messages = all_messages()
    assert len(messages) > 150  # the collector found the command line's words at all
    for english in messages:
        assert fields(sv[normal(english)]) == fields(english), english
    # No entry is left over from a message that is gone.
    assert set(sv) == {normal(m) for m in messages} | set(), sorted(
        set(sv) - {normal(m) for m in messages}
    )


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        ([], {}, "en"),
        ([], {"LANG": "C.UTF-8"}, "en"),
        ([], {"LANG": "sv_SE.UTF-8"}, "sv"),
        ([], {"LC_ALL": "sv_FI.UTF-8", "LANG": "en_GB.UTF-8"}, "sv"),
        ([], {"LC_MESSAGES": "sv_SE", "LANG": "en_US"}, "sv"),
        ([], {"LC_ALL": "en_US.UTF-8", "LANG": "sv_SE.UTF-8"}, "en"),  # the first set decides
        ([], {"ATGARDSPLAN_LANG": "sv", "LANG": "en_US.UTF-8"}, "sv"),
        ([], {"ATGARDSPLAN_LANG": "en", "LANG": "sv_SE.UTF-8"}, "en"),
        (["--lang", "sv", "convert"], {"ATGARDSPLAN_LANG": "en"}, "sv"),
        (["--lang=en"], {"LANG": "sv_SE.UTF-8"}, "en"),
        (["convert", "--", "--lang", "sv"], {}, "en"),  # after --: a file's name
        (["--lang", "fr"], {"LANG": "sv_SE"}, "en"),  # click refuses fr itself
    ],
)
def test_the_language_is_chosen_by_option_setting_and_locale(
    args: list[str], env: dict[str, str], expected: str
) -> None:
    assert chosen(args, env) == expected


def test_swedish_help_of_every_command_and_option(run_cli) -> None:  # type: ignore[no-untyped-def]
    from converter.cli import cli

    english_helps = [
        normal(p.help)
        for c in [cli, *cli.commands.values()]
        for p in c.params
        if getattr(p, "help", None)
    ]
    top = run_cli("--lang", "sv", "--help")
    assert top.exit_code == 0
    assert top.stdout.startswith("Användning: cli [FLAGGOR] KOMMANDO [ARGUMENT]...")
    assert "Läs, sammanställ, slå ihop" in top.stdout and "Kommandon:" in top.stdout
    for name in cli.commands:
        shown = normal(run_cli("--lang", "sv", name, "--help").stdout)
        assert shown.startswith(f"Användning: cli {name} [FLAGGOR]"), name
        assert "Visa den här hjälpen och avsluta." in shown
        for english in english_helps:
            if len(english) > 25:  # the short ones ("Output folder.") are checked above
                assert english not in shown, (name, english)
    # And back to English in the same process.
    assert ENGLISH_HELP in run_cli("convert", "--help").stdout


def test_click_errors_and_ours_say_fel(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    unknown = run_cli("--lang", "sv", "slå-ihop")
    assert unknown.exit_code == 2
    assert "Fel: Okänt kommando 'slå-ihop'." in unknown.stderr
    assert "Prova 'cli --help' för hjälp." in unknown.stderr
    missing_arg = run_cli("--lang", "sv", "read")
    assert "Fel: Argument saknas 'WORKBOOK'." in missing_arg.stderr
    bad_choice = run_cli("--lang", "sv", "check", EXAMPLE, "--format", "xml")
    assert "Ogiltigt värde för '--format'" in bad_choice.stderr
    pdf = tmp_path / "rapport.pdf"
    pdf.write_text("inte en arbetsbok", encoding="utf-8")
    refused = run_cli("--lang", "sv", "convert", pdf, "--out", tmp_path / "ut")
    assert refused.exit_code == 2
    assert refused.stderr.strip().splitlines()[-1] == (
        f"fel: {pdf}: Filen är ingen arbetsbok. Välj en arbetsbok från Excel eller "
        "LibreOffice (.xlsx, .xlsm, .xls eller .ods)."
    )
    assert not (tmp_path / "ut").exists()  # nothing left behind
    year = run_cli("--lang", "sv", "template", "--year", "25")
    assert year.stderr.strip() == "fel: Ange ett år mellan 2000 och 2100."


def test_swedish_runs_speak_swedish(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    check = run_cli("--lang", "sv", "check", EXAMPLE)
    assert check.exit_code == 1
    assert (
        "fel     'Sammanställning'!B4  Unga i riskzon för destruktivt beteende: Antal "
        "problem anger 1, bladet har 3." in check.stdout
    )
    assert check.stderr.strip() == f"{EXAMPLE}: 22 åtgärder, 3 fel, 0 varningar"
    new = tmp_path / "Åtgärdsplan 2026.xlsx"
    rolled = run_cli("--lang", "sv", "next-year", EXAMPLE, "-o", new)
    assert f"skrev {new} (22 åtgärder, år 2026)" in rolled.stdout
    diff = run_cli("--lang", "sv", "diff", EXAMPLE, new)
    head = diff.stdout.splitlines()[2]
    assert head.split() == ["område", "oförändrad", "ändrad", "flyttad", "tillagd", "borttagen"]
    follow = run_cli("--lang", "sv", "follow-up", EXAMPLE)
    assert "av 22 åtgärder uppföljda" in follow.stdout and "  område" in follow.stdout
    for english in (" actions", "wrote ", "error:", "warning:", "unchanged"):
        for out in (check, rolled, diff, follow):
            assert english not in out.stdout + out.stderr, english


@pytest.mark.slow  # a second or more: not in the quick loop
def test_the_locale_alone_makes_the_installed_command_swedish(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.pop("ATGARDSPLAN_LANG", None)
    for locale, said in (
        ("sv_SE.UTF-8", "fel: Ange ett år mellan 2000 och 2100."),
        ("C.UTF-8", "error: year 99999 is outside 2000–2100"),
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "converter", "template", "--year", "99999"],
            capture_output=True,
            text=True,
            env={**env, "LANG": locale},
            cwd=tmp_path,
        )
        assert proc.returncode == 2 and proc.stderr.strip() == said, locale
