"""`atgardsplan report` on a large plan beside read_plan + DataFrame.to_html, in one run.

    python tests/benchmarks/bench_report.py [--rows 3000] [--repeat 3]

Builds the benchmark workbook of bench.py (6 areas x ROWS actions of realistic text)
and times, best of --repeat, each as a fresh process (imports included, as a user
runs them), interleaved:

- the whole ``atgardsplan report WB -o OUT.html`` command: read, check, group, charts,
  templates, write;
- ``read_plan`` and ``plan.actions.to_html(OUT)``: the same actions as a bare table.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench import build_workbook, cli_command, timed  # noqa: E402  (the benchmark beside this one)

from converter import load_spec  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="atgardsplan-bench-"))
    try:
        src = tmp / "atgardsplan-2025-stor.xlsx"
        build_workbook(src, load_spec(), args.rows)
        ours = [*cli_command(), "report", str(src), "-o", str(tmp / "ours.html"), "--force"]
        bare = [
            sys.executable,
            "-c",
            "from converter import read_plan\n"
            f"read_plan({str(src)!r}).actions.to_html({str(tmp / 'bare.html')!r})",
        ]
        best = {"report": float("inf"), "bare": float("inf")}
        for _ in range(args.repeat):
            best["report"] = min(best["report"], timed(ours)[0])
            best["bare"] = min(best["bare"], timed(bare)[0])
        n = 6 * args.rows
        sizes = {k: (tmp / f"{k if k == 'bare' else 'ours'}.html").stat().st_size for k in best}
        print(
            f"plan: 6 areas x {args.rows} rows = {n} actions; best of {args.repeat}, fresh processes\n"
        )
        print(
            f"  read_plan + DataFrame.to_html        {best['bare']:6.2f} s   1.00x   {sizes['bare'] / 1e6:5.1f} MB"
        )
        print(
            f"  atgardsplan report (whole command)   {best['report']:6.2f} s   "
            f"{best['report'] / best['bare']:4.2f}x   {sizes['report'] / 1e6:5.1f} MB"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
