"""The web page's limits and places (``WebSettings``), apart from the page itself.

The command line's ``serve`` takes its options' defaults from here without importing
Flask, so that ``atgardsplan --help`` stays quick; ``converter.web`` runs the page
with them.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..limits import MiB as MiB


@dataclass(frozen=True)
class WebSettings:
    """The server's limits and places; ``from_env`` reads them for a WSGI server."""

    max_file_bytes: int = 20 * MiB
    max_request_bytes: int = 100 * MiB
    max_files: int = 30
    #: A workbook unpacking to more is refused: reading takes about three times its
    #: unpacked size in memory (64 MiB: about 230 MB; the largest real plans, 18,000
    #: actions, unpack to 12 MiB).
    max_unpacked_bytes: int = 64 * MiB
    #: One upload's workbooks together may unpack to this much (the first is always
    #: read): about 150 MB of memory to read them. The rest are refused in Swedish.
    max_request_unpacked_bytes: int = 48 * MiB
    #: ... and write this much to download (an 18,000-action plan gives 70 MB: its data
    #: as CSV and JSON, its report), the city's files included.
    max_request_disk_bytes: int = 400 * MiB
    #: Uploads at work at once unpack to at most this much together; the others wait
    #: (up to ``busy_wait_seconds``, then "busy"). One 8-plan upload peaks the server
    #: near 400 MB; so do four at once.
    busy_unpacked_bytes: int = 64 * MiB
    busy_wait_seconds: int = 600
    keep_seconds: int = 900
    results_dir: Path | None = None  # default: a temporary folder removed at the end
    spec_path: Path | None = None
    template_dir: Path | None = None  # the user's own page templates, in front
    #: Who runs the page and how to reach them: the accessibility statement names them
    #: (the law asks for a way to report a problem).
    operator: str = ""
    contact: str = ""
    #: Names the page answers to, besides an address, "localhost" and this computer's
    #: name ("*": any; behind a proxy that checks the name itself).
    hosts: tuple[str, ...] = ()

    def host_names(self) -> frozenset[str]:
        """The names a request's Host may give (lower case, without a port)."""
        names = {"localhost", socket.gethostname(), *self.hosts}
        return frozenset(n.strip().lower() for n in names if n.strip())

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> WebSettings:
        """Settings from ``ATGARDSPLAN_*`` variables (sizes in MB), for
        ``gunicorn 'converter.web:create_app()'`` and the like."""
        env = os.environ if environ is None else environ

        def number(name: str, default: int, scale: int = 1) -> int:
            value = env.get(f"ATGARDSPLAN_{name}")
            return int(float(value) * scale) if value else default

        def path(name: str) -> Path | None:
            value = env.get(f"ATGARDSPLAN_{name}")
            return Path(value) if value else None

        return cls(
            max_file_bytes=number("MAX_FILE_MB", cls.max_file_bytes, MiB),
            max_request_bytes=number("MAX_REQUEST_MB", cls.max_request_bytes, MiB),
            max_files=number("MAX_FILES", cls.max_files),
            max_unpacked_bytes=number("MAX_UNPACKED_MB", cls.max_unpacked_bytes, MiB),
            max_request_unpacked_bytes=number(
                "MAX_REQUEST_UNPACKED_MB", cls.max_request_unpacked_bytes, MiB
            ),
            max_request_disk_bytes=number("MAX_REQUEST_DISK_MB", cls.max_request_disk_bytes, MiB),
            busy_unpacked_bytes=number("BUSY_UNPACKED_MB", cls.busy_unpacked_bytes, MiB),
            busy_wait_seconds=number("BUSY_WAIT_SECONDS", cls.busy_wait_seconds),
            keep_seconds=number("KEEP_SECONDS", cls.keep_seconds),
            results_dir=path("RESULTS_DIR"),
            spec_path=path("SPEC"),
            template_dir=path("PAGE_TEMPLATES"),
            operator=env.get("ATGARDSPLAN_OPERATOR", ""),
            contact=env.get("ATGARDSPLAN_CONTACT", ""),
            hosts=tuple(h for h in env.get("ATGARDSPLAN_HOSTS", "").split(",") if h.strip()),
        )
