"""Atomic, no-clobber output files.

Every output is written to a temporary file in the target folder and moved into place
only when complete: a failure leaves nothing behind, and an existing file is replaced
only when ``overwrite`` is true.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import OutputError


def check_target(path: Path, overwrite: bool) -> None:
    """Fail early, before any work, when ``path`` cannot be written."""
    if path.is_dir():
        raise OutputError("is a folder", path, code="output-is-folder")
    if path.exists() and not overwrite:
        raise _exists(path)
    if not path.parent.is_dir():
        raise OutputError("folder does not exist", path.parent, code="output-folder-missing")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place on success."""
    target = Path(path)
    check_target(target, overwrite)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644 & ~_umask())
        if overwrite:
            os.replace(tmp, target)
        else:
            _link_no_clobber(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _link_no_clobber(tmp: Path, target: Path) -> None:
    try:
        os.link(tmp, target)  # atomic, and fails if the target appeared meanwhile
    except FileExistsError:
        raise _exists(target) from None
    except OSError:  # file systems without hard links
        if target.exists():
            raise _exists(target) from None
        os.replace(tmp, target)


def _exists(path: Path) -> OutputError:
    return OutputError("already exists (use --force to overwrite)", path, code="output-exists")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_chunks_atomic(
    path: str | os.PathLike[str],
    chunks: Iterable[str],
    overwrite: bool = False,
    encoding: str = "utf-8",
) -> Path:
    """``write_text_atomic`` of a text made in pieces, each written as it comes."""
    with atomic_path(path, overwrite) as tmp, tmp.open("w", encoding=encoding, newline="") as fh:
        for chunk in chunks:
            fh.write(chunk)
    return Path(path)


def write_text_atomic(
    path: str | os.PathLike[str], text: str, overwrite: bool = False, encoding: str = "utf-8"
) -> Path:
    with atomic_path(path, overwrite) as tmp:
        tmp.write_text(text, encoding=encoding, newline="")
    return Path(path)
