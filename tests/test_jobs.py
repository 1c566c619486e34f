"""The seam: every job of ``converter.jobs`` called directly, as the CLI and the page do.

Each test calls one job with real files (the example, workbooks built by hand) and
asserts what it returned and what it wrote; the CLI tests then only need to show that
the command prints those values.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE, SPEC, TITLES, action, standard_workbook

from converter import jobs
from converter.errors import AtgardsplanError, Failure, InputError, NoUsablePlanError, OutputError

EXAMPLE_FIGURES = [3, 7, 0, 10, 2, 0]  # actions per area in the example


# -- settled alike for both front ends ----------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "settled"),
    [
        ("sodermalm", "Södermalm"),
        ("  SÖDERMALM ", "Södermalm"),
        ("norra innerstaden", "Norra innerstaden"),
        ("Rinkeby-Kista", "Rinkeby-Kista"),  # a former district keeps its name
        ("Eget namn", "Eget namn"),  # unknown: kept as typed
        ("", None),
        (None, None),
    ],
)
def test_a_typed_district_is_spelled_as_the_spec_spells_it(
    typed: str | None, settled: str | None
) -> None:
    assert jobs.settle_district(typed, SPEC) == settled


def test_districts_are_settled_once_each_and_all_districts_adds_the_current() -> None:
    assert jobs.settle_districts(["farsta", "Farsta", " ", "skarpnack"], SPEC) == [
        "Farsta",
        "Skarpnäck",
    ]
    every = jobs.settle_districts(["Södermalm"], SPEC, all_districts=True)
    assert every[0] == "Södermalm" and set(every) == set(SPEC.naming.current)
    assert len(every) == len(SPEC.naming.current)


@pytest.mark.parametrize("year", [1999, 2101, 25, 0, -5, 99999])
def test_a_year_outside_2000_2100_is_refused(year: int) -> None:
    with pytest.raises(InputError) as caught:
        jobs.settle_year(year)
    assert caught.value.code == "template-year"
    assert str(year) in str(caught.value)


@pytest.mark.parametrize("year", [2000, 2026, 2100, None])
def test_a_plans_year_is_kept(year: int | None) -> None:
    assert jobs.settle_year(year) == year


def test_next_years_name_moves_the_year_on_or_appends_it() -> None:
    assert jobs.next_year_name(Path("plan-2025-farsta.xlsx"), 2025, 2026) == "plan-2026-farsta.xlsx"
    assert jobs.next_year_name(Path("plan-12025.xlsx"), 2025, 2026) == "plan-12025-2026.xlsx"
    assert jobs.next_year_name(Path("plan.xlsx"), None, 2027) == "plan-2027.xlsx"


# -- one workbook ------------------------------------------------------------------------------


def test_export_file_gives_text_or_writes_a_file(tmp_path: Path) -> None:
    done = jobs.export_file(EXAMPLE, SPEC, "json")
    assert done.path is None and len(json.loads(done.text or "")) == 22
    excel = jobs.export_file(EXAMPLE, SPEC, "csv", excel=True)
    assert (excel.text or "").startswith("\ufeff")
    target = tmp_path / "data.xlsx"
    written = jobs.export_file(EXAMPLE, SPEC, "xlsx", output=target)
    assert written.path == target and written.text is None
    assert openpyxl.load_workbook(target).active.max_row == 23
    with pytest.raises(OutputError) as caught:  # never overwrites unless asked
        jobs.export_file(EXAMPLE, SPEC, "xlsx", output=target)
    assert caught.value.code == "output-exists"


def test_export_format_from_the_name_or_the_option() -> None:
    assert jobs.export_format(None, None) == "csv"
    assert jobs.export_format(Path("x.JSON"), None) == "json"
    assert jobs.export_format(Path("x.txt"), None) is None
    assert jobs.export_format(Path("x.txt"), "csv") == "csv"


def test_check_file_counts_errors_and_warnings() -> None:
    done = jobs.check_file(EXAMPLE, SPEC)
    assert done.errors == sum(f.severity == "error" for f in done.findings) == 3
    assert all(f.severity == "error" for f in done.shown(errors_only=True))
    assert done.plan.meta.district == "Norra innerstaden"


def test_check_file_settles_a_typed_district(tmp_path: Path) -> None:
    done = jobs.check_file(EXAMPLE, SPEC, district="sodermalm")
    assert done.plan.meta.district == "Södermalm"


def test_summarise_file_shows_each_stale_figure_beside_the_true_one(tmp_path: Path) -> None:
    source = shutil.copy(EXAMPLE, tmp_path / "plan.xlsx")
    done = jobs.summarise_file(Path(source), SPEC)
    assert done.output == tmp_path / "plan-sammanstallning.xlsx" and done.output.is_file()
    assert done.headers[0] == SPEC.summary.area_header
    first = done.rows[0]
    assert first.label == TITLES[0] and first.figures[2] == 3 and first.was[2] == "1"
    assert [r.figures[2] for r in done.rows[:-1]] == EXAMPLE_FIGURES
    assert done.rows[-1].label == SPEC.summary.total_label and done.rows[-1].figures[2] == 22
    assert all(w is None for r in done.rows[1:] for w in r.was)


def test_the_summary_rule_is_one_a_summary_without_a_count_column(tmp_path: Path) -> None:
    """A summary sheet whose 'Antal problem' column was deleted: the check, the report
    and the summary's table agree on what is stale (the rule of ``stale_cells``)."""
    path = standard_workbook(tmp_path / "plan.xlsx", {0: [action(1), action(2)]})
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("Sammanställning")
    ws.append(["Sammanställning över prioriterade områden"])
    ws.append(["Prioriterat område", "Antal identifierade orsaker", "Antal åtgärder"])
    ws.append([TITLES[0], 2, 1])  # 1 action said, 2 on the sheet
    for title in TITLES[1:]:
        ws.append([title, 0, 0])
    wb.save(path)
    checked = jobs.check_file(path, SPEC)
    stale = [f for f in checked.findings if f.code == "summary-stale"]
    assert [f.data["count"] for f in stale] == ["Antal åtgärder"]
    headers, rows = jobs.summary_figures(checked.plan)
    assert rows[0].was == [None, None, "1"]
    view = jobs.plan_view(checked.plan, checked.findings, headings=2)
    assert [r["said"] is not None for r in view["summary"]["rows"]] == [True] + [False] * 5


def test_roll_over_file_writes_next_year_with_last_years_follow_up(tmp_path: Path) -> None:
    source = Path(shutil.copy(EXAMPLE, tmp_path / "atgardsplan-2025-norra-innerstaden.xlsx"))
    done = jobs.roll_over_file(source, SPEC)
    assert done.output == tmp_path / "atgardsplan-2026-norra-innerstaden.xlsx"
    assert done.rolled.meta.year == 2026 and done.rolled.meta.previous_follow_up == (
        "Uppföljning 2025"
    )
    ws = openpyxl.load_workbook(done.output)[SPEC.areas[0].tab]
    assert ws.cell(1, 9).value == "Uppföljning 2025"
    assert done.review  # "Under 2025" and the like, to look at
    dropped = jobs.roll_over_file(source, SPEC, keep_follow_up=False, output=tmp_path / "utan.xlsx")
    assert dropped.rolled.meta.previous_follow_up is None
    assert "Uppföljning 2025" not in dropped.rolled.extra_columns


def test_roll_over_file_refuses_a_year_outside_the_range(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        jobs.roll_over_file(EXAMPLE, SPEC, year=99999, output=tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


# -- many workbooks ----------------------------------------------------------------------------


def test_convert_files_expands_folders_and_goes_on_past_a_bad_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "plan-2025.xlsx")
    (folder / "trasig.xlsx").write_text("inte en arbetsbok")
    (folder / "~$plan-2025.xlsx").write_bytes(b"lock")
    run = jobs.convert_files([folder], jobs.ConvertOptions(tmp_path / "ut", SPEC))
    assert [s.path.name for s in run.skipped] == ["~$plan-2025.xlsx"]
    assert [f.path.name for f in run.failures] == ["trasig.xlsx"]
    (converted,) = run.converted
    assert set(converted.files) == {"csv", "json", "summary", "next", "template"}
    assert converted.files["template"].name == "plan-2026-mall.xlsx"
    assert all(p.is_file() for p in converted.written)


def test_convert_files_with_no_workbook_says_so(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(InputError) as caught:
        jobs.convert_files([tmp_path], jobs.ConvertOptions(tmp_path / "ut", SPEC))
    assert caught.value.code == "no-workbooks"


@pytest.mark.slow  # a second or more: not in the quick loop
def test_convert_uploads_gives_each_its_folder_and_the_city_its_files(tmp_path: Path) -> None:
    a = standard_workbook(tmp_path / "farsta-2025.xlsx", {0: [action(1)]})
    b = standard_workbook(tmp_path / "skarpnack-2025.xlsx", {1: [action(2)]})
    refused = Failure(Path("stor.xlsx"), "too large", "upload-too-large")
    batch = jobs.convert_uploads([a, refused, b], tmp_path / "ut", SPEC)
    assert [type(r).__name__ for r in batch.results] == ["Converted", "Failure", "Converted"]
    assert batch.city is not None and len(batch.city.plans) == 2
    assert set(batch.city_files) == {"city", "city_report"}
    first = batch.results[0]
    assert isinstance(first, jobs.Converted) and first.findings is not None
    assert jobs.check_plan_once(first) is first.findings
    assert first.files["report"].parent == tmp_path / "ut" / "1"


def test_combine_to_workbook_writes_the_city_and_refuses_an_existing_output(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    standard_workbook(folder / "farsta-2025.xlsx", {0: [action(1)]})
    standard_workbook(folder / "bromma-2025.xlsx", {0: [action(2)], 2: [action(3)]})
    target = tmp_path / "stad.xlsx"
    done = jobs.combine_to_workbook([folder], SPEC, output=target)
    assert done.output == target and len(done.city.plans) == 2
    assert len(done.city.actions) == 3
    with pytest.raises(OutputError):
        jobs.combine_to_workbook([folder], SPEC, output=target)


def test_combine_with_no_usable_plan_names_each_file(tmp_path: Path) -> None:
    bad = tmp_path / "trasig.xlsx"
    bad.write_text("nej")
    with pytest.raises(NoUsablePlanError) as caught:
        jobs.combine_to_workbook([bad], SPEC, output=tmp_path / "stad.xlsx")
    assert [f.path for f in caught.value.failures] == [bad]
    assert not (tmp_path / "stad.xlsx").exists()


def test_report_files_one_plan_or_the_city(tmp_path: Path) -> None:
    one = jobs.report_files([EXAMPLE], SPEC, output=tmp_path / "r.html")
    assert one.plan is not None and one.city is None and one.pdf is None
    assert "Norra innerstaden" in one.html.read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    standard_workbook(folder / "farsta-2025.xlsx", {0: [action(1)]})
    shutil.copy(EXAMPLE, folder / "norra-innerstaden-2025.xlsx")
    city = jobs.report_files([folder], SPEC, output=tmp_path / "stad.html")
    assert city.city is not None and len(city.city.plans) == 2


def test_report_files_refuses_a_missing_template_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as caught:
        jobs.report_files([EXAMPLE], SPEC, template_dir=tmp_path / "saknas")
    assert caught.value.code == "template-folder-missing"


def test_template_files_settles_districts_and_names_files_from_the_spec(tmp_path: Path) -> None:
    written = jobs.template_files(2026, ["sodermalm", "Farsta"], SPEC, out_dir=tmp_path / "m")
    assert [p.name for p in written if isinstance(p, Path)] == [
        "atgardsplan-2026-södermalm.xlsx",
        "atgardsplan-2026-farsta.xlsx",
    ]
    wb = openpyxl.load_workbook(written[0])  # type: ignore[arg-type]
    assert "Södermalm" in (wb.properties.title or "")
    assert jobs.templates_archive_name(SPEC, 2026) == "mallar-2026.zip"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"year": 25}, "template-year"),
        ({"year": 2026, "districts": ["A", "B"], "output": Path("x.xlsx")}, "one-output"),
    ],
)
def test_template_files_refuses_what_cannot_be_done(
    tmp_path: Path, kwargs: dict[str, object], code: str
) -> None:
    args = {"districts": [], **kwargs}
    with pytest.raises(AtgardsplanError) as caught:
        jobs.template_files(spec=SPEC, out_dir=tmp_path, **args)  # type: ignore[arg-type]
    assert caught.value.code == code
    assert list(tmp_path.iterdir()) == []


def test_diff_files_compares_and_writes_by_the_ending(tmp_path: Path) -> None:
    source = Path(shutil.copy(EXAMPLE, tmp_path / "plan-2025.xlsx"))
    rolled = jobs.roll_over_file(source, SPEC).output
    same = jobs.diff_files(source, rolled, SPEC)
    assert not same.differ and same.counted == {"unchanged": 22}
    assert "unchanged" in same.text()
    assert len(json.loads(same.json())) == 22
    for suffix in jobs.DIFF_SUFFIXES:
        done = jobs.diff_files(source, rolled, SPEC, output=tmp_path / f"d{suffix}")
        assert done.output is not None and done.output.stat().st_size > 0
    with pytest.raises(OutputError) as caught:
        jobs.diff_files(source, rolled, SPEC, output=tmp_path / "d.txt")
    assert caught.value.code == "diff-format"


def test_the_output_names_come_from_the_spec(tmp_path: Path) -> None:
    """Every default name is the spec's [files]: an office renames its outputs there."""
    spec_text = SPEC.path.read_text(encoding="utf-8").replace(
        'summary = "{{ stem }}-sammanstallning.xlsx"', 'summary = "{{ stem }}-summary.xlsx"'
    )
    own = tmp_path / "spec.toml"
    own.write_text(spec_text, encoding="utf-8")
    spec = jobs.load_spec(own)
    source = Path(shutil.copy(EXAMPLE, tmp_path / "plan.xlsx"))
    assert jobs.summarise_file(source, spec).output.name == "plan-summary.xlsx"
    # a spec of its own without [files] takes the bundled names
    bare = tmp_path / "bare.toml"
    head, _, rest = spec_text.partition("[files]")
    bare.write_text(head + "[[columns]]" + rest.partition("[[columns]]")[2], encoding="utf-8")
    assert jobs.load_spec(bare).files == SPEC.files


def test_upload_cost_is_what_convert_uploads_will_unpack(tmp_path: Path) -> None:
    """The gate's measure: the declared unpacked sizes, a workbook the reader refuses
    unread counting nothing, capped at the budget (or the largest workbook, always read)."""
    from converter.reading.source import declared_size

    one = declared_size(EXAMPLE)
    refused = jobs.Failure(tmp_path / "stor.xlsx", "too large", "upload-too-large")
    budget = jobs.RequestBudget(unpacked_bytes=3 * one)
    assert jobs.upload_cost([EXAMPLE, EXAMPLE, refused], 10 * one, budget) == 2 * one
    assert jobs.upload_cost([EXAMPLE] * 5, 10 * one, budget) == 3 * one
    assert jobs.upload_cost([EXAMPLE] * 5, one - 1, budget) == 0  # each refused unread
    assert jobs.upload_cost([EXAMPLE] * 2, 10 * one, jobs.RequestBudget()) == 2 * one
    small = jobs.RequestBudget(unpacked_bytes=one // 2)
    assert jobs.upload_cost([EXAMPLE] * 2, 10 * one, small) == one  # the first, whole
