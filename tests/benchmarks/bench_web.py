"""`atgardsplan serve` under load, beside calling the library directly, in one run.

    python tests/benchmarks/bench_web.py [--requests 48] [--uploads 500] [--threads 4]

Starts the real server (waitress, as `atgardsplan serve` runs it) in its own process
and uploads the example workbook, each upload a whole POST of the page's form (the
server reads it, writes the seven downloads and renders the results page):

Each upload is one of 64 variants of the example (the own area named differently), so
that no chart is ever reused from the cache of the previous uploads (a chart is drawn
once per upload, for the report and the page), as with real plans.

- with 1, 4 and 16 concurrent clients, --requests uploads each: requests per second
  and the server's memory (VmRSS after, VmHWM peak, from /proc);
- the same job without the web layer, in this process: ``convert_uploads`` (the job the
  page calls) and ``convert_uploads`` + the page's rendering, one after another;
- --uploads more uploads (4 clients), then the server's memory again: it should be
  back near where it started (results expire after 6 s here and are swept);
- on a fresh server, one at a time, the uploads that cost the most memory: a
  decompression bomb, billion laughs, the largest plan (18,000 actions), a workbook of
  60 MiB of cells (under the server's 64 MiB unpacked limit: the worst accepted) and
  one of 80 MiB (refused): seconds and the server's peak memory after each.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import urllib3  # noqa: E402  (comes with selenium, a test dependency)

sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))

import hostile  # noqa: E402  (the hostile files of the tests)
from bench import build_workbook  # noqa: E402

from converter.jobs import convert_uploads  # noqa: E402
from converter.spec import load_spec  # noqa: E402
from converter.web.app import FILES_FIELD, WebSettings, create_app  # noqa: E402

EXAMPLE = ROOT / "examples" / "atgardsplan-2025-norra-innerstaden.xlsx"
VARIANTS = 64


def variants(folder: Path) -> list[bytes]:
    """The example with its own area renamed, ``VARIANTS`` times."""
    import openpyxl

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for j in range(VARIANTS):
        wb = openpyxl.load_workbook(EXAMPLE)
        wb["Eget område"]["A1"] = f"Eget område {j}"
        path = folder / f"{j}.xlsx"
        wb.save(path)
        out.append(path.read_bytes())
    return out


class Uploads:
    """The variants in turn, to any number of threads."""

    def __init__(self, data: list[bytes]) -> None:
        self.data = data
        self.next = 0
        self.lock = threading.Lock()

    def take(self) -> bytes:
        with self.lock:
            self.next += 1
            return self.data[self.next % len(self.data)]


def memory(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of ``pid`` in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    hwm = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    return rss / 1024, hwm / 1024


def start(threads: int, scratch: Path) -> tuple[subprocess.Popen[str], str]:
    scratch.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "converter",
            "serve",
            "--no-browser",
            "--port",
            "0",
            "--threads",
            str(threads),
            "--keep-minutes",
            "0.1",
            "--results-dir",
            str(scratch / "results"),
        ],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        m = re.search(r"serving on (http://\S+)", line)
        if m:
            return proc, m.group(1)
    raise SystemExit("the server did not start")


def run_all(threads: list[threading.Thread]) -> float:
    """Start the threads at once and wait for them all; seconds."""
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0


def load(url: str, uploads: Uploads, clients: int, requests: int) -> float:
    """Upload ``requests`` times from each of ``clients`` threads; seconds."""
    failures: list[str] = []

    def client() -> None:
        pool = urllib3.PoolManager(maxsize=1)
        for _ in range(requests):
            r = upload(pool, url, EXAMPLE.name, uploads.take(), timeout=300)
            if r.status != 200 or b"Norra innerstaden 2025" not in r.data:
                failures.append(f"{r.status}")

    elapsed = run_all([threading.Thread(target=client) for _ in range(clients)])
    if failures:
        raise SystemExit(f"{len(failures)} uploads failed: {failures[:5]}")
    return elapsed


def direct(n: int, uploads: Uploads, scratch: Path, render: bool) -> float:
    """The page's job in this process, ``n`` times one after another; seconds."""
    spec = load_spec()
    app = create_app(WebSettings(results_dir=scratch / "direct-results"))
    client = app.test_client()
    t0 = time.perf_counter()
    for i in range(n):
        data = uploads.take()
        if render:
            import io

            r = client.post(
                "/granska",
                data={FILES_FIELD: [(io.BytesIO(data), EXAMPLE.name)]},
                content_type="multipart/form-data",
            )
            assert r.status_code == 200
        else:
            folder = scratch / f"direct-{i}-{time.perf_counter_ns()}"
            source = folder / "in" / EXAMPLE.name
            source.parent.mkdir(parents=True)
            source.write_bytes(data)
            convert_uploads([source], folder / "out", spec)
    return time.perf_counter() - t0


def heavy(scratch: Path) -> None:
    """The costliest uploads, one at a time, on a fresh server: seconds and peak memory."""
    folder = scratch / "heavy"
    folder.mkdir()
    big = folder / "Åtgärdsplan 2025 Bromma.xlsx"
    build_workbook(big, load_spec(), 3000)
    cases = [
        ("decompression bomb (2 GiB)", hostile.decompression_bomb(folder / "bomb.xlsx")),
        ("billion laughs", hostile.billion_laughs(folder / "laughs.xlsx")),
        ("18,000 actions", big),
        ("60 MiB of cells", hostile.dense_cells(folder / "dense60.xlsx", 60)),
        ("80 MiB of cells (refused)", hostile.dense_cells(folder / "dense80.xlsx", 80)),
    ]
    proc, url = start(2, scratch / "heavy-server")
    try:
        load_one(url, EXAMPLE)
        rss, _ = memory(proc.pid)
        print(f"\nthe costliest uploads, one at a time (server after one example: {rss:.0f} MB)")
        for label, path in cases:
            t0 = time.perf_counter()
            answer = load_one(url, path)
            seconds = time.perf_counter() - t0
            rss, hwm = memory(proc.pid)
            print(
                f"  {label:28s} {path.stat().st_size / 1e6:5.1f} MB  {seconds:5.2f} s  "
                f"{answer:9s}  server peak {hwm:4.0f} MB, now {rss:4.0f} MB"
            )
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def disk_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def large_requests(scratch: Path) -> None:
    """Eight 18,000-action plans (eight districts) in one upload, then four such uploads
    at once, on a fresh server of 4 threads: the server's peak memory, the seconds, what
    each request was answered, and the results left on disk."""
    from converter.spec import load_spec

    spec = load_spec()
    folder = scratch / "large"
    folder.mkdir()
    files = []
    for district in list(spec.naming.current)[:8]:
        path = folder / f"Åtgärdsplan 2025 {district}.xlsx"
        build_workbook(path, spec, 3000)
        files.append((path.name, path.read_bytes()))
    size = sum(len(d) for _, d in files) / 1e6
    proc, url = start(4, scratch / "large-server")
    results = scratch / "large-server" / "results"
    try:
        load_one(url, EXAMPLE)
        rss, _ = memory(proc.pid)
        print(
            f"\neight 18,000-action plans in one upload ({size:.0f} MB), on a fresh server "
            f"(after one example: {rss:.0f} MB)"
        )
        for clients in (1, 4):
            answers: list[str] = []

            def one(answers: list[str]) -> None:
                body, content_type = urllib3.encode_multipart_formdata(
                    [(FILES_FIELD, (n, d, "application/octet-stream")) for n, d in files]
                )
                r = urllib3.PoolManager().request(
                    "POST",
                    url + "granska",
                    body=body,
                    headers={"Content-Type": content_type},
                    timeout=1800,
                )
                read = r.data.count(b'<article class="workbook"')
                city = b'id="staden"' in r.data
                answers.append(f"{r.status}: {read} read, city {'yes' if city else 'no'}")

            seconds = run_all(
                [threading.Thread(target=one, args=(answers,)) for _ in range(clients)]
            )
            rss, hwm = memory(proc.pid)
            print(
                f"  {clients} request{'s' if clients > 1 else ''} at once: {seconds:6.1f} s, "
                f"server peak {hwm:4.0f} MB, now {rss:4.0f} MB, results on disk "
                f"{disk_mb(results):4.0f} MB; answers: {'; '.join(sorted(answers))}"
            )
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def upload(
    pool: urllib3.PoolManager, url: str, name: str, data: bytes, timeout: float
) -> urllib3.BaseHTTPResponse:
    """One workbook posted to the page as the browser's form does."""
    body, content_type = urllib3.encode_multipart_formdata(
        [(FILES_FIELD, (name, data, "application/octet-stream"))]
    )
    return pool.request(
        "POST", url + "granska", body=body, headers={"Content-Type": content_type}, timeout=timeout
    )


def load_one(url: str, path: Path) -> str:
    r = upload(urllib3.PoolManager(), url, path.name, path.read_bytes(), timeout=600)
    assert r.status == 200, r.status
    return "refused" if b"Kunde inte l" in r.data else "read"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=48, help="uploads per level of concurrency")
    ap.add_argument("--uploads", type=int, default=500, help="uploads for the memory check")
    ap.add_argument("--threads", type=int, default=4, help="the server's threads")
    ap.add_argument("--large-only", action="store_true", help="only the eight 18,000-action plans")
    args = ap.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="atgardsplan-bench-web-"))
    if args.large_only:
        try:
            large_requests(scratch)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return
    uploads = Uploads(variants(scratch / "variants"))
    proc, url = start(args.threads, scratch)
    try:
        load(url, uploads, 1, 3)  # warm up: imports, templates, first chart
        direct(3, uploads, scratch, render=True)  # and in this process
        base_rss, _ = memory(proc.pid)
        n = args.requests
        print(
            f"the example ({EXAMPLE.stat().st_size / 1024:.0f} kB, 22 actions) uploaded "
            f"{n} times per row; server: waitress, {args.threads} threads\n"
        )
        print("                                         uploads/s   vs direct   server RSS   peak")
        lib = n / direct(n, uploads, scratch, render=False)
        page = n / direct(n, uploads, scratch, render=True)
        print(f"  library: convert_uploads, in process     {lib:6.1f}       1.00x")
        print(f"  library + page (Flask test client)       {page:6.1f}      {page / lib:5.2f}x")
        for clients in (1, 4, 16):
            per_client = max(1, n // clients)
            seconds = load(url, uploads, clients, per_client)
            rss, hwm = memory(proc.pid)
            rate = clients * per_client / seconds
            print(
                f"  server, {clients:2d} concurrent client{'s' if clients > 1 else ' '}       "
                f"{rate:6.1f}      {rate / lib:5.2f}x   {rss:7.0f} MB  {hwm:5.0f} MB"
            )
        time.sleep(7)  # results of the runs above expire
        before, _ = memory(proc.pid)
        t0 = time.perf_counter()
        load(url, uploads, 4, max(1, args.uploads // 4))
        spent = time.perf_counter() - t0
        time.sleep(7)
        load(url, uploads, 1, 1)  # one more upload sweeps what expired
        after, hwm = memory(proc.pid)
        left = sum(1 for _ in (scratch / "results").iterdir())
        print(
            f"\nmemory after warm-up {base_rss:.0f} MB; before {args.uploads} more uploads "
            f"{before:.0f} MB, after them {after:.0f} MB (peak {hwm:.0f} MB; "
            f"{spent:.0f} s); result folders left: {left}"
        )
        proc.terminate()
        proc.wait(timeout=30)
        heavy(scratch)
        large_requests(scratch)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
