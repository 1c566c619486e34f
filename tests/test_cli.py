"""Every command of the atgardsplan CLI, through click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import ALL_KEYS, EXAMPLE, TITLES, action, standard_workbook

from converter import read_plan


def test_read_csv_to_stdout(run_cli) -> None:
    result = run_cli("read", EXAMPLE)
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 22 and rows[0]["problem"] == "Barn och unga"
    assert list(rows[0]) == ["area", *ALL_KEYS, "sheet", "row"]


def test_read_json_to_stdout(run_cli) -> None:
    result = run_cli("read", EXAMPLE, "--format", "json")
    records = json.loads(result.stdout)
    assert len(records) == 22 and records[5]["area"] == TITLES[1]


@pytest.mark.parametrize("suffix", ["csv", "json", "xlsx"])
def test_read_to_file_follows_the_extension(suffix: str, tmp_path: Path, run_cli) -> None:
    out = tmp_path / f"data.{suffix}"
    result = run_cli("read", EXAMPLE, "-o", out)
    assert result.exit_code == 0 and out.exists()
    assert "22 actions" in result.stderr
    again = run_cli("read", EXAMPLE, "-o", out)
    assert again.exit_code == 2
    assert again.stderr.strip() == f"error: {out}: already exists (use --force to overwrite)"
    assert run_cli("read", EXAMPLE, "-o", out, "--force").exit_code == 0


def test_read_format_overrides_extension(tmp_path: Path, run_cli) -> None:
    out = tmp_path / "data.txt"
    assert run_cli("read", EXAMPLE, "-o", out, "--format", "json").exit_code == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 22


def test_read_xlsx_needs_a_file(run_cli) -> None:
    result = run_cli("read", EXAMPLE, "--format", "xlsx")
    assert result.exit_code == 2 and "needs an output file" in result.stderr


def test_check_exit_codes(tmp_path: Path, run_cli) -> None:
    result = run_cli("check", EXAMPLE)
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("error   'Sammanställning'!B4  Unga i riskzon")
    assert "says 1, the sheet has 3" in lines[0]
    assert "22 actions, 3 errors, 0 warnings" in result.stderr
    clean = standard_workbook(tmp_path / "atgardsplan-2025-x.xlsx", {0: [action(1)]})
    result = run_cli("check", clean)
    assert result.exit_code == 0 and result.stdout == ""


def test_summary_default_output_and_figures(example_copy: Path, run_cli) -> None:
    result = run_cli("summary", example_copy)
    assert result.exit_code == 0, result.stderr
    out = example_copy.with_name("atgardsplan-2025-norra-innerstaden-sammanstallning.xlsx")
    assert out.exists()
    lines = result.stdout.splitlines()
    assert lines[1].startswith("Unga i riskzon för destruktivt beteende")
    assert "3 (was 1)" in lines[1]
    assert "(was" not in lines[2] and lines[-1].split()[-1] == "22"
    assert read_plan(out).meta.summary_found.rows["unga"]["problem"].value == 3
    assert run_cli("summary", example_copy).exit_code == 2  # exists


def test_summary_with_output(tmp_path: Path, run_cli) -> None:
    out = tmp_path / "rapport.xlsx"
    assert run_cli("summary", EXAMPLE, "-o", out).exit_code == 0
    assert openpyxl.load_workbook(out).sheetnames[-1] == "Sammanställning"


def test_convert_the_example(tmp_path: Path, run_cli) -> None:
    out = tmp_path / "ut"
    result = run_cli("convert", EXAMPLE, "--out", out)
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "atgardsplan-2025-norra-innerstaden-sammanstallning.xlsx",
        "atgardsplan-2025-norra-innerstaden.csv",
        "atgardsplan-2025-norra-innerstaden.json",
        "atgardsplan-2026-norra-innerstaden-mall.xlsx",
        "atgardsplan-2026-norra-innerstaden.xlsx",
    ]
    for name in names:
        assert f"wrote {out / name}" in result.stdout
    nxt = out / "atgardsplan-2026-norra-innerstaden.xlsx"
    assert result.stdout.splitlines()[-3:] == [
        f"3 timeframes in {nxt} name another year than 2026; review them:",
        "  \"Under 2025\" in 2 actions: 'Unga i riskzon'!E3, 'Utsatta brottsoffer'!E7",
        '  "Under året 2025 kommer vi att genomföra informationstillfäl…" in 1 action: '
        "'Utsatta brottsoffer'!E10",
    ]
    wb = openpyxl.load_workbook(nxt)  # the places name the cells of the written file
    assert wb["Unga i riskzon"]["E3"].value == "Under 2025"
    assert wb["Utsatta brottsoffer"]["E7"].value == "Under 2025"
    assert wb["Utsatta brottsoffer"]["E10"].value.startswith("Under året 2025 kommer")
    rolled = read_plan(out / "atgardsplan-2026-norra-innerstaden.xlsx")
    assert rolled.meta.year == 2026 and len(rolled.actions) == 22
    blank = read_plan(out / "atgardsplan-2026-norra-innerstaden-mall.xlsx")
    assert blank.meta.year == 2026 and len(blank.actions) == 0
    before = {p: p.read_bytes() for p in out.iterdir()}
    again = run_cli("convert", EXAMPLE, "--out", out)
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert {p: p.read_bytes() for p in out.iterdir()} == before  # nothing touched
    assert run_cli("convert", EXAMPLE, "--out", out, "--force").exit_code == 0


def test_convert_batch_survives_bad_files(tmp_path: Path, run_cli) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "atgardsplan-2025-norra-innerstaden.xlsx").write_bytes(EXAMPLE.read_bytes())
    standard_workbook(inbox / "atgardsplan-2025-sodermalm.xlsx", {1: [action(1)]})
    (inbox / "trasig.xlsx").write_bytes(EXAMPLE.read_bytes()[:3000])
    (inbox / "~$atgardsplan-2025-sodermalm.xlsx").write_bytes(b"lock file")
    (inbox / "anteckningar.txt").write_text("ignored: not a workbook name")
    result = run_cli("convert", inbox, "--out", tmp_path / "ut")
    assert result.exit_code == 2
    assert f"error: {inbox / 'trasig.xlsx'}: truncated or corrupt" in result.stderr
    assert "2 converted, 1 failed" in result.stderr
    names = {p.name for p in (tmp_path / "ut").iterdir()}
    assert "atgardsplan-2025-sodermalm.json" in names
    assert "atgardsplan-2025-norra-innerstaden.json" in names
    assert not any(n.startswith("trasig") for n in names)
    assert len(names) == 10


def test_unread_sheets_are_reported(tmp_path: Path, run_cli) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Försättsblad"
    wb.active["A1"] = "Åtgärdsplan 2025 – Enskede"
    from conftest import write_area

    write_area(wb.create_sheet("Unga"), TITLES[0], [action(1)])
    helper = wb.create_sheet("Listor")
    helper["A1"] = "Linjearbete"
    helper.sheet_state = "hidden"
    src = tmp_path / "plan.xlsx"
    wb.save(src)
    result = run_cli("summary", src)
    assert result.exit_code == 0
    assert f"note: {src}: sheet 'Försättsblad' is not an area sheet; not read" in result.stderr
    assert f"note: {src}: hidden or empty sheet 'Listor' ignored" in result.stderr
    result = run_cli("convert", src, "--out", tmp_path / "ut")
    assert "'Försättsblad' is not an area sheet" in result.stderr


def test_template_default_name(tmp_path: Path, run_cli, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("template", "--year", "2026", "--district", "Norra innerstaden")
    assert result.exit_code == 0
    out = tmp_path / "atgardsplan-2026-norra-innerstaden.xlsx"
    assert result.stdout.strip() == f"wrote {out.name}"
    plan = read_plan(out)
    assert (plan.meta.year, plan.meta.district, len(plan.actions)) == (2026, "Norra innerstaden", 0)
    assert run_cli("template", "--year", "2027").exit_code == 0
    assert (tmp_path / "atgardsplan-2027.xlsx").exists()
    again = run_cli("template", "--year", "2027")
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_template_own_area_and_spec(tmp_path: Path, run_cli) -> None:
    out = tmp_path / "t.xlsx"
    result = run_cli("template", "--year", "2026", "--own-area", "Trafiksäkerhet", "-o", out)
    assert result.exit_code == 0
    assert openpyxl.load_workbook(out).sheetnames[5] == "Trafiksäkerhet"
    spec = tmp_path / "annan.toml"
    text = (Path(__file__).parent.parent / "templates" / "atgardsplan.toml").read_text("utf-8")
    spec.write_text(text.replace('tab = "Otrygga platser"', 'tab = "Platser"'), "utf-8")
    out2 = tmp_path / "t2.xlsx"
    assert run_cli("template", "--year", "2026", "--spec", spec, "-o", out2).exit_code == 0
    assert openpyxl.load_workbook(out2).sheetnames[1] == "Platser"


def test_bad_spec_is_one_line(tmp_path: Path, run_cli) -> None:
    spec = tmp_path / "trasig.toml"
    spec.write_text("[template\n", encoding="utf-8")
    result = run_cli("read", EXAMPLE, "--spec", spec)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {spec}: cannot read spec")
    result = run_cli("read", EXAMPLE, "--spec", tmp_path / "saknas.toml")
    assert result.exit_code == 2 and "spec file not found" in result.stderr


def test_next_year_default_output(example_copy: Path, run_cli) -> None:
    result = run_cli("next-year", example_copy)
    assert result.exit_code == 0, result.stderr
    out = example_copy.with_name("atgardsplan-2026-norra-innerstaden.xlsx")
    assert f"wrote {out} (22 actions, year 2026)" in result.stdout
    assert f"3 timeframes in {out} name another year than 2026; review them:" in result.stdout
    assert "  \"Under 2025\" in 2 actions: 'Unga i riskzon'!E3, 'Utsatta brottsoffer'!E7" in (
        result.stdout
    )
    plan = read_plan(out)
    assert plan.extra_columns == ["Uppföljning 2025", "Status 2025"]
    check = run_cli("check", out)
    assert check.stdout.count("not the plan's year 2026") == 3


def test_next_year_options(tmp_path: Path, run_cli) -> None:
    out = tmp_path / "n.xlsx"
    result = run_cli("next-year", EXAMPLE, "--year", "2027", "--drop-follow-up", "-o", out)
    assert result.exit_code == 0
    plan = read_plan(out)
    assert plan.meta.year == 2027 and plan.extra_columns == []
    assert (plan.actions["follow_up"] == "").all()


def test_python_dash_m_and_version() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "converter", "--help"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    assert proc.returncode == 0
    for command in (
        "read",
        "check",
        "summary",
        "convert",
        "template",
        "next-year",
        "combine",
        "report",
        "diff",
        "serve",
    ):
        assert command in proc.stdout
    proc = subprocess.run(
        [sys.executable, "-m", "converter", "--version"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    import converter

    assert proc.stdout.strip() == f"atgardsplan, version {converter.__version__}"


# -- batches and output people can act on (issues #8, #14) ---------------------------------


def test_convert_batch_without_districts_does_not_clash(tmp_path: Path, run_cli) -> None:
    """Two plans that name no district: each gets its own blank template (#8)."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    for name in ("första", "andra"):
        path = standard_workbook(inbox / f"{name}.xlsx", {0: [action(1)]})
        wb = openpyxl.load_workbook(path)
        wb.properties.title = "Åtgärdsplan 2025"
        wb.save(path)
    result = run_cli("convert", inbox, "--out", tmp_path / "ut")
    assert result.exit_code == 0, result.stderr
    names = {p.name for p in (tmp_path / "ut").iterdir()}
    assert {"första-2026-mall.xlsx", "andra-2026-mall.xlsx", "första-2026.xlsx"} <= names
    assert result.stderr.strip().splitlines()[-1] == "2 converted, 0 failed"


def test_convert_batch_ends_with_its_failures(tmp_path: Path, run_cli) -> None:
    """The failed files come last, after the summary line, where a person looks (#14)."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a-trasig.xlsx").write_bytes(EXAMPLE.read_bytes()[:3000])
    standard_workbook(inbox / "atgardsplan-2025-bromma.xlsx", {1: [action(1)]})
    (inbox / "c-tom.xlsx").write_bytes(b"")
    result = run_cli("convert", inbox, "--out", tmp_path / "ut")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-3:] == [
        "1 converted, 2 failed",
        f"error: {inbox / 'a-trasig.xlsx'}: truncated or corrupt workbook (File is not a zip file)",
        f"error: {inbox / 'c-tom.xlsx'}: file is empty",
    ]
    quiet = run_cli("convert", inbox, "--out", tmp_path / "ut2", "--quiet")
    assert quiet.stdout == ""
    assert quiet.stderr.strip().splitlines() == [
        f"error: {inbox / 'a-trasig.xlsx'}: truncated or corrupt workbook (File is not a zip file)",
        f"error: {inbox / 'c-tom.xlsx'}: file is empty",
    ]


def test_same_file_name_in_two_folders(tmp_path: Path, run_cli) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        standard_workbook(tmp_path / folder / "atgardsplan-2025-farsta.xlsx", {0: [action(1)]})
    result = run_cli("convert", tmp_path / "a", tmp_path / "b", "--out", tmp_path / "ut")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: {tmp_path / 'b' / 'atgardsplan-2025-farsta.xlsx'}: same file name as "
        f"{tmp_path / 'a' / 'atgardsplan-2025-farsta.xlsx'}: their outputs would collide; rename one"
    )


@pytest.mark.slow
def test_a_large_plan_prints_groups_not_floods(tmp_path: Path, run_cli) -> None:
    """2,454 actions with the same old timeframe: one line with the first places and a
    count, not 2,454 lines (#14)."""
    rows = {
        0: [action(i, timeframe="Under 2025") for i in range(2454)],
        1: [action(i, timeframe=f"Vecka {i} 2025") for i in range(12)],
    }
    src = standard_workbook(tmp_path / "atgardsplan-2025-farsta.xlsx", rows)
    out = tmp_path / "next.xlsx"
    result = run_cli("next-year", src, "-o", out)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"2,466 timeframes in {out} name another year than 2026; review them:"
    assert lines[1] == (
        "  \"Under 2025\" in 2,454 actions: 'Unga i riskzon'!E3, E4, E5, E6, E7, E8, E9, E10, "
        "E11, E12 … and 2,444 more"
    )
    assert lines[2] == "  \"Vecka 0 2025\" in 1 action: 'Otrygga platser'!E3"
    assert lines[10] == "  \"Vecka 8 2025\" in 1 action: 'Otrygga platser'!E11"
    assert lines[11] == (
        f"  … and 3 more texts (--verbose lists them all, as does 'atgardsplan check {out}')"
    )
    assert lines[12] == f"wrote {out} (2,466 actions, year 2026)"
    assert len(lines) == 13
    verbose = run_cli("next-year", src, "-o", tmp_path / "v.xlsx", "--verbose")
    assert len(verbose.stdout.splitlines()) == 1 + 13 + 1
    assert "… and" not in verbose.stdout
    assert "E2456" in verbose.stdout
    quiet = run_cli("next-year", src, "-o", tmp_path / "q.xlsx", "--quiet")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""


def test_template_districts_are_spelled_as_the_list_and_an_unknown_one_noted(
    tmp_path: Path, run_cli
) -> None:
    result = run_cli(
        "template",
        "--year",
        "2026",
        "--district",
        "sodermalm",
        "--district",
        "Nya staden",
        "--out",
        tmp_path,
    )
    assert result.exit_code == 0, result.stderr
    assert read_plan(tmp_path / "atgardsplan-2026-södermalm.xlsx").meta.district == "Södermalm"
    assert read_plan(tmp_path / "atgardsplan-2026-nya-staden.xlsx").meta.district == "Nya staden"
    assert result.stderr.splitlines()[0] == (
        'note: "Nya staden" is not one of the spec\'s districts; written as typed'
    )
    assert "sodermalm" not in result.stderr  # a known one, however typed, needs no note
    for year in ("25", "0", "-5", "99999"):
        refused = run_cli("template", "--year", year, "--out", tmp_path / year)
        assert refused.exit_code == 2 and "is outside 2000–2100" in refused.stderr, year
        assert not (tmp_path / year).exists()  # nothing left behind


def test_template_for_many_districts(tmp_path: Path, run_cli) -> None:
    result = run_cli("template", "--year", "2026", "--all-districts", "--out", tmp_path / "mallar")
    assert result.exit_code == 0, result.stderr
    files = sorted(p.name for p in (tmp_path / "mallar").iterdir())
    assert len(files) == 11
    assert "atgardsplan-2026-enskede-årsta-vantör.xlsx" in files
    plan = read_plan(tmp_path / "mallar" / "atgardsplan-2026-södermalm.xlsx")
    assert (plan.meta.year, plan.meta.district) == (2026, "Södermalm")
    assert result.stderr.strip().splitlines()[-1] == "11 written, 0 failed"
    two_districts = (
        "template", "--year", "2026", "--district", "Bromma", "--district", "Farsta",
        "--out", tmp_path / "två",
    )  # fmt: skip
    two = run_cli(*two_districts)
    assert two.exit_code == 0 and two.stderr.strip() == "2 written, 0 failed"
    assert sorted(p.name for p in (tmp_path / "två").iterdir()) == [
        "atgardsplan-2026-bromma.xlsx",
        "atgardsplan-2026-farsta.xlsx",
    ]
    again = run_cli(*two_districts)
    assert again.exit_code == 2
    assert again.stderr.strip().splitlines()[0] == "0 written, 2 failed"
    assert "already exists (use --force to overwrite)" in again.stderr
    clash = run_cli(
        "template",
        "--year",
        "2026",
        "--district",
        "A",
        "--district",
        "B",
        "-o",
        tmp_path / "x.xlsx",
    )
    assert clash.exit_code == 2 and "for several districts use --out DIR" in clash.stderr


def test_help_is_quick_and_does_not_load_pandas() -> None:
    """`--help` and argument errors answer without importing the library (#8)."""
    code = (
        "import sys\n"
        "from converter.cli import main\n"
        "sys.argv = ['atgardsplan', 'convert', '--year', 'x', 'a.xlsx']\n"
        "try:\n    main()\nexcept SystemExit as e:\n"
        "    print(e.code, 'pandas' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "2 False", proc.stderr
    assert "'x' is not a valid integer" in proc.stderr


@pytest.mark.slow
def test_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    """A batch shows a progress bar when stderr is a terminal, none when piped (#8)."""
    import os
    import pty

    inbox = tmp_path / "in"
    inbox.mkdir()
    for name in ("bromma", "farsta", "järva"):
        standard_workbook(inbox / f"atgardsplan-2025-{name}.xlsx", {0: [action(1)]})
    cmd = [sys.executable, "-m", "converter", "convert", str(inbox)]
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [*cmd, "--out", str(tmp_path / "tty")],
        stderr=slave,
        stdout=subprocess.DEVNULL,
        cwd=Path(__file__).parent.parent,
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait() == 0
    assert b"Converting" in seen and b"100%" in seen
    piped = subprocess.run(
        [*cmd, "--out", str(tmp_path / "pipe")],
        capture_output=True,
        cwd=Path(__file__).parent.parent,
    )
    assert piped.returncode == 0 and piped.stderr == b"3 converted, 0 failed\n"
    quiet = subprocess.run(
        [*cmd, "--out", str(tmp_path / "quiet"), "--quiet"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        cwd=Path(__file__).parent.parent,
    )
    assert quiet.returncode == 0 and quiet.stderr == b""
