"""The user-level jobs, once, for the command line and the web page: the one seam.

Each job takes inputs and options, writes named outputs and returns what it did as
values (files written, plans, findings, failures); it prints nothing. The CLI turns the
values into lines, the web page into pages; neither imports anything of the library
but this package, the errors and the settings (``tests/test_layout.py`` holds them to
it). District names, years and output names are settled here, once, for both.

One module a kind of job: ``one_plan`` (read, check, summary, next-year), ``convert``
(the main job, and the web page's uploads), ``city`` (combine, report), ``templates``
and ``diff``; ``common`` what they settle alike. Besides the jobs, this face names what
the front ends need to show their values: the Swedish texts of codes, the templates.
"""

from ..documents.messages import error_text, finding_text, size_text
from ..documents.report import plan_view, svg_data_uri
from ..documents.templating import environment, template_folders, texts
from ..errors import Failure, Skipped
from ..limits import RELEASE_AFTER_BYTES, release_memory
from ..plan import Plan
from ..rules.checks import Finding, compact_places
from ..rules.quality import QUALITY_CODES
from ..spec import Spec, load_spec
from ..text import fit_name
from ..workbooks.export import FORMATS
from .city import (
    Combined,
    Reported,
    combine_files,
    combine_to_workbook,
    report_files,
    write_combined,
)
from .common import (
    YEARS,
    Progress,
    next_year_name,
    prepare_out_dir,
    review_timeframes,
    settle_district,
    settle_districts,
    settle_year,
    unlisted_districts,
)
from .convert import (
    Batch,
    Converted,
    ConvertOptions,
    ConvertRun,
    RequestBudget,
    check_plan_once,
    convert_files,
    convert_many,
    convert_one,
    convert_targets,
    convert_uploads,
    upload_cost,
)
from .diff import DIFF_SUFFIXES, Diffed, diff_files, write_diff
from .follow_up import FollowedUp, follow_up_files, follow_up_json, follow_up_records
from .one_plan import (
    Checked,
    Exported,
    FigureRow,
    RolledOver,
    Summarised,
    check_file,
    export_file,
    export_format,
    findings_json,
    roll_over_file,
    summarise_file,
    summary_figures,
)
from .templates import template_files, templates_archive_name, write_templates

__all__ = [
    "unlisted_districts",
    "RELEASE_AFTER_BYTES",
    "release_memory",
    "RequestBudget",
    "upload_cost",
    "fit_name",
    # settled alike for every front end
    "YEARS",
    "Progress",
    "next_year_name",
    "prepare_out_dir",
    "review_timeframes",
    "settle_district",
    "settle_districts",
    "settle_year",
    # the jobs and their values
    "Batch",
    "Checked",
    "Combined",
    "ConvertOptions",
    "ConvertRun",
    "Converted",
    "DIFF_SUFFIXES",
    "Diffed",
    "Exported",
    "FORMATS",
    "FigureRow",
    "FollowedUp",
    "Reported",
    "RolledOver",
    "Summarised",
    "check_file",
    "check_plan_once",
    "combine_files",
    "combine_to_workbook",
    "convert_files",
    "convert_many",
    "convert_one",
    "convert_targets",
    "convert_uploads",
    "diff_files",
    "export_file",
    "export_format",
    "findings_json",
    "follow_up_files",
    "follow_up_json",
    "follow_up_records",
    "report_files",
    "roll_over_file",
    "summarise_file",
    "summary_figures",
    "template_files",
    "templates_archive_name",
    "write_combined",
    "write_diff",
    "write_templates",
    # what the front ends show of the jobs' values, by code and in Swedish
    "QUALITY_CODES",
    "Failure",
    "Finding",
    "Plan",
    "Skipped",
    "Spec",
    "compact_places",
    "environment",
    "error_text",
    "finding_text",
    "load_spec",
    "plan_view",
    "size_text",
    "svg_data_uri",
    "template_folders",
    "texts",
]
