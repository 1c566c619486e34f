"""atgardsplan: read, summarise and roll over the Åtgärdsplan workbook.

>>> from converter import read_plan, write_plan, next_year
>>> plan = read_plan("examples/atgardsplan-2025-norra-innerstaden.xlsx")
>>> plan.frames["Unga i riskzon för destruktivt beteende"].shape[0]
3
"""

from .checks import Finding, check_plan
from .errors import AtgardsplanError, InputError, OutputError, SpecError
from .export import to_csv, to_json, write_export
from .plan import Plan, PlanMeta, plan_from_records
from .reader import read_plan
from .rollover import blank_plan, next_year
from .spec import Spec, load_spec
from .summary import area_counts
from .writer import write_plan

__all__ = [
    "AtgardsplanError",
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
    "load_spec",
    "next_year",
    "plan_from_records",
    "read_plan",
    "to_csv",
    "to_json",
    "write_export",
    "write_plan",
]
__version__ = "0.1.0"
