"""Speed and memory of atgardsplan beside the obvious alternatives, in one run.

    python tests/benchmarks/bench.py [--rows 3000] [--repeat 3]

Builds a workbook of 6 areas x ROWS action rows of realistic text (sentences from the
bundled example, varied per row) and prints, side by side:

- reading: python-calamine alone loading the same sheets; ``converter.read_plan``
  (bounded: the parse in a child process under memory and time limits) and the same
  with the parse in this process, unbounded, to show what the bound costs;
  ``pandas.read_excel`` with openpyxl (and with calamine);
- writing: bare xlsxwriter writing the same strings with one format;
  ``converter.write_plan``; ``pandas.DataFrame.to_excel`` with openpyxl;
- memory: peak resident memory of reading hostile files (a decompression bomb, a
  workbook with a million empty formatted rows), each in its own process.

Times are the best of --repeat runs (wall clock, seconds).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import pandas as pd  # noqa: E402
import python_calamine  # noqa: E402
import xlsxwriter  # noqa: E402

from converter import load_spec, read_plan, write_plan  # noqa: E402
from converter.spec import Spec  # noqa: E402

EXAMPLE_JSON = ROOT / "examples" / "atgardsplan-2025-norra-innerstaden.json"


#: The Status column as a year's follow-up fills it: each value, blanks, typed variants.
STATUSES = ["Genomförd", "Pågående", "", "Ej påbörjad", "Avbruten", "klart", "pågår", ""]


def letters(k: int) -> str:
    """0 -> "a", 25 -> "z", 26 -> "ba": a tag that is a word, not a number."""
    out = ""
    while True:
        k, r = divmod(k, 26)
        out = chr(97 + r) + out
        if not k:
            return out


def realistic_rows(n: int, seed: int = 1) -> list[dict[str, str]]:
    data = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    pool = [row for area in data["areas"] for row in area["rows"]]
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        src = pool[rng.randrange(len(pool))]
        row = {k: (f"{v} ({i})" if k in ("action", "follow_up") else v) for k, v in src.items()}
        # Every goal its own text, as in real plans (a tag of letters: a digit would
        # make it name a measure).
        row["goal"] = f"{src['goal']} – grupp {letters(seed * n + i)}"
        row["status"] = STATUSES[rng.randrange(len(STATUSES))]
        rows.append(row)
    return rows


def build_workbook(path: Path, spec: Spec, rows_per_area: int) -> list[list[list[str]]]:
    """Write the benchmark workbook in the template's layout; return its cell texts."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    sheets = []
    for i, area in enumerate(spec.areas):
        ws = wb.add_worksheet(area.tab)
        grid = [
            [area.title, *[c.header for c in spec.columns[1:]]],
            [c.instruction for c in spec.columns],
        ]
        grid += [[r[k] for k in spec.keys] for r in realistic_rows(rows_per_area, seed=i)]
        for r, values in enumerate(grid):
            for c, v in enumerate(values):
                ws.write_string(r, c, v)
        sheets.append(grid)
    wb.close()
    return sheets


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds of a command in a fresh process, and the children's peak RSS in MB."""
    import resource

    t = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=False)
    seconds = time.perf_counter() - t
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def cli_command() -> list[str]:
    """The installed ``atgardsplan`` command, else ``python -m converter``."""
    exe = shutil.which("atgardsplan")
    return [exe] if exe else [sys.executable, "-m", "converter"]


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def best_interleaved(fns: list[Callable[[], object]], repeat: int) -> list[float]:
    """Best time of each function, running them in turn so machine noise hits all alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - t)
    return [min(t) for t in times]


def calamine_alone(path: Path) -> None:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def read_unbounded(path: Path, spec: Spec) -> object:
    """read_plan with the parse in this process: what the bounded reader costs."""
    from converter.reading import source

    def in_process(producers, limits):  # type: ignore[no-untyped-def]
        return ((k, item) for k, produce in enumerate(producers) for item in produce())

    real = source.iter_bounded_shares
    source.iter_bounded_shares = in_process  # type: ignore[assignment]
    try:
        return read_plan(path, spec)
    finally:
        source.iter_bounded_shares = real


def bare_xlsxwriter(path: Path, sheets: list[list[list[str]]]) -> None:
    wb = xlsxwriter.Workbook(str(path))
    fmt = wb.add_format({"text_wrap": True})
    for i, grid in enumerate(sheets):
        ws = wb.add_worksheet(f"S{i}")
        for r, values in enumerate(grid):
            for c, v in enumerate(values):
                ws.write_string(r, c, v, fmt)
    wb.close()


def peak_rss_mb(code: str) -> tuple[float, str]:
    """Run ``code`` in a fresh interpreter; its peak RSS (MB) and its last output line.

    The peak is the larger of the process's own and its children's (the bounded reader
    parses in a child): each process's high-water mark, not their sum."""
    # VmHWM is the high-water mark of this process's own memory; ru_maxrss would carry
    # the parent's over fork and exec. A child's ru_maxrss counts what it shares with
    # the parent too: an upper bound.
    wrapper = (
        code + "\nimport re, resource\nstatus = open('/proc/self/status').read()\n"
        "own = int(re.search(r'VmHWM:\\s+(\\d+)', status).group(1))\n"
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(max(own, kids) / 1024)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", wrapper], capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    lines = out.stdout.strip().splitlines()
    return float(lines[-1]), (lines[-2] if len(lines) > 1 else out.stderr.strip()[-200:])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=3000, help="action rows per area")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-memory", action="store_true", help="skip the hostile-file memory runs")
    args = ap.parse_args()
    spec = load_spec()
    tmp = Path(tempfile.mkdtemp(prefix="atgardsplan-bench-"))
    src = tmp / "large.xlsx"
    sheets = build_workbook(src, spec, args.rows)
    n = args.rows * len(spec.areas)
    print(
        f"workbook: {len(spec.areas)} areas x {args.rows} rows = {n} actions, "
        f"{src.stat().st_size / 1e6:.1f} MB; best of {args.repeat}\n"
    )

    print("reading")
    base, ours, unbounded, pd_cal = best_interleaved(
        [
            lambda: calamine_alone(src),
            lambda: read_plan(src, spec),
            lambda: read_unbounded(src, spec),
            lambda: pd.read_excel(src, sheet_name=None, engine="calamine"),
        ],
        args.repeat,
    )
    pd_opx = best(lambda: pd.read_excel(src, sheet_name=None, engine="openpyxl"), 1)
    for name, t in [
        ("python-calamine alone (to_python)", base),
        ("converter.read_plan (bounded)", ours),
        ("  the same, parsed in process", unbounded),
        ("pandas.read_excel, calamine", pd_cal),
        ("pandas.read_excel, openpyxl", pd_opx),
    ]:
        print(f"  {name:<38} {t:7.3f} s  {t / base:5.2f}x")

    print("\nwriting")
    plan = read_plan(src, spec)
    base_w, ours_t = best_interleaved(
        [
            lambda: bare_xlsxwriter(tmp / "bare.xlsx", sheets),
            lambda: write_plan(plan, tmp / "ours.xlsx", overwrite=True),
        ],
        args.repeat,
    )
    frames = plan.frames

    def pandas_w() -> None:
        with pd.ExcelWriter(tmp / "pandas.xlsx", engine="openpyxl") as xw:
            for i, frame in enumerate(frames.values()):
                frame.to_excel(xw, sheet_name=f"S{i}", index=False)

    pandas_t = best(pandas_w, 1)
    for name, t in [
        ("bare xlsxwriter (same strings, 1 format)", base_w),
        ("converter.write_plan", ours_t),
        ("pandas.to_excel, openpyxl", pandas_t),
    ]:
        print(f"  {name:<38} {t:7.3f} s  {t / base_w:5.2f}x")

    print("\nchecking (the command, a fresh process; every goal text different)")
    cmd = cli_command()
    check_t, quality_t = best_interleaved(
        [
            lambda: subprocess.run([*cmd, "check", str(src)], capture_output=True, check=False),
            lambda: subprocess.run(
                [*cmd, "check", "--quality", str(src)], capture_output=True, check=False
            ),
        ],
        args.repeat,
    )
    for name, t in [("atgardsplan check", check_t), ("atgardsplan check --quality", quality_t)]:
        print(f"  {name:<38} {t:7.3f} s  {t / check_t:5.2f}x")

    if not args.no_memory:
        from hostile import decompression_bomb, million_empty_rows

        print("\nmemory (peak RSS of a fresh process reading the file)")
        bomb = decompression_bomb(tmp / "bomb.xlsx")
        rows = million_empty_rows(tmp / "million.xlsx")
        for label, path in [("decompression bomb", bomb), ("1,000,000 empty formatted rows", rows)]:
            code = (
                "import time\nfrom converter import read_plan, InputError\nt=time.perf_counter()\n"
                f"try:\n    p = read_plan({str(path)!r}); r = f'{{len(p.actions)}} actions'\n"
                "except InputError as e:\n    r = 'refused: ' + e.message\n"
                "print(f'{time.perf_counter()-t:.2f} s, {r}')"
            )
            mb, result = peak_rss_mb(code)
            size = path.stat().st_size / 1e6
            print(f"  {label:<32} {size:6.2f} MB file  peak {mb:6.0f} MB  ({result})")
        mb, _ = peak_rss_mb("import converter.reading.reader\nprint('')")
        print(f"  {'(baseline: import the reader)':<32} {'':>14}  peak {mb:6.0f} MB")


if __name__ == "__main__":
    main()
