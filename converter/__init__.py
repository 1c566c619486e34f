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

from .version import __version__ as __version__

# Public name -> the module that defines it.
_API = {
    "AtgardsplanError": "errors",
    "InputError": "errors",
    "OutputError": "errors",
    "SpecError": "errors",
    "Finding": "rules.checks",
    "check_plan": "rules.checks",
    "to_csv": "workbooks.export",
    "to_json": "workbooks.export",
    "write_export": "workbooks.export",
    "Plan": "plan",
    "PlanMeta": "plan",
    "plan_from_records": "plan",
    "read_plan": "reading.reader",
    "blank_plan": "rules.rollover",
    "next_year": "rules.rollover",
    "Spec": "spec",
    "load_spec": "spec",
    "area_counts": "rules.summary",
    "area_follow_up": "rules.follow_up",
    "missing_follow_up": "rules.follow_up",
    "write_plan": "workbooks.plan_writer",
    "Failure": "errors",
    "expand_inputs": "reading.inputs",
    "read_plans": "reading.inputs",
    "CityPlan": "rules.combine",
    "DuplicatePlansError": "rules.combine",
    "combine_plans": "rules.combine",
    "write_city": "workbooks.city_writer",
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

if TYPE_CHECKING:
    from .errors import AtgardsplanError, Failure, InputError, OutputError, SpecError
    from .plan import Plan, PlanMeta, plan_from_records
    from .reading.inputs import expand_inputs, read_plans
    from .reading.reader import read_plan
    from .rules.checks import Finding, check_plan
    from .rules.combine import CityPlan, DuplicatePlansError, combine_plans
    from .rules.follow_up import area_follow_up, missing_follow_up
    from .rules.rollover import blank_plan, next_year
    from .rules.summary import area_counts
    from .spec import Spec, load_spec
    from .workbooks.city_writer import write_city
    from .workbooks.export import to_csv, to_json, write_export
    from .workbooks.plan_writer import write_plan


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'converter' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
