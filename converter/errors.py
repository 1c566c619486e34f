"""Exception types, and a file that could not be used (``Failure``) or was skipped.

The command line maps each exception to one line and an exit code.

Every error carries a ``code`` (a stable identifier such as ``"encrypted"``) and the
values that fill its message (``data``), so that a front end can say it in its own
words: the Swedish text of each code lives in the spec's ``[errors]`` section. The
English ``message`` is what the command line prints.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

#: What a user reads when a file breaks the parser: it is damaged.
DAMAGED = (
    "the workbook is damaged and cannot be read; open it in Excel or LibreOffice and save it again"
)


def is_panic(exc: BaseException) -> bool:
    """A Rust panic of a parser, surfaced by pyo3 as ``PanicException``: it derives from
    ``BaseException``, so ``except Exception`` lets it pass."""
    return type(exc).__name__ == "PanicException"


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


@dataclass(frozen=True)
class Skipped:
    """A file in a folder that is not read, and why (not a failure)."""

    path: Path
    reason: str
    code: str = "skipped"  # the reason's code, for a front end's own words


@dataclass(frozen=True)
class Failure:
    """An input that could not be used, with the one-line reason."""

    path: Path
    reason: str
    code: str = "unexpected"  # the reason's code, for a front end's own words
    data: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"

    @classmethod
    def of(cls, path: Path, exc: BaseException) -> Failure:
        """The failure an exception means for ``path``."""
        if is_panic(exc):
            return cls(path, DAMAGED, "damaged", {"detail": str(exc)})
        if isinstance(exc, AtgardsplanError):
            reason = exc.message if exc.path in (None, path) else str(exc)
            return cls(path, reason, exc.code, exc.data)
        return cls(
            path,
            f"unexpected failure: {type(exc).__name__}: {exc}",
            "unexpected",
            {"detail": f"{type(exc).__name__}: {exc}"},
        )


class NoUsablePlanError(InputError):
    """Not one input could be used; ``failures`` says why for each. With none at all,
    the message names where it looked (``given``) and what it skipped there."""

    def __init__(
        self,
        failures: Sequence[Failure],
        skipped: Sequence[Skipped] = (),
        given: Iterable[str | os.PathLike[str]] = (),
    ) -> None:
        if failures:
            super().__init__(
                f"no usable workbook among {len(failures)} input(s); nothing written",
                code="no-usable-plan",
                count=len(failures),
            )
        else:
            where = ", ".join(str(g) for g in given)
            said = "; ".join(f"{Path(s.path).name}: {s.reason}" for s in skipped)
            super().__init__(
                "no workbooks found"
                + (f" in {where}" if where else "")
                + (f" (skipped: {said})" if said else ""),
                code="no-workbooks",
                count=0,
                where=where,
                skipped_files=", ".join(Path(s.path).name for s in skipped),
            )
        self.failures = list(failures)


def attempt(path: Path, func: Callable[[], T]) -> T | Failure:
    """``func()``, or the Failure its exception means for ``path``: one file of a batch
    fails alone, a parser's panic (no ``except Exception`` sees it) included."""
    try:
        return func()
    except Exception as exc:
        return Failure.of(path, exc)
    except BaseException as exc:
        if not is_panic(exc):
            raise
        return Failure.of(path, exc)
