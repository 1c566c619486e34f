"""Plans as a document management reads: one self-contained HTML page.

``render_plan_report(plan)`` and ``render_city_report(city)`` return the HTML as a
string (``write_plan_report`` and ``write_city_report`` write it to a file as it is
made, so that a city's report of 150,000 actions is never whole in memory): the
summary and its chart first, then each area with its actions grouped under their
problem and cause, then what ``check`` found. The markup is Jinja2 templates in
``templates/`` (``report.html.j2`` and its partials, ``report.css``); the Swedish words
come from the spec. ``template_dir`` puts a folder of the user's own templates in
front: a file there replaces the bundled one of the same name, no Python change.

Every template is autoescaped and cell text only ever fills a variable: a cell that
reads ``<script>`` or ``{{ 7*7 }}`` shows exactly those characters. Charts are inline
SVG drawn by matplotlib with a fixed hash salt and no date, so the same plan gives the
same bytes; CSS is inline; nothing is fetched, and no script is needed.
"""

from __future__ import annotations

import base64
import functools
import io
import os
import re
import textwrap
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from ..output import write_chunks_atomic
from ..plan import AREA, Plan
from ..rules.checks import ERROR, INFO, WARNING, Finding, check_plan
from ..rules.combine import CityPlan
from ..rules.follow_up import (
    FollowUpCount,
    area_follow_up,
    follow_up_headers,
    status_labels,
    total,
)
from ..rules.quality import (
    QualityCount,
    area_quality,
    count_quality,
    quality_columns,
    quality_headers,
    total_quality,
)
from ..rules.summary import area_counts, stale_cells, totals
from ..spec import EXTRA_WIDTH, STATUS, Spec
from ..version import __version__
from .messages import finding_text
from .templating import environment, texts

#: Excel's default series colours, so the report's chart looks like the workbook's.
COLOURS = ("#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47")
ACTION_KEYS = ("action", "goal", "timeframe", "responsible", "follow_up")


@dataclass
class Cause:
    text: str
    actions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Problem:
    text: str
    causes: dict[str, Cause] = field(default_factory=dict)


# -- the page ------------------------------------------------------------------------------


def render_plan_report(
    plan: Plan,
    *,
    template_dir: str | os.PathLike[str] | None = None,
    findings: Sequence[Finding] | None = None,
) -> str:
    """The report of one plan, as one HTML document."""
    return "".join(_plan_report(plan, template_dir, findings))


def write_plan_report(
    plan: Plan,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    template_dir: str | os.PathLike[str] | None = None,
    findings: Sequence[Finding] | None = None,
) -> Path:
    """``render_plan_report`` written to ``path`` (atomically) as it is made."""
    return write_chunks_atomic(path, _plan_report(plan, template_dir, findings), overwrite)


def _plan_report(
    plan: Plan,
    template_dir: str | os.PathLike[str] | None,
    findings: Sequence[Finding] | None,
) -> Iterator[str]:
    spec = plan.spec
    view = plan_view(plan, findings, headings=2)
    return (
        environment(template_dir)
        .get_template("report.html.j2")
        .generate(t=texts(spec), kind="plan", title=view["title"], plan=view, version=__version__)
    )


def render_city_report(
    city: CityPlan, *, template_dir: str | os.PathLike[str] | None = None
) -> str:
    """The city's report: its figures, a table of contents, then each district's plan."""
    return "".join(_city_report(city, template_dir))


def write_city_report(
    city: CityPlan,
    path: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    template_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """``render_city_report`` written to ``path`` (atomically) as it is made."""
    return write_chunks_atomic(path, _city_report(city, template_dir), overwrite)


def _city_report(city: CityPlan, template_dir: str | os.PathLike[str] | None) -> Iterator[str]:
    spec = city.spec
    title = spec.render(spec.report["city_title"], years=city.years_label("–"))
    summaries = [city_summary_view(city, year, i) for i, year in enumerate(city.years)]
    # Each district's view is made as the page reaches it, and dropped after.
    plans = (plan_view(p, None, headings=3, anchor=f"p{i}") for i, p in enumerate(city.plans))
    return (
        environment(template_dir)
        .get_template("report.html.j2")
        .generate(
            t=texts(spec),
            kind="city",
            title=title,
            summaries=summaries,
            plans=plans,
            contents=[{"id": f"p{i}", "title": plan_title(p)} for i, p in enumerate(city.plans)],
            failures=[
                {"file": str(f.path), "reason": spec.error_text(f.code, f.data)}
                for f in city.failures
            ],
            skipped=[
                {"file": str(f.path), "reason": spec.error_text(f.code)} for f in city.skipped
            ],
            version=__version__,
        )
    )


# -- one plan ------------------------------------------------------------------------------


def plan_view(
    plan: Plan,
    findings: Sequence[Finding] | None,
    *,
    headings: int,
    anchor: str = "plan",
    chart_salt: str | None = None,
    actions: bool = True,
) -> dict[str, Any]:
    """What the templates show of one plan, as plain values. The chart's ids are salted
    with ``chart_salt`` (default ``anchor``): unique for each chart inlined in a page.
    Without ``actions`` the areas have no actions (the web page shows only figures)."""
    spec = plan.spec
    meta = plan.meta
    counts = area_counts(plan)
    found = meta.summary_found
    stale_areas = {s.area_key for s in stale_cells(plan, counts)}
    rows = []
    stale: list[str] = []
    for key, title in plan.areas:
        figures = [counts[key][c.key] for c in spec.summary.counts]
        cells = found.rows.get(key, {}) if found else {}
        said = [cells[c.key] for c in spec.summary.counts if c.key in cells]
        is_stale = key in stale_areas
        if is_stale:
            stale.append(f"{title}: " + " / ".join(cell.text or "–" for cell in said))
        # What the workbook's own summary said, per figure, where the row was stale.
        rows.append(
            {
                "area": title,
                "figures": figures,
                "said": [
                    (cells[c.key].text or "–") if c.key in cells else "–"
                    for c in spec.summary.counts
                ]
                if is_stale
                else None,
            }
        )
    total = totals(counts)
    extras = [name for name in plan.extra_columns if (plan.actions[name] != "").any()]
    # The status is shown beside the follow-up once a plan has any.
    keys = [
        *ACTION_KEYS,
        *(k for k in (STATUS,) if k in spec.keys and (plan.actions[k] != "").any()),
    ]
    columns = [spec.column(k).header for k in keys] + extras
    widths = [spec.column(k).width for k in keys] + [EXTRA_WIDTH] * len(extras)
    percent = [round(100 * w / sum(widths), 1) for w in widths]
    areas = []
    for i, (key, title) in enumerate(plan.areas):
        frame = plan.actions[plan.actions[AREA] == title]
        areas.append(
            {
                "id": f"{anchor}-a{i}",
                "title": title,
                "counts": spec.render(
                    spec.report["area_counts"],
                    problems=counts[key]["problem"],
                    causes=counts[key]["cause"],
                    actions=counts[key]["action"],
                ),
                "problems": group_actions(frame.to_dict("records"), [*keys, *extras], spec)
                if actions
                else [],
            }
        )
    findings = check_plan(plan) if findings is None else findings
    title = plan_title(plan)
    source = meta.source.name if meta.source else ""
    return {
        "id": anchor,
        "title": title,
        "district": meta.district or "",
        "year": meta.year,
        "police_area": meta.police_area or "",
        "source": source,
        "h": headings,
        "summary": {
            "headers": [c.header for c in spec.summary.counts],
            "rows": rows,
            "total": [total[c.key] for c in spec.summary.counts],
        },
        "stale": spec.render(spec.report["stale"], said="; ".join(stale)) if stale else "",
        "chart": area_chart(plan, counts, salt=chart_salt or anchor),
        "columns": columns,
        "widths": percent,
        "areas": areas,
        "findings": [finding_view(spec, f) for f in findings],
        "findings_intro": spec.render(spec.report["findings_intro"], source=source),
        "quality": quality_view(
            spec,
            [
                (title, c)
                for (_k, title), c in zip(plan.areas, area_quality(plan).values(), strict=True)
            ],
            corner=spec.quality["area_header"],
            title=spec.quality["heading"],
        ),
        "follow_up": follow_up_view(
            spec,
            [
                (title, c)
                for (_k, title), c in zip(plan.areas, area_follow_up(plan).values(), strict=True)
            ],
            corner=spec.follow_up.get("area_header", ""),
            title=spec.follow_up.get("title", ""),
            chart_title=spec.follow_up.get("chart_title", ""),
            salt=f"{chart_salt or anchor}-f",
        ),
    }


def plan_title(plan: Plan) -> str:
    spec, meta = plan.spec, plan.meta
    return spec.render(spec.report["title"], year=meta.year or "", district=meta.district or "")


def follow_up_view(
    spec: Spec,
    rows: Sequence[tuple[str, FollowUpCount]],
    *,
    corner: str,
    title: str,
    chart_title: str,
    salt: str,
) -> dict[str, Any] | None:
    """The follow-up table (actions, followed up, each status per row: an area or a
    district), its total, the share followed up and a stacked chart of the statuses;
    None when the spec has no Status column."""
    if spec.status is None:
        return None
    f = spec.follow_up
    all_rows = total(c for _l, c in rows)
    labels = status_labels(spec)
    return {
        "title": title,
        "corner": corner,
        "headers": follow_up_headers(spec),
        "rows": [
            {"area": label, "figures": [c.actions, c.followed_up, *c.status.values()]}
            for label, c in rows
        ],
        "total": [all_rows.actions, all_rows.followed_up, *all_rows.status.values()],
        "total_label": f["total_label"],
        "chart_alt": f["chart_alt"],
        "share": spec.render(
            f["share"],
            followed=all_rows.followed_up,
            actions=all_rows.actions,
            percent=round(100 * all_rows.share),
        ),
        "chart": chart_svg(
            [label for label, _c in rows],
            {s: [c.status.get(s, 0) for _l, c in rows] for s in labels},
            title=chart_title,
            alt=f["chart_alt"],
            salt=salt,
            stacked=True,
        ),
    }


def quality_view(
    spec: Spec, rows: Sequence[tuple[str, QualityCount]], *, corner: str, title: str
) -> dict[str, Any]:
    """The quality figures by Brå's method (one row per area or district), the share
    of goals that name a measure and, where some do not, one example of a goal that
    does."""
    q = spec.quality
    total = total_quality(c for _l, c in rows)
    return {
        "title": title,
        "intro": q["intro"],
        "corner": corner,
        "headers": quality_headers(spec),
        "rows": [{"area": label, "figures": c.figures} for label, c in rows],
        "total": total.figures,
        "total_label": q["total_label"],
        "share": spec.render(q["measured_share"], measured=total.measured, goals=total.goals),
        "advice": spec.render(q["advice"], example=q["example_goal"])
        if total.measured < total.goals
        else "",
    }


def group_actions(
    records: Sequence[Mapping[Any, Any]], shown: Sequence[str], spec: Spec
) -> list[Problem]:
    """Actions under their problem and cause, each written once, in order of first
    appearance. A blank problem or cause belongs to the one above it, as people read
    a sheet where it was written once (or merged)."""
    problems: dict[str, Problem] = {}
    problem = cause = ""
    for rec in records:
        if rec["problem"]:
            problem, cause = rec["problem"], ""
        if rec["cause"]:
            cause = rec["cause"]
        p = problems.setdefault(problem, Problem(problem or spec.report["no_problem"]))
        c = p.causes.setdefault(cause, Cause(cause or spec.report["no_cause"]))
        c.actions.append({"cells": [rec[k] for k in shown]})
    return list(problems.values())


def finding_view(spec: Spec, finding: Finding) -> dict[str, str]:
    text = finding_text(spec, finding)
    severity = {ERROR: "severity_error", WARNING: "severity_warning", INFO: "severity_info"}
    return {
        "severity": spec.report[severity[finding.severity]],
        "class": finding.severity,
        "place": finding.place,
        "text": text,
    }


# -- the city ------------------------------------------------------------------------------


def city_summary_view(city: CityPlan, year: int, index: int) -> dict[str, Any]:
    spec = city.spec
    counts = city.area_counts(year)
    districts = city.district_counts(year)
    labels = [city.area_label(a.key) for a in spec.areas]
    heads = [c.header for c in spec.summary.counts]
    matrix_rows = [
        {"district": d, "figures": [per[a.key] for a in spec.areas], "total": sum(per.values())}
        for d, per in districts.items()
    ]
    area_totals = [sum(per[a.key] for per in districts.values()) for a in spec.areas]
    return {
        "id": f"y{year}",
        "year": year,
        "title": spec.render(spec.city.summary_title, year=year),
        "headers": heads,
        "rows": [
            {"area": label, "figures": [counts[a.key][c.key] for c in spec.summary.counts]}
            for a, label in zip(spec.areas, labels, strict=True)
        ],
        "total": [totals(counts)[c.key] for c in spec.summary.counts],
        "chart": chart_svg(
            labels,
            {
                h: [counts[a.key][c.key] for a in spec.areas]
                for h, c in zip(heads, spec.summary.counts, strict=True)
            },
            title=spec.summary.chart_title,
            alt=spec.report["chart_alt"],
            salt=f"city{index}",
        ),
        "follow_up": follow_up_view(
            spec,
            list(city.district_follow_up(year).items()),
            corner=spec.follow_up.get("district_header", ""),
            title=spec.render(spec.follow_up.get("city_title", ""), year=year),
            chart_title=spec.render(spec.follow_up.get("city_chart_title", ""), year=year),
            salt=f"city{index}-f",
        ),
        "quality": quality_view(
            spec,
            [
                (p.meta.district or "", count_quality(quality_columns(p)))
                for p in city.plans_of(year)
            ],
            corner=spec.quality["district_header"],
            title=spec.render(spec.quality["city_heading"], year=year),
        ),
        "matrix_title": spec.render(spec.city.matrix_title, year=year),
        "matrix_header": spec.city.matrix_district_header,
        "matrix_total": spec.city.matrix_total_label,
        "areas": labels,
        "matrix": matrix_rows,
        "matrix_totals": area_totals,
        "matrix_grand_total": sum(area_totals),
        "matrix_chart": chart_svg(
            list(districts),
            {
                label: [per[a.key] for per in districts.values()]
                for a, label in zip(spec.areas, labels, strict=True)
            },
            title=spec.render(spec.city.matrix_chart_title, year=year),
            alt=spec.report["matrix_chart_alt"],
            salt=f"matrix{index}",
            stacked=True,
        ),
    }


# -- charts --------------------------------------------------------------------------------


def area_chart(plan: Plan, counts: Mapping[str, Mapping[str, int]], *, salt: str) -> Markup:
    spec = plan.spec
    return chart_svg(
        [title for _key, title in plan.areas],
        {c.header: [counts[a.key][c.key] for a in spec.areas] for c in spec.summary.counts},
        title=spec.summary.chart_title,
        alt=spec.report["chart_alt"],
        salt=salt,
    )


_SVG_START = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
#: matplotlib's settings (rcParams) are global: one chart at a time, so that threads of a
#: web server never draw with each other's settings.
_CHART_LOCK = threading.Lock()


def chart_svg(
    categories: Sequence[str],
    series: Mapping[str, Sequence[int]],
    *,
    title: str,
    alt: str,
    salt: str,
    stacked: bool = False,
) -> Markup:
    """A column chart as inline SVG markup: the same input gives the same bytes (so a
    chart asked for again, by the web page after the report, is not drawn again)."""
    frozen = tuple((name, tuple(values)) for name, values in series.items())
    return _chart_svg(tuple(categories), frozen, title, alt, salt, stacked)


@functools.lru_cache(maxsize=32)
def _chart_svg(
    categories: tuple[str, ...],
    series_items: tuple[tuple[str, tuple[int, ...]], ...],
    title: str,
    alt: str,
    salt: str,
    stacked: bool,
) -> Markup:
    series = dict(series_items)
    from matplotlib import rc_context
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with (
        _CHART_LOCK,
        rc_context(
            {
                "svg.hashsalt": f"atgardsplan-{salt}",
                "svg.fonttype": "none",  # text stays text: readable, searchable, the page's font
                "font.family": "sans-serif",
                "font.size": 9,
                "axes.spines.top": False,
                "axes.spines.right": False,
            }
        ),
    ):
        width = max(7.5, min(0.55 * len(categories), 16)) if stacked else 7.5
        fig = Figure(figsize=(width, 3.8))
        FigureCanvasSVG(fig)
        ax = fig.add_subplot()
        n = max(len(series), 1)
        xs = range(len(categories))
        bottom = [0] * len(categories)
        for i, (name, values) in enumerate(series.items()):
            colour = COLOURS[i % len(COLOURS)]
            if stacked:
                ax.bar(xs, values, 0.7, bottom=bottom, label=name, color=colour)
                bottom = [b + v for b, v in zip(bottom, values, strict=True)]
            else:
                offsets = [x + (i - (n - 1) / 2) * 0.8 / n for x in xs]
                bars = ax.bar(offsets, values, 0.8 / n, label=name, color=colour)
                ax.bar_label(bars, fontsize=7, padding=1)
        ax.set_xticks(list(xs))
        wrap = 14 if not stacked else 12
        ax.set_xticklabels(
            ["\n".join(textwrap.wrap(c, wrap)) or c for c in categories],
            rotation=0 if not stacked or len(categories) <= 8 else 45,
            ha="center" if not stacked or len(categories) <= 8 else "right",
        )
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", color="#D9D9D9", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_title(title, fontsize=11, fontweight="bold", pad=26 if n <= 3 else 40)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=min(n, 3), frameon=False)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(
            buf,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    svg = _unreferenced_ids_dropped(_SVG_START.sub("", buf.getvalue(), count=1))
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(alt)}" ', 1)
    return Markup(svg)


_ID = re.compile(r'\sid="([^"]*)"')
_REFERENCE = re.compile(r'(?:url\(#|href="#)([^")]+)')


def _unreferenced_ids_dropped(svg: str) -> str:
    """The SVG without the ids matplotlib gives every group ("figure_1", "patch_1"):
    the same in every chart, they would repeat on a page of many (the ids an HTML page
    needs unique). The ids it refers to (clip paths, markers) are salted: unique."""
    used = set(_REFERENCE.findall(svg))
    return _ID.sub(lambda m: m.group(0) if m.group(1) in used else "", svg)


# -- names ---------------------------------------------------------------------------------


def default_report_name(spec: Spec, source: Path) -> str:
    return spec.file_name("report", stem=source.stem)


def default_city_report_name(city: CityPlan) -> str:
    return city.spec.file_name("city_report", years=city.years_label() or "alla")


def svg_data_uri(svg: str) -> str:
    """An SVG as a ``data:`` URI for an ``<img>``: its ids stay its own, so the same
    chart can appear on a page beside others."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
