"""`atgardsplan diff` on two large plans beside reading both, in one run.

    python tests/benchmarks/bench_diff.py [--rows 3000] [--repeat 3]

Builds the benchmark workbook of bench.py (6 areas x ROWS actions of realistic text) as
OLD, and NEW from it with a few percent of edits: 2 % of the actions reworded, 1 %
moved to another area, 1 % removed, 1 % added, every area's rows shuffled. Times, best
of --repeat, each a fresh process (imports included):

- one process importing the package and calling ``read_plan`` on both files;
- the whole ``atgardsplan diff OLD NEW`` command, printing text (the default), and
  with ``-o OUT.json`` (both plans' full texts for every action: 44 MB here);
- the worst case: ``diff`` of two plans with nothing in common, made from the same
  sentence pool (so every action looks like thousands of others) with different words.

Peak memory (VmHWM) of the diff processes is printed beside.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench import build_workbook, cli_command, timed  # noqa: E402  (the benchmark beside this one)

from converter import load_spec, plan_from_records, read_plan, write_plan  # noqa: E402


def edited(src: Path, dst: Path, seed: int = 7) -> dict[str, int]:
    plan = read_plan(src)
    rng = random.Random(seed)
    rows = [{k: r[k] for k in ("area", *plan.spec.keys)} for r in plan.actions.to_dict("records")]
    n = len(rows)
    picked = rng.sample(range(n), int(n * 0.05))
    reword, move, remove = picked[: n // 50], picked[n // 50 : n * 3 // 100], picked[n * 3 // 100 :]
    titles = [t for _k, t in plan.areas]
    for i in reword:
        words = rows[i]["action"].split()
        words[rng.randrange(len(words))] = "omformulerat"
        rows[i]["action"] = " ".join(words)
    for i in move:
        rows[i]["area"] = rng.choice([t for t in titles if t != rows[i]["area"]])
    gone = set(remove)
    rows = [r for i, r in enumerate(rows) if i not in gone]
    for k in range(n // 100):
        rows.append(
            {
                "area": rng.choice(titles),
                "problem": f"Nytt problem {k}",
                "cause": f"Ny orsak {k}",
                "action": f"Ny åtgärd {k}: trygghetsskapande insats nummer {k * 7919}",
                "goal": "Ökad trygghet",
                "timeframe": "Under 2026",
                "responsible": "Trygghetssamordnare",
                "follow_up": "",
            }
        )
    rng.shuffle(rows)
    write_plan(plan_from_records(rows, year=2026, district="Bänkstad"), dst)
    return {"reworded": len(reword), "moved": len(move), "removed": len(remove), "added": n // 100}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="atgardsplan-bench-"))
    try:
        spec = load_spec()
        old = tmp / "atgardsplan-2025-stor.xlsx"
        build_workbook(old, spec, args.rows)
        new = tmp / "atgardsplan-2026-stor.xlsx"
        made = edited(old, new)
        other = tmp / "annan.xlsx"
        build_workbook(other, spec, args.rows)
        unrelated = read_plan(other).actions.copy()
        unrelated["action"] = (
            unrelated["action"].str.replace(r"\(\d+\)", "(x)", regex=True) + " annan"
        )
        write_plan(read_plan(other).with_actions(unrelated), tmp / "orelaterad.xlsx")
        cli = cli_command()
        read_both = [
            sys.executable,
            "-c",
            f"from converter import read_plan\nread_plan({str(old)!r})\nread_plan({str(new)!r})",
        ]
        ours = [*cli, "diff", str(old), str(new), "-o", str(tmp / "d.json"), "--force"]
        text = [*cli, "diff", str(old), str(new)]
        worst = [
            *cli,
            "diff",
            str(old),
            str(tmp / "orelaterad.xlsx"),
            "-o",
            str(tmp / "w.json"),
            "--force",
        ]
        best = {"read": (9e9, 0.0), "diff": (9e9, 0.0), "text": (9e9, 0.0)}
        for _ in range(args.repeat):
            for name, cmd in (("read", read_both), ("diff", ours), ("text", text)):
                s, mb = timed(cmd)
                best[name] = (min(best[name][0], s), max(best[name][1], mb))
        w_seconds, w_mb = timed(worst)
        n = 6 * args.rows
        print(
            f"plans: {n} actions each; NEW has {made['reworded']} reworded, {made['moved']} moved, "
            f"{made['removed']} removed, {made['added']} added, rows shuffled; best of {args.repeat}\n"
        )
        base = best["read"][0]
        print(f"  read_plan on both (one process)          {base:6.2f} s   1.00x")
        print(
            f"  atgardsplan diff OLD NEW (text)          {best['text'][0]:6.2f} s   {best['text'][0] / base:4.2f}x"
        )
        print(
            f"  atgardsplan diff OLD NEW -o d.json       {best['diff'][0]:6.2f} s   {best['diff'][0] / base:4.2f}x"
        )
        print(
            f"  worst case: nothing in common            {w_seconds:6.2f} s   {w_seconds / base:4.2f}x"
        )
        print(f"\n  peak memory of the diff processes: {max(best['diff'][1], w_mb):.0f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
