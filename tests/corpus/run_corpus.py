"""Run every command over a folder of third-party spreadsheet files and count outcomes.

    python tests/corpus/run_corpus.py FOLDER [--commands read,check,...] [--jobs 2]
        [--timeout 60] [--memory-mb 4096] [--show 10] [--json OUT.json]

Each file is given to each command in a child process of its own, under an address
space limit (``--memory-mb``, so that a runaway reader cannot take the machine down)
and a timeout. An outcome is

- ``read``: exit 0 (or 1 for ``check``/``diff``: findings, a difference);
- ``refused``: exit 2 with one line ``error: FILE: reason`` and no traceback;
- ``defect``: anything else: a traceback, another exit code, a signal, a timeout, a
  run over the memory limit, more than one line on a refusal, or a file left behind
  in the output folder after exit 2.

It prints the counts per command, the peak memory and the slowest files, then every
defect with its first line of output: the contract is 0 defects. Not part of the test
run (a corpus is thousands of files); ``tests/reading/test_corpus.py`` runs the same
checks over the small fixtures in ``tests/corpus/fixtures/``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
COMMANDS = (
    "read",
    "check",
    "check-quality",
    "summary",
    "next-year",
    "convert",
    "combine",
    "follow-up",
    "report",
    "diff",
)
#: Exit codes that keep the contract, per command (1: findings, or plans that differ).
ALLOWED = {"check": (0, 1, 2), "check-quality": (0, 1, 2), "diff": (0, 1, 2)}


@dataclass
class Outcome:
    file: str
    command: str
    kind: str  # read, refused, defect
    code: int
    seconds: float
    peak_mb: float
    first_line: str


def argv(command: str, path: Path, out: Path) -> list[str]:
    base = [sys.executable, "-m", "converter"]
    return {
        "read": [*base, "read", str(path), "-o", str(out / "data.json")],
        "check": [*base, "check", str(path)],
        "check-quality": [*base, "check", "--quality", "--format", "json", str(path)],
        "follow-up": [*base, "follow-up", str(path), "-o", str(out / "follow-up.xlsx")],
        "summary": [*base, "summary", str(path), "-o", str(out / "summary.xlsx")],
        "next-year": [*base, "next-year", str(path), "-o", str(out / "next.xlsx")],
        "convert": [*base, "convert", str(path), "--out", str(out / "convert")],
        "combine": [*base, "combine", str(path), "-o", str(out / "city.xlsx")],
        "report": [*base, "report", str(path), "-o", str(out / "report.html")],
        "diff": [*base, "diff", str(path), str(path), "-o", str(out / "diff.json")],
    }[command]


#: Runs the command under the limits and says its peak memory (all its processes) last.
WRAPPER = """
import resource, subprocess, sys
limit = int(sys.argv[1])
def bounded():
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
code = subprocess.run(sys.argv[2:], preexec_fn=bounded).returncode
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"@@peak_kb={peak}", file=sys.stderr)
sys.exit(code if code >= 0 else 128 - code)
"""


def run_one(command: str, path: Path, timeout: float, memory_mb: int) -> Outcome:
    limit = memory_mb * 1024 * 1024
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        out = Path(tmp)
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", WRAPPER, str(limit), *argv(command, path, out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            env={**os.environ, "COLUMNS": "200"},
            start_new_session=True,
        )
        try:
            _, err = proc.communicate(timeout=timeout)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            _, err = proc.communicate()
            code = -9999
        seconds = time.perf_counter() - start
        left = [p for p in out.rglob("*") if p.is_file()]
    peak_mb = 0.0
    if "@@peak_kb=" in err:
        err, _, peak = err.rpartition("@@peak_kb=")
        peak_mb = round(int(peak.strip() or 0) / 1024, 1)
    lines = [line for line in err.splitlines() if line.strip()]
    first = lines[0] if lines else ""
    allowed = ALLOWED.get(command, (0, 2))
    if code == -9999:
        kind, first = "defect", f"timeout after {timeout:.0f} s"
    elif "Traceback" in err or code not in allowed:
        kind = "defect"
        first = next((ln for ln in reversed(lines) if ln.strip()), first) or f"exit {code}"
    elif code == 2:
        errors = [ln for ln in lines if ln.startswith(("error:", "fel:"))]
        kind = "refused" if errors and not left else "defect"
        if left:
            first = f"left {len(left)} file(s) behind: {first}"
        named = [ln for ln in errors if ln.startswith(f"error: {path}: ")]
        first = (named or errors)[0] if errors and not left else first
    else:
        kind = "read"
    return Outcome(str(path), command, kind, code, round(seconds, 2), peak_mb, first[:300])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--commands", default="read,check,convert,combine,report,diff")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--memory-mb", type=int, default=4096)
    parser.add_argument("--show", type=int, default=10)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    files = sorted(p for p in args.folder.rglob("*") if p.suffix.lower() in SUFFIXES)
    commands = args.commands.split(",")
    tasks = [(c, f) for f in files for c in commands]
    print(f"{len(files)} files x {len(commands)} commands = {len(tasks)} runs", flush=True)
    started = time.perf_counter()
    with ThreadPoolExecutor(args.jobs) as pool:
        outcomes = list(
            pool.map(lambda t: run_one(t[0], t[1], args.timeout, args.memory_mb), tasks)
        )
    wall = time.perf_counter() - started
    per = {c: Counter(o.kind for o in outcomes if o.command == c) for c in commands}
    print(f"\n{'command':<10} {'read':>7} {'refused':>8} {'defect':>7}")
    for c in commands:
        print(f"{c:<10} {per[c]['read']:>7} {per[c]['refused']:>8} {per[c]['defect']:>7}")
    total = Counter(o.kind for o in outcomes)
    print(f"{'all':<10} {total['read']:>7} {total['refused']:>8} {total['defect']:>7}")
    slow = sorted(outcomes, key=lambda o: -o.seconds)[: args.show]
    heavy = max(outcomes, key=lambda o: o.peak_mb, default=None)
    if heavy:
        print(f"\npeak memory: {heavy.peak_mb:.0f} MB ({heavy.command} {heavy.file})")
    print(f"\nslowest (wall {wall:.0f} s for all runs):")
    for o in slow:
        print(f"  {o.seconds:7.2f} s  {o.command:<9} {o.file}")
    refusals = Counter(o.first_line.split(": ", 2)[-1] for o in outcomes if o.kind == "refused")
    print("\nreasons given, most common first:")
    for reason, n in refusals.most_common(args.show):
        print(f"  {n:5}  {reason}")
    defects = [o for o in outcomes if o.kind == "defect"]
    print(f"\ndefects: {len(defects)}")
    for o in defects:
        print(f"  {o.command:<9} {o.file}: exit {o.code}: {o.first_line}")
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=1), "utf-8")
    return 1 if defects else 0


if __name__ == "__main__":
    sys.exit(main())
