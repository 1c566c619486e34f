"""Parsing an untrusted workbook where it cannot hurt: a child process with limits.

python-calamine parses in Rust. A damaged file can make it panic (Python sees a
``PanicException``, which derives from ``BaseException`` and so passes every
``except Exception``), abort, or allocate memory without limit: a 1 KB .xls with a loop
in its sector chain grew past 8 GB. The size checks of ``source`` run before the file
is parsed and cannot see such damage.

So the parse runs in a forked child process whose address space is limited to what the
parent already uses plus ``ReadLimits.memory_bytes`` and which is killed after
``ReadLimits.seconds``. The child writes the cells (pickled) to a memory file the
parent reads once it has ended; its standard error is captured, so that a panic's
message never reaches the user's terminal. Whatever happens to the child, the caller
gets a value or a ``ParseFailure`` saying which limit was met or that the file is
damaged; the caller's process is never at risk. Where there is no ``fork`` with memory
files (Windows, macOS) the parse runs in process, and a panic is still turned into a
``ParseFailure``.

A batch read on several cores does without a child per file: each worker of its pool
is bounded itself (``enter_worker``). ``tests/benchmarks/bench.py`` prints what the
child costs on an 18,000-action plan (the cells are pickled across: about 0.15 s).
"""

from __future__ import annotations

import contextlib
import faulthandler
import math
import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from ..errors import is_panic
from ..limits import MAX_READ_BYTES, MAX_READ_SECONDS, MiB

T = TypeVar("T")

#: How a child says what became of it: its result, or why there is none.
_OK, _ERROR, _MEMORY = "ok", "error", "memory"


@dataclass(frozen=True)
class ReadLimits:
    """The memory and time one workbook may take to parse."""

    memory_bytes: int = MAX_READ_BYTES
    seconds: float = MAX_READ_SECONDS

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> ReadLimits:
        """The limits of ``ATGARDSPLAN_READ_MB`` and ``ATGARDSPLAN_READ_SECONDS``
        (the defaults where they are not set)."""
        env = os.environ if environ is None else environ
        mb = env.get("ATGARDSPLAN_READ_MB")
        seconds = env.get("ATGARDSPLAN_READ_SECONDS")
        return cls(
            memory_bytes=int(float(mb) * MiB) if mb else MAX_READ_BYTES,
            seconds=float(seconds) if seconds else MAX_READ_SECONDS,
        )

    @property
    def memory_mb(self) -> int:
        return round(self.memory_bytes / MiB)


class ParseFailure(Exception):
    """The parse did not give a result: ``kind`` is "memory", "time", "damaged" (a
    panic, an abort, a crash) or "error" (the parser's own error, ``detail`` its text;
    ``name`` its class name)."""

    def __init__(self, kind: str, detail: str = "", name: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail
        self.name = name


#: Set in a worker process of a batch (``enter_worker``): the worker is the boundary.
_worker: ReadLimits | None = None


def enter_worker(limits: ReadLimits) -> None:  # pragma: no cover - runs in pool workers
    """Make this process (a worker of a batch's process pool) the boundary itself, so
    that its files are parsed without a child each: its address space is capped at
    what it maps now plus the budget, a file that takes longer than the time limit
    ends it (SIGALRM), and the parser's messages go nowhere. A worker that ends so
    breaks the pool; ``inputs.map_files`` then reads the files it held again, each in a
    child of the parent, and so learns which file it was and why."""
    global _worker
    _worker = limits
    _limit_memory(limits.memory_bytes)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)


def call_bounded(func: Callable[[], T], limits: ReadLimits) -> T:
    """``func()`` in a child process under ``limits``; its value, or ParseFailure.

    ``func`` raising an ordinary exception gives ParseFailure("error") with the
    exception's class name and first line (exceptions are not sent across whole: the
    parser's may not survive pickling). In a batch's worker (``enter_worker``) the
    worker itself is bounded and ``func`` runs in it.
    """
    if _worker is not None:  # pragma: no cover - runs in pool workers
        signal.alarm(max(1, math.ceil(_worker.seconds)))
        try:
            return _in_process(func)
        finally:
            signal.alarm(0)
    if not hasattr(os, "fork") or not hasattr(os, "memfd_create"):  # pragma: no cover
        return _in_process(func)  # Windows, macOS: no fork with memfd; parse in process
    result = os.memfd_create("atgardsplan-parse", os.MFD_CLOEXEC)
    err_r, err_w = os.pipe()
    try:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; its outcomes are tested from outside
            _child(func, limits, result, err_r, err_w)
        os.close(err_w)
        errors, timed_out = _wait_for_end(err_r, limits.seconds)
        if timed_out:
            _kill(pid)
        data = b"" if timed_out else _read_all(result)
        _, status = os.waitpid(pid, 0)
        if timed_out:
            raise ParseFailure("time")
        if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
            data = b""  # ended by a signal or an error after writing: not to be trusted
    finally:
        os.close(result)
        os.close(err_r)
    if data:
        kind, value = pickle.loads(data)
        if kind == _OK:
            return value  # type: ignore[no-any-return]
        if kind == _ERROR:
            raise ParseFailure("error", value[1], value[0])
        raise ParseFailure("memory")
    text = errors.decode("utf-8", "replace")
    if "memory allocation" in text or "MemoryError" in text or _killed_by(status, signal.SIGKILL):
        raise ParseFailure("memory")
    raise ParseFailure("damaged", _first_line(text) or _describe(status))


def _in_process(func: Callable[[], T]) -> T:
    try:
        return func()
    except MemoryError:
        raise ParseFailure("memory") from None
    except Exception as exc:
        raise ParseFailure("error", _first_line(str(exc)), type(exc).__name__) from None
    except BaseException as exc:
        if is_panic(exc):
            raise ParseFailure("damaged", _first_line(str(exc))) from None
        raise


def _child(
    func: Callable[[], Any], limits: ReadLimits, result: int, err_r: int, err_w: int
) -> None:  # pragma: no cover - runs in the forked child
    """Parse, write the pickled outcome to ``result`` (a memory file the parent reads
    once this process has ended) and end without running any of the parent's exit
    handlers. A panic or crash leaves ``result`` empty and says why on stderr."""
    code = 0
    try:
        os.close(err_r)
        os.dup2(err_w, 2)
        faulthandler.disable()  # a crash here is the parent's to report, not a dump's
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _limit_memory(limits.memory_bytes)
        try:
            payload: tuple[str, Any] = (_OK, func())
        except MemoryError:
            payload = (_MEMORY, None)
        except BaseException as exc:  # a panic too: it is the parent's to name
            if is_panic(exc):
                os.write(2, f"panic: {_first_line(str(exc))}\n".encode())
                os._exit(3)
            payload = (_ERROR, (type(exc).__name__, _first_line(str(exc))))
        try:
            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps((_MEMORY, None))
        view = memoryview(data)
        while view:
            view = view[os.write(result, view) :]
        # Done: closing stderr tells the parent now, while this process's memory is
        # still being handed back (that takes a while after a large parse).
        os.close(err_w)
        os.close(2)
    except BaseException:
        code = 4
    finally:
        os._exit(code)


def _limit_memory(budget: int) -> None:  # pragma: no cover - runs in the forked child
    """Cap the address space at what this process maps now plus ``budget``."""
    import resource

    try:
        with open("/proc/self/statm") as fh:
            mapped = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        mapped = 0
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = mapped + budget
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or limit < soft:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _wait_for_end(err_r: int, seconds: float) -> tuple[bytes, bool]:
    """The child's messages until it ends (its end of the pipe closes), or until
    ``seconds`` have passed: (messages, timed out)."""
    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    kept = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return b"".join(chunks), True
        ready, _, _ = select.select([err_r], [], [], left)
        if not ready:
            continue
        chunk = os.read(err_r, 1 << 16)
        if not chunk:
            return b"".join(chunks), False
        if kept < 64 * 1024:  # a flood of messages: the first 64 KB say enough
            chunks.append(chunk)
            kept += len(chunk)


def _read_all(fd: int) -> bytes:
    size = os.lseek(fd, 0, os.SEEK_END)
    os.lseek(fd, 0, os.SEEK_SET)
    with os.fdopen(os.dup(fd), "rb") as fh:
        return fh.read(size)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended on its own meanwhile
        os.kill(pid, signal.SIGKILL)


def _killed_by(status: int, sig: int) -> bool:
    return os.WIFSIGNALED(status) and os.WTERMSIG(status) == sig


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"the reader stopped ({signal.Signals(os.WTERMSIG(status)).name})"
    return f"the reader stopped (exit {os.WEXITSTATUS(status)})"


def _first_line(text: str) -> str:
    """The first line that says something: a panic's message, not its location."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    for i, line in enumerate(lines):
        if line.startswith("thread ") and "panicked at" in line and i + 1 < len(lines):
            return lines[i + 1]
        if line.startswith("panic: "):
            return line.removeprefix("panic: ")
    return lines[0] if lines else ""
