"""Render the pictures in the README: LibreOffice to PDF, then pdftoppm to PNG.

    python docs/make_pictures.py

Needs soffice (libreoffice-calc-nogui) and pdftoppm (poppler-utils). Writes
docs/summary.png, docs/area-sheet.png, docs/template.png, docs/next-year.png and
docs/city-summary.png (the combined workbook of eleven districts, each plan a varied
sample of the example's actions), and with headless Chromium docs/report.png (the
example's report as a browser shows it) and docs/report-pdf.png (its printed page 2),
and docs/diff.png (the xlsx of `diff` between the example and an edited 2026 plan).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import random  # noqa: E402

from converter import (  # noqa: E402
    blank_plan,
    combine_plans,
    load_spec,
    next_year,
    plan_from_records,  # noqa: E402
    read_plan,
    read_plans,
    write_city,
    write_plan,
)
from converter.documents.pdf import browser_command, find_browser, html_to_pdf  # noqa: E402
from converter.documents.report import render_plan_report  # noqa: E402
from converter.jobs import write_diff  # noqa: E402
from converter.rules.diff import diff_plans  # noqa: E402

EXAMPLE = ROOT / "examples" / "atgardsplan-2025-norra-innerstaden.xlsx"
STATUSES = ["Genomförd", "Pågående", "", "Avbruten", "Genomförd", "Pågående"] * 3 + [
    "Ej påbörjad",
    "Ej påbörjad",
    "Genomförd",
    "",
]


def render(
    xlsx: Path, page: int, png: Path, dpi: int = 70, crop: tuple[int, int, int, int] | None = None
) -> None:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(xlsx.parent), str(xlsx)],
        check=True,
        capture_output=True,
    )
    pdf = xlsx.with_suffix(".pdf")
    stem = png.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            *(
                [
                    "-x",
                    *map(str, crop[:1]),
                    "-y",
                    str(crop[1]),
                    "-W",
                    str(crop[2]),
                    "-H",
                    str(crop[3]),
                ]
                if crop
                else []
            ),
            str(pdf),
            str(stem),
        ],
        check=True,
    )
    print(png)


def pages(xlsx: Path) -> int:
    pdf = xlsx.with_suffix(".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))


def main() -> None:
    spec = load_spec()
    docs = ROOT / "docs"
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        plan = read_plan(EXAMPLE)
        # The year's follow-up as a district might have it: a status for most actions,
        # two without follow-up text yet.
        frame = plan.actions.assign(status=STATUSES)
        frame.loc[[3, 4], "follow_up"] = ""
        followed = plan.with_actions(frame)
        rebuilt = write_plan(followed, t / "rebuilt.xlsx")
        render(rebuilt, 2, docs / "area-sheet.png")
        render(rebuilt, pages(rebuilt), docs / "summary.png")
        template = write_plan(
            blank_plan(2026, "Norra innerstaden"), t / "template.xlsx", blank_rows=spec.blank_rows
        )
        render(template, 1, docs / "template.png")
        rolled = next_year(followed)
        nxt = write_plan(
            rolled,
            t / "next.xlsx",
            blank_rows=spec.next_year_blank_rows,
            previous_follow_up=rolled.extra_columns[0],
        )
        render(nxt, 1, docs / "next-year.png")
        city = write_city(
            combine_plans(read_plans(city_folder(t / "inkorg"), spec)), t / "stad.xlsx"
        )
        render(city, 1, docs / "city-summary.png", dpi=60)
        report = t / "rapport.html"
        report.write_text(render_plan_report(plan), encoding="utf-8")
        screenshot(report, docs / "report.png")
        pdf = html_to_pdf(report, t / "rapport.pdf")
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "2",
                "-l",
                "2",
                "-singlefile",
                str(pdf),
                str(docs / "report-pdf"),
            ],
            check=True,
        )
        diff = write_diff_example(plan, t / "jamforelse.xlsx")
        render(diff, 1, docs / "diff.png", dpi=200, crop=(60, 110, 1300, 560))


def write_diff_example(plan, path: Path) -> Path:  # type: ignore[no-untyped-def]
    """Next year's plan edited as people do, compared with last year's."""
    rows = [{k: r[k] for k in ("area", *plan.spec.keys)} for r in plan.actions.to_dict("records")]
    rows[0]["action"] = rows[0]["action"].replace("regeringsuppdrag", "uppdrag från regeringen")
    rows[4]["area"] = rows[19]["area"]
    del rows[12]
    rows.insert(
        3, {**rows[2], "action": "Cykelpatrull längs Norr Mälarstrand", "goal": "Färre stölder"}
    )
    for r in rows:
        r["follow_up"] = ""
    new = plan_from_records(rows, year=2026, district="Norra innerstaden")
    return write_diff(diff_plans(plan, new), plan, new, path)


def screenshot(page: Path, png: Path) -> None:
    """The top of ``page`` as a 1000 x 1250 browser window shows it."""
    with tempfile.TemporaryDirectory() as profile:
        exe = find_browser()
        assert exe, "Chromium is needed: apt-get install chromium"
        subprocess.run(
            [
                *browser_command(exe, profile),
                "--hide-scrollbars",
                "--window-size=1000,1250",
                f"--screenshot={png}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
        )
    print(png)


def city_folder(folder: Path) -> list[Path]:
    """Eleven districts' 2025 plans, each a different sample of the example's actions."""
    folder.mkdir()
    plan = read_plan(EXAMPLE)
    rng = random.Random(2025)
    files = []
    for i, district in enumerate(load_spec().naming.current):
        keep = sorted(rng.sample(range(len(plan.actions)), rng.randint(6, 22)))
        sample = plan.actions.iloc[keep].reset_index(drop=True)
        path = folder / f"Åtgärdsplan 2025 {district}{' (1)' if i % 3 == 0 else ''}.xlsx"
        files.append(write_plan(plan.with_actions(sample, district=None), path))
    return files


if __name__ == "__main__":
    main()
