"""`combine` over many district workbooks beside the obvious pandas loops, in one run.

    python tests/benchmarks/bench_combine.py [--files 1000] [--repeat 3] [--openpyxl-files N]
                                             [--status]

Makes FILES copies of the bundled example (22 actions, merged cells, a stale summary
with its chart), each with its own district in the document title, in
tests/benchmarks/city-FILES/ (kept between runs; not in git); with --status, copies
of the example with a Status column filled in (written by atgardsplan: no merged
cells), in city-status-FILES/. Then times, best of
--repeat, wall clock:

- ``atgardsplan combine``'s work through the library: ``jobs.combine_files`` (read on
  all cores, combine) and ``jobs.write_combined`` (the city workbook), output included;
- the pandas loop a person would write: ``pandas.read_excel(f, sheet_name=None)`` with
  calamine for every file, ``pandas.concat``, ``DataFrame.to_excel`` with xlsxwriter;
- ``atgardsplan follow-up -o``: the same reading, each plan's follow-up counted and the
  workbook of one sheet per district written;
- the same loop with openpyxl (once, on --openpyxl-files files when given, and scaled
  to FILES: it is an order of magnitude slower).

Also the start-up of the command line: ``atgardsplan --help``, best of 5.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from bench import best, cli_command  # noqa: E402  (the benchmark beside this one)

from converter import load_spec  # noqa: E402
from converter.jobs import combine_files, follow_up_files, write_combined  # noqa: E402

EXAMPLE = ROOT / "examples" / "atgardsplan-2025-norra-innerstaden.xlsx"
TITLE = "Åtgärdsplan 2025 – Norra innerstaden"


#: The example's statuses in the --status folder: each value, a blank, a typed variant.
STATUSES = ["Genomförd", "Pågående", "", "Avbruten", "klart", "Ej påbörjad"] * 3 + ["pågår"] * 4


def status_source(folder: Path) -> tuple[Path, str]:
    """The example with a Status column filled in (written by atgardsplan, no district
    property, so that each copy's title names its district), and its title."""
    from converter import read_plan, write_plan

    plan = read_plan(EXAMPLE)
    plan = plan.with_actions(plan.actions.assign(status=STATUSES), district=None)
    source = folder.with_name(folder.name + "-source.xlsx")
    write_plan(plan, source, overwrite=True)
    return source, "Åtgärdsplan 2025<"


def make_folder(n: int, status: bool = False) -> Path:
    """N example workbooks, district 'Stadsdel 0001' … in each one's title property;
    with ``status`` the example has a Status column filled in."""
    folder = Path(__file__).parent / (f"city-status-{n}" if status else f"city-{n}")
    if folder.is_dir() and len(list(folder.glob("*.xlsx"))) == n:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    source, title = status_source(folder) if status else (EXAMPLE, TITLE)
    with zipfile.ZipFile(source) as zf:
        parts = [(i, zf.read(i.filename)) for i in zf.infolist()]
    for k in range(1, n + 1):
        district = f"Stadsdel {k:04d}"
        new_title = f"Åtgärdsplan 2025 – {district}" + ("<" if title.endswith("<") else "")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for info, data in parts:
                if info.filename == "docProps/core.xml":
                    data = data.replace(title.encode(), new_title.encode())
                out.writestr(info, data)
        (folder / f"atgardsplan-2025-stadsdel-{k:04d}.xlsx").write_bytes(buf.getvalue())
    return folder


def ours(folder: Path, out: Path) -> None:
    city = combine_files([folder], load_spec())
    write_combined(city, out, force=True)


def follow_up(folder: Path, out: Path) -> None:
    follow_up_files([folder], load_spec(), output=out, force=True)


def pandas_loop(files: list[Path], out: Path, engine: str) -> None:
    frames = []
    for f in files:
        for name, df in pd.read_excel(f, sheet_name=None, engine=engine).items():
            df.insert(0, "sheet", name)
            df.insert(0, "file", f.name)
            frames.append(df)
    pd.concat(frames, ignore_index=True).to_excel(out, engine="xlsxwriter", index=False)


def help_time() -> float:
    cmd = [*cli_command(), "--help"]
    return best(lambda: subprocess.run(cmd, capture_output=True, check=True), 5)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--openpyxl-files", type=int, default=None)
    ap.add_argument(
        "--status", action="store_true", help="Workbooks with a Status column filled in."
    )
    args = ap.parse_args()
    folder = make_folder(args.files, args.status)
    files = sorted(folder.glob("*.xlsx"))
    size = sum(f.stat().st_size for f in files) / 1e6
    print(
        f"{len(files)} workbooks of 22 actions (the example"
        f"{', a Status column filled in' if args.status else ''}, one district each), "
        f"{size:.1f} MB; {os.cpu_count()} cores; best of {args.repeat}\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        results: list[tuple[str, float]] = []
        for _ in range(args.repeat):  # interleaved, so load on the machine hits all alike
            results.append(
                (
                    "atgardsplan combine (library, output incl.)",
                    best(lambda: ours(folder, out / "a.xlsx"), 1),
                )
            )
            results.append(
                (
                    "pandas loop, calamine + to_excel",
                    best(lambda: pandas_loop(files, out / "b.xlsx", "calamine"), 1),
                )
            )
            results.append(
                (
                    "atgardsplan follow-up -o (library, output incl.)",
                    best(lambda: follow_up(folder, out / "f.xlsx"), 1),
                )
            )
        fastest: dict[str, float] = {}
        for name, t in results:
            fastest[name] = min(t, fastest.get(name, t))
        n_opx = args.openpyxl_files or len(files)
        t = best(lambda: pandas_loop(files[:n_opx], out / "c.xlsx", "openpyxl"), 1)
        label = "pandas loop, openpyxl + to_excel"
        if n_opx < len(files):
            label += f" ({n_opx} files, scaled)"
        fastest[label] = t * len(files) / n_opx
        base = fastest["pandas loop, calamine + to_excel"]
        for name, t in fastest.items():
            print(f"  {name:<52} {t:7.2f} s  {t / base:5.2f}x")
    print(f"\n  atgardsplan --help                                   {help_time():7.3f} s")


if __name__ == "__main__":
    main()
