"""Results kept for download for a short while, each batch under an unguessable token.

The web page writes what one upload produced into a folder of its own,
``<root>/<token>/``, and links to the files there. A token is 32 random URL-safe
characters (``secrets``), so one user cannot find another's files; a folder older than
``keep_seconds`` is removed by the next request that sweeps (and the whole root when
the server stops, if the store made it). Nothing is kept anywhere else.

Several server processes (workers behind a reverse proxy) share one root folder:
expiry goes by the folder's age on disk, not by anything held in memory.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import time
import unicodedata
import weakref
from pathlib import Path, PurePosixPath

from ..jobs import fit_name

#: The characters of a token, and its length.
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
#: Characters that no file name on Windows, macOS or Linux may hold, plus the path
#: separators of each.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
#: Characters that reorder or hide what is shown (right-to-left override and the other
#: bidirectional controls, zero-width marks): "kalkyl\u202excod.xlsx" would show as
#: "kalkylxlsx.doc". Removed from every name the page saves or shows.
BIDI_CONTROLS = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
#: The most bytes of UTF-8 in a saved upload's name: its outputs add up to 21 bytes
#: ("-sammanstallning.xlsx") and file systems allow 255.
MAX_NAME_BYTES = 150


class DownloadStore:
    """Folders of results under tokens, removed after ``keep_seconds``."""

    def __init__(self, root: Path | None = None, keep_seconds: float = 900) -> None:
        self.owned = root is None
        self.root = Path(tempfile.mkdtemp(prefix="atgardsplan-web-")) if root is None else root
        self.root.mkdir(parents=True, exist_ok=True)
        self.keep_seconds = keep_seconds
        # A folder this store made goes when the store does, or at exit at the latest
        # (a WSGI server may never call close()).
        self._remove = (
            weakref.finalize(self, shutil.rmtree, self.root, ignore_errors=True)
            if self.owned
            else None
        )

    def new_folder(self) -> tuple[str, Path]:
        """A fresh token and its (empty) folder."""
        token = secrets.token_urlsafe(24)  # 24 bytes: 32 characters
        folder = self.root / token
        folder.mkdir(mode=0o700)
        return token, folder

    def find(self, token: str, name: str) -> Path | None:
        """The file ``name`` (a relative path such as ``1/plan.xlsx``) of ``token``, or
        None when the token is malformed, unknown or expired, or the name leaves its
        folder."""
        if not TOKEN.fullmatch(token):
            return None
        folder = self.root / token
        if not folder.is_dir() or self._expired(folder, time.time()):
            return None
        parts = PurePosixPath(name).parts
        if not parts or any(p in ("", ".", "..") or "\\" in p for p in parts):
            return None
        path = folder.joinpath(*parts)
        try:
            path.resolve().relative_to(folder.resolve())
        except ValueError:
            return None
        return path if path.is_file() else None

    def sweep(self, now: float | None = None) -> int:
        """Remove the folders that have expired; how many were removed."""
        now = time.time() if now is None else now
        removed = 0
        for folder in self.root.iterdir():
            if TOKEN.fullmatch(folder.name) and self._expired(folder, now):
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        return removed

    def close(self) -> None:
        """Remove every result (the whole root when this store made it)."""
        if self._remove is not None:
            self._remove()
        else:
            self.sweep(now=float("inf"))

    def _expired(self, folder: Path, now: float) -> bool:
        try:
            return now - folder.stat().st_mtime > self.keep_seconds
        except FileNotFoundError:
            return True


def safe_file_name(name: str | None, fallback: str = "arbetsbok.xlsx") -> str:
    """The last part of an uploaded file's name, safe to save and to send back.

    Browsers send a bare name, but a client may send any string: a path
    (``../../etc/passwd``, ``C:\\Users\\x\\plan.xlsx``), control characters, or
    nothing. Letters of every script (å, ä, ö) are kept; characters no file system
    allows become ``_``; bidirectional controls are removed; hidden-file dots are
    dropped; the result is NFC and at most ``MAX_NAME_BYTES`` bytes, its ending kept.
    """
    text = shown_name(unicodedata.normalize("NFC", name or ""))
    text = re.split(r"[/\\]", text)[-1]
    text = _UNSAFE.sub("_", text).strip().lstrip(".").strip()
    if not text or set(text) <= {"_", " ", "."}:
        return fallback
    return fit_name(text, MAX_NAME_BYTES)


def shown_name(name: str) -> str:
    """A name as the page may show it: without bidirectional controls."""
    return BIDI_CONTROLS.sub("", name)
