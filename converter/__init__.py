"""atgardsplan: read, summarise, combine and roll over the Åtgärdsplan workbook.

>>> from converter import read_plan, write_plan, next_year
>>> plan = read_plan("examples/atgardsplan-2025-norra-innerstaden.xlsx")
>>> plan.frames["Unga i riskzon för destruktivt beteende"].shape[0]
3

The names below are loaded on first use (PEP 562), so that the command line can answer
``--help`` without importing pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.3.0"

# Public name -> the module that defines it.
_API = {
    "AtgardsplanError": "errors",
    "InputError": "errors",
    "OutputError": "errors",
    "SpecError": "errors",
    "Finding": "checks",
    "check_plan": "checks",
    "to_csv": "export",
    "to_json": "export",
    "write_export": "export",
    "Plan": "plan",
    "PlanMeta": "plan",
    "plan_from_records": "plan",
    "read_plan": "reader",
    "blank_plan": "rollover",
    "next_year": "rollover",
    "Spec": "spec",
    "load_spec": "spec",
    "area_counts": "summary",
    "write_plan": "writer",
    "Failure": "inputs",
    "expand_inputs": "inputs",
    "read_plans": "inputs",
    "CityPlan": "combine",
    "DuplicatePlansError": "combine",
    "combine_plans": "combine",
    "write_city": "city_writer",
}

__all__ = [
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
    "blank_plan",
    "check_plan",
    "combine_plans",
    "expand_inputs",
    "load_spec",
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

if TYPE_CHECKING:
    from .checks import Finding, check_plan
    from .city_writer import write_city
    from .combine import CityPlan, DuplicatePlansError, combine_plans
    from .errors import AtgardsplanError, InputError, OutputError, SpecError
    from .export import to_csv, to_json, write_export
    from .inputs import Failure, expand_inputs, read_plans
    from .plan import Plan, PlanMeta, plan_from_records
    from .reader import read_plan
    from .rollover import blank_plan, next_year
    from .spec import Spec, load_spec
    from .summary import area_counts
    from .writer import write_plan


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'converter' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
