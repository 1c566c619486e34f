"""What the web page shows of the jobs' results, as plain values for its templates.

``converter.web`` maps requests to jobs; this module maps what the jobs returned
(``jobs.Batch``: plans converted, files written, failures) to the values the Jinja2
templates ``page.html.j2`` and its partials fill in. Every user-facing word comes from
the templates or, for findings and errors, from the spec's Swedish catalogue by code
(``messages``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import Failure
from ..jobs import Batch, Converted, Spec, check_plan_once, error_text, plan_view, svg_data_uri

#: Findings that say a sheet was not read: listed apart, as the issue of a whole sheet.
NOT_READ = ("sheet-not-read", "area-unmatched")
#: The order in which a workbook's downloads are offered.
DOWNLOAD_ORDER = ("summary", "next", "template", "report", "xlsx", "csv", "json")


def failure_view(spec: Spec, failure: Failure) -> dict[str, str]:
    """A file that could not be used: its name and the Swedish reason."""
    return {"name": failure.path.name, "text": error_text(spec, failure.code, failure.data)}


def batch_view(batch: Batch, spec: Spec, token: str, root: Path) -> dict[str, Any]:
    """The results page's values: one entry per uploaded file, then the city's."""
    workbooks: list[dict[str, Any]] = []
    for i, result in enumerate(batch.results):
        if isinstance(result, Failure):
            workbooks.append({"ok": False, "id": f"fil{i + 1}", **failure_view(spec, result)})
            continue
        workbooks.append(
            _converted_view(result, spec, f"fil{i + 1}", _links(result.files, token, root))
        )
    city: dict[str, Any] | None = None
    if batch.city_failure is not None:
        city = {"error": failure_view(spec, batch.city_failure)["text"]}
    elif batch.city is not None:
        failed = [failure_view(spec, f) for f in batch.city.failures]
        city = {
            "error": None,
            "districts": len(batch.city.plans),
            "years": batch.city.years_label("–"),
            "left_out": failed,
            "downloads": _links(batch.city_files, token, root),
        }
    return {
        "workbooks": workbooks,
        "city": city,
        "read": sum(w["ok"] for w in workbooks),
        "failed": sum(not w["ok"] for w in workbooks),
    }


def _converted_view(
    result: Converted, spec: Spec, anchor: str, downloads: list[dict[str, str]]
) -> dict[str, Any]:
    plan = result.plan
    # The report's findings when it was made (the batch makes it): checked once.
    findings = check_plan_once(result)
    # The report's chart (same salt): drawn once, shown here as an image of its own.
    view = plan_view(plan, findings, headings=3, anchor=anchor, chart_salt="plan", actions=False)
    not_read = [str(f.data.get("sheet", "")) for f in findings if f.code in NOT_READ]
    return {
        "ok": True,
        "id": anchor,
        "name": result.source.name,
        "district": plan.meta.district or "",
        "year": plan.meta.year,
        # Whose files these are, in each download link's hidden text.
        "owner": " ".join(
            str(x) for x in (plan.meta.district or result.source.name, plan.meta.year) if x
        ),
        "next_year": result.rolled.meta.year,
        "police_area": plan.meta.police_area or "",
        "plan": view,
        "chart": svg_data_uri(view["chart"]),
        "chart_alt": spec.report["chart_alt"],
        "follow_up_chart": svg_data_uri(view["follow_up"]["chart"]) if view["follow_up"] else "",
        "actions": len(plan.actions),
        "not_read": not_read,
        "downloads": downloads,
    }


def _links(files: Mapping[str, Path], token: str, root: Path) -> list[dict[str, str]]:
    """Download links in the page's order: kind, URL path under the token, file name."""
    kinds = [k for k in DOWNLOAD_ORDER if k in files] + [
        k for k in files if k not in DOWNLOAD_ORDER
    ]
    out = []
    for kind in kinds:
        path = files[kind]
        relative = path.relative_to(root / token).as_posix()
        out.append({"kind": kind, "url": quote(f"/hamta/{token}/{relative}"), "name": path.name})
    return out
