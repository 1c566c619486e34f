"""Change bytes of an .xls at random until python-calamine panics or aborts on it.

    python tests/corpus/fuzz_xls.py EXAMPLE.xls OUT_DIR [--seed 1] [--tries 600]

How the ``made-*.xls`` fixtures in ``tests/corpus/fixtures/`` were found: the bundled
example saved as .xls by LibreOffice (``soffice --headless --convert-to xls``), then up
to eight bytes changed at a time (half the time in the first 4 KB: header, FAT and
directory) and one time in five the file cut short. Each try is parsed by calamine in a
child process under a 1 GB address-space limit; a try that ends in anything but a
value or calamine's own error is kept (two of each kind). Not part of the test run.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

PROBE = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
import python_calamine as c
try:
    book = c.CalamineWorkbook.from_path(sys.argv[1])
    for meta in book.sheets_metadata:
        book.get_sheet_by_name(meta.name).to_python()
    print("ok")
except Exception as exc:
    print(type(exc).__name__)
except BaseException as exc:
    print(type(exc).__name__, str(exc)[:80])
"""
#: Outcomes that keep calamine's contract: a value or its own exception.
EXPECTED = {"ok", "CalamineError", "XmlError", "ZipError", "PasswordError", "WorksheetNotFound"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("example", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tries", type=int, default=600)
    args = parser.parse_args()
    source = args.example.read_bytes()
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    found: dict[str, int] = defaultdict(int)
    current = args.out / "current.xls"
    for i in range(args.tries):
        data = bytearray(source)
        early = rng.random() < 0.5
        for _ in range(rng.randint(1, 8)):
            pos = rng.randrange(0, min(len(data), 4096) if early else len(data))
            data[pos] = rng.randrange(256)
        if rng.random() < 0.2:
            data = data[: rng.randrange(512, len(data))]
        current.write_bytes(bytes(data))
        try:
            run = subprocess.run(
                [sys.executable, "-c", PROBE, str(current)],
                capture_output=True,
                text=True,
                timeout=8,
            )
            outcome = run.stdout.strip() or f"exit {run.returncode}"
        except subprocess.TimeoutExpired:
            outcome = "timeout"
        if outcome.split(" ")[0] in EXPECTED or found[outcome] >= 2:
            continue
        found[outcome] += 1
        kept = args.out / f"s{args.seed}-{i}.xls"
        kept.write_bytes(bytes(data))
        print(f"{kept.name}: {outcome}", flush=True)
    current.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
