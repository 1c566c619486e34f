"""Exception types. The command line maps each to one line and an exit code.

Every error carries a ``code`` (a stable identifier such as ``"encrypted"``) and the
values that fill its message (``data``), so that a front end can say it in its own
words: the Swedish text of each code lives in the spec's ``[errors]`` section. The
English ``message`` is what the command line prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class AtgardsplanError(Exception):
    """Base class: a problem the user can act on, shown as one line."""

    def __init__(
        self, message: str, path: str | Path | None = None, *, code: str, **data: Any
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.code = code
        self.data = data

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path is not None else self.message


class InputError(AtgardsplanError):
    """The input workbook cannot be used (missing, not a workbook, encrypted, hostile...)."""


class SpecError(AtgardsplanError):
    """The template spec file is missing or malformed."""


class OutputError(AtgardsplanError):
    """An output cannot be written (exists without --force, text too long, folder missing)."""
