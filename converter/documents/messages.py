"""What the user reads in Swedish, from codes: every finding and every error.

Findings (``checks.Finding``) and errors (``errors.AtgardsplanError``, and the
``Failure`` of a file in a batch) carry a stable ``code`` and the values of their
message. The command line prints their English ``message``; the web page and the
report look the code up in the spec's Swedish catalogue (``[errors]`` and
``[report.findings]`` in ``templates/atgardsplan.toml``) and fill in the values, so
no English sentence is ever translated and a wording is changed in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..rules.checks import Finding
from ..spec import Spec


def error_text(spec: Spec, code: str, data: Mapping[str, Any] | None = None) -> str:
    """An error's Swedish wording, filled with its values (``Spec.error_text``)."""
    return spec.error_text(code, data)


def finding_text(spec: Spec, finding: Finding) -> str:
    """A finding's Swedish wording, or its English message if the spec has none."""
    wording = spec.finding_texts.get(finding.code)
    return spec.render(wording, **finding.data) if wording else finding.message


def size_text(n: int) -> str:
    """A file size as people read it in Swedish: "840 kB", "12,5 MB"."""
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} kB"
    mb = n / (1024 * 1024)
    text = f"{mb:.1f}".rstrip("0").rstrip(".") if mb < 100 else f"{mb:.0f}"
    return text.replace(".", ",") + " MB"
