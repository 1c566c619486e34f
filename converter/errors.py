"""Exception types. The command line maps each to one line and an exit code."""

from __future__ import annotations

from pathlib import Path


class AtgardsplanError(Exception):
    """Base class: a problem the user can act on, shown as one line."""

    def __init__(self, message: str, path: str | Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path is not None else self.message


class InputError(AtgardsplanError):
    """The input workbook cannot be used (missing, not a workbook, encrypted, hostile...)."""


class SpecError(AtgardsplanError):
    """The template spec file is missing or malformed."""


class OutputError(AtgardsplanError):
    """An output cannot be written (exists without --force, text too long, folder missing)."""
