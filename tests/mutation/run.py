"""Mutation testing of the modules that decide what users get, in one command.

    python tests/mutation/run.py              # run mutmut, then report
    python tests/mutation/run.py --report     # report on the last run only
    python tests/mutation/run.py --show       # ... with the diff of every unexplained survivor
    python tests/mutation/run.py --fresh      # forget every result first (after new tests)

mutmut (settings in ``[tool.mutmut]`` of pyproject.toml) changes one thing at a time in
``converter/`` (a ``<`` into ``<=``, a string into another, a call argument dropped)
and runs the quick tests that cover the changed function; a change no test notices
"survives". The report gives the score per module (killed / all mutants; a mutant no
test reaches counts against the score) and checks every survivor against
``tests/mutation/explained.toml``, where each harmless one is listed with the reason.
It exits 1 when a survivor is unexplained.

Takes about 14 minutes on 2 cores for ~2,700 mutants (the reader's mutants run the
most tests). mutmut remembers finished work, so a second run only tests the functions
whose code changed: a survivor is not tested again because a test was added (nor is
which tests cover which function learnt again). After new tests, ``--fresh``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXPLAINED = Path(__file__).with_name("explained.toml")
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 36: "timeout"}
STATUS.update({-24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout", 37: "type check"})


def modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["mutmut"]["only_mutate"])


def results() -> dict[str, dict[str, str]]:
    """module path -> mutant name -> status, from mutmut's files of the last run."""
    out: dict[str, dict[str, str]] = {}
    for module in modules():
        meta = ROOT / "mutants" / f"{module}.meta"
        if not meta.exists():
            out[module] = {}
            continue
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        out[module] = {
            name: STATUS.get(code, "not checked" if code is None else "suspicious")
            for name, code in codes.items()
        }
    return out


def explained() -> dict[str, str]:
    if not EXPLAINED.exists():
        return {}
    data = tomllib.loads(EXPLAINED.read_text(encoding="utf-8"))
    return {name: str(entry["why"]) for name, entry in data.get("mutant", {}).items()}


def report(show: bool) -> int:
    reasons = explained()
    rows = []
    unexplained: list[str] = []
    for module, statuses in results().items():
        counts = Counter(statuses.values())
        total = len(statuses)
        caught = counts["killed"] + counts["timeout"] + counts["type check"]
        survivors = [n for n, s in statuses.items() if s in ("survived", "no tests")]
        open_ones = [n for n in survivors if n not in reasons]
        unexplained += open_ones
        score = f"{100 * caught / total:5.1f} %" if total else "   -  "
        rows.append((module, total, caught, len(survivors), len(survivors) - len(open_ones), score))
    print(f"{'module':<26} {'mutants':>7} {'killed':>7} {'survived':>9} {'explained':>9}  score")
    for module, total, caught, surv, expl, score in rows:
        print(f"{module:<26} {total:>7} {caught:>7} {surv:>9} {expl:>9}  {score}")
    totals = [sum(r[i] for r in rows) for i in range(1, 5)]
    score = 100 * totals[1] / totals[0] if totals[0] else 0
    print(
        f"{'all':<26} {totals[0]:>7} {totals[1]:>7} {totals[2]:>9} {totals[3]:>9}  {score:5.1f} %"
    )
    stale = sorted(set(reasons) - {n for s in results().values() for n in s})
    if stale:
        print(f"\n{len(stale)} explained mutants no longer exist (code changed): remove them")
        for name in stale:
            print(f"  {name}")
    if unexplained:
        print(f"\n{len(unexplained)} survivors without a test or an explanation:")
        for name in unexplained:
            print(f"  {name}")
            if show:
                diff = subprocess.run(
                    ["mutmut", "show", name], capture_output=True, text=True, cwd=ROOT
                ).stdout
                print("    " + diff.replace("\n", "\n    "))
        return 1
    print("\nno unexplained survivor")
    return 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--report", action="store_true", help="only report on the last run")
    ap.add_argument("--show", action="store_true", help="print each survivor's diff")
    ap.add_argument(
        "--fresh", action="store_true", help="forget every result of earlier runs first"
    )
    args = ap.parse_args()
    if args.fresh and not args.report:
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    if not args.report:
        log = ROOT / "mutants" / "run.log"
        log.parent.mkdir(exist_ok=True)
        with log.open("w") as fh:
            children = str(os.cpu_count() or 1)
            proc = subprocess.run(
                ["mutmut", "run", "--max-children", children], stdout=fh, stderr=fh, cwd=ROOT
            )
        if proc.returncode not in (0, 1):
            sys.exit(f"mutmut failed (exit {proc.returncode}); see {log}")
    sys.exit(report(args.show))


if __name__ == "__main__":
    main()
