"""The house holds: one seam, floors that only look down, no module too large.

The imports of every module of ``converter/`` are read from its source (no module is
run), so a new import that crosses the seam or runs up a floor fails here by name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import converter

PACKAGE = Path(__file__).parent.parent / "converter"

#: The floors, lowest first: a module may import its own folder and any lower floor.
#: ``reading`` and ``rules`` share a floor and never import each other, nor do
#: ``workbooks`` and ``documents``.
FLOORS = {
    "ground": 0,  # version, limits, errors, text, districts, spec, output, plan, language
    "reading": 1,
    "rules": 1,
    "workbooks": 2,
    "documents": 2,
    "jobs": 3,
    "web": 4,
    "cli": 5,
}
GROUND = {"version", "limits", "errors", "text", "districts", "spec", "output", "plan", "language"}
#: What the front ends may import: the seam, the errors, the settings, their own helpers
#: (and the CLI's ``serve`` starts the web page).
FRONT_ENDS = {
    "cli": {"jobs", "errors", "language", "web.settings", "web.app"},
    "web": {
        "jobs",
        "errors",
        "web.settings",
        "web.downloads",
        "web.pages",
        "web.gate",
        "web.app",
    },
}
#: The public API, as promised in the README: a change here is a change for users.
PUBLIC_API = [
    "AtgardsplanError",
    "CityPlan",
    "DuplicatePlansError",
    "Failure",
    "Finding",
    "InputError",
    "OutputError",
    "Plan",
    "PlanMeta",
    "Spec",
    "SpecError",
    "area_counts",
    "area_follow_up",
    "blank_plan",
    "check_plan",
    "combine_plans",
    "expand_inputs",
    "load_spec",
    "missing_follow_up",
    "next_year",
    "plan_from_records",
    "read_plan",
    "read_plans",
    "to_csv",
    "to_json",
    "write_city",
    "write_export",
    "write_plan",
]
#: No module holds more than this share of the package's lines.
LARGEST_SHARE = 0.12


def modules() -> dict[str, Path]:
    """Dotted name under ``converter`` ("rules.checks", "cli") -> file."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and parts[-1] != "__main__":
            out[".".join(parts)] = path
    return out


def imports_of(name: str, path: Path) -> set[str]:
    """The modules of ``converter`` that ``name`` imports (anywhere in its body)."""
    package = name.split(".")[:-1] if path.name != "__init__.py" else name.split(".")
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
            target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            if node.module is None:  # from . import x
                found.update(f"{target}.{a.name}".strip(".") for a in node.names)
            else:
                found.add(target)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("converter."):
            found.add(node.module.removeprefix("converter."))  # type: ignore[union-attr]
    known = modules()
    return {t for t in found if t in known}


def floor(name: str) -> str:
    top = name.split(".")[0]
    return "ground" if top in GROUND else top


GRAPH = {name: imports_of(name, path) for name, path in modules().items() if name}


def test_the_public_api_is_pinned() -> None:
    assert sorted(converter.__all__) == PUBLIC_API
    for name in PUBLIC_API:
        assert getattr(converter, name) is not None


@pytest.mark.parametrize("front", sorted(FRONT_ENDS))
def test_the_front_ends_import_only_the_seam(front: str) -> None:
    """The CLI and the web page reach the library through ``converter.jobs`` alone."""
    for name, targets in GRAPH.items():
        if floor(name) != front or name == "web.settings":
            continue
        foreign = {t for t in targets if t not in FRONT_ENDS[front]}
        assert not foreign, f"converter.{name} imports {sorted(foreign)} past the jobs"


def test_no_import_runs_up_a_floor_or_sideways() -> None:
    wrong = []
    for name, targets in GRAPH.items():
        if floor(name) in ("cli", "web"):
            continue  # held by the seam test above
        for t in targets:
            same_folder = floor(t) == floor(name)
            if not same_folder and FLOORS[floor(t)] >= FLOORS[floor(name)]:
                wrong.append(f"{name} -> {t}")
    assert not wrong


def test_no_circle() -> None:
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for t in sorted(GRAPH.get(name, ())):
            assert state.get(t) != 1, "circle: " + " -> ".join([*path, name, t])
            if t not in state:
                visit(t, [*path, name])
        state[name] = 2

    for name in sorted(GRAPH):
        if name not in state:
            visit(name, [])


def test_no_module_is_too_large() -> None:
    lines = {name: len(p.read_text(encoding="utf-8").splitlines()) for name, p in modules().items()}
    total = sum(lines.values())
    largest = max(lines, key=lambda n: lines[n])
    assert lines[largest] / total <= LARGEST_SHARE, f"{largest}: {lines[largest]} of {total}"


def test_the_layout_test_sees_real_imports() -> None:
    """The import reader itself: it must find the seam and the floors it judges."""
    assert "jobs" in GRAPH["cli"]
    assert "reading.reader" in GRAPH["jobs.common"]
    assert "jobs.common" in GRAPH["jobs.convert"]
    assert "rules.summary" in GRAPH["rules.checks"]
    assert "plan" in GRAPH["reading.reader"]
    assert "web.settings" in GRAPH["web.app"]
