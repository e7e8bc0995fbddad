"""The validation engine: a whole file checked against a Table Schema, in flat memory.

Frictionless decides every finding. The engine adds what a portal needs
around it:

- fast readers (csv module, calamine for workbooks) and detection of the
  encoding, separator, header row and notes below the table (readers.py);
- a fast path: each cell is cast with frictionless's own value readers and
  checked against the field's constraints; a row whose cells all pass is
  valid as frictionless would find it, so it is not handed to frictionless's
  row machinery. Any other row (a failed or unusual cell, a wrong cell count,
  a blank row) goes, in batches, through a frictionless TableResource with
  the same header and schema, and its errors are frictionless's own;
- uniqueness (field `unique`, schema `primaryKey`) checked in memory up to
  `integrity_memory_keys` keys and in a temporary SQLite file beyond, where
  frictionless keeps every key in memory; the findings are the same ("the
  same as in the row at position N");
- no error limit: the whole file is read, every error counted by type, and
  only the first `errors_per_type` of each kept in the report.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ckanext.sipessut.validation import check_plan, readers
from ckanext.sipessut.validation.check_plan import CheckPlan, DictionaryProblem
from ckanext.sipessut.validation.engine.options import (
    INTEGRITY_MEMORY_KEYS,
    OptionProblem,
    Options,
    Settings,
)
from ckanext.sipessut.validation.engine.report import Report
from ckanext.sipessut.validation.engine.run import Run
from ckanext.sipessut.validation.engine.shape import (
    HEADER_SCAN_ROWS,
    detect_header,
    looks_indonesian_number,
    without_notes,
)
from ckanext.sipessut.validation.readers import FileProblem


def validate(
    path: str | Path,
    *,
    declared_format: str | None,
    plan: CheckPlan | None,
    options: Options | None = None,
    settings: Settings | None = None,
    fingerprint: readers.Fingerprint | None = None,
) -> dict[str, Any]:
    """Validate one local file; always returns a report, never raises for bad input."""
    settings = settings or Settings()
    options = options or Options()
    started = time.monotonic()
    report = Report(settings)
    try:
        if fingerprint is None:
            fingerprint = readers.scan(path, settings.max_bytes)
        report.source.update(bytes=fingerprint.size, sha256=fingerprint.sha256)
        fmt = readers.sniff_format(path, declared_format)
        declared = (declared_format or "").lower().lstrip(".")
        differs = declared in readers.TABULAR_FORMATS and declared != fmt
        if differs and not (declared == "tsv" and fmt == "csv"):
            report.notice("format-differs", declared=declared, actual=fmt)
        report.source["format"] = fmt
        if plan is None:
            plan = CheckPlan(schema=None)
        table = readers.open_table(
            path,
            fmt,
            encoding=options.encoding or fingerprint.encoding,
            delimiter=options.delimiter,
            sheet=options.sheet,
            max_uncompressed=settings.max_uncompressed,
        )
        report.source.update(
            encoding=table.encoding,
            delimiter=table.delimiter,
            sheet=table.sheet,
            sheets=table.sheets,
        )
        report.notices.extend(table.notices)
        if table.encoding in ("cp1252", "iso-8859-1", "utf-16"):
            report.notice("encoding", encoding=table.encoding)
        Run(table, plan, options, settings, report).execute()
    except FileProblem as problem:
        report.fail(problem.code, problem.params)
    except DictionaryProblem as problem:
        report.fail(problem.code, problem.params)
    report.stats["seconds"] = round(time.monotonic() - started, 3)
    return report.finish()


def validate_against(
    path: str | Path,
    *,
    declared_format: str | None,
    dictionary_value: Any,
    options_value: Any = None,
    settings: Settings | None = None,
    fingerprint: readers.Fingerprint | None = None,
) -> dict[str, Any]:
    """Validate a file against a resource's `data_dictionary` and `validation_options`
    values as stored (dict or JSON); a dictionary that cannot be used is the report's reason."""
    try:
        plan = check_plan.plan(check_plan.load(dictionary_value))
    except DictionaryProblem as problem:
        return failure_report(problem.code, problem.params)
    report = validate(
        path,
        declared_format=declared_format,
        plan=plan,
        options=Options.from_dict(check_plan.load_options(options_value)),
        settings=settings,
        fingerprint=fingerprint,
    )
    # Options are checked when the resource is saved; one saved before that was checked
    # is left to detection, and the report says so.
    report["notices"][:0] = [
        {"code": "option-ignored", "option": problem.option, "value": str(problem.value)[:100]}
        for problem in Options.problems(options_value)
    ]
    return report


def failure_report(code: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """The report of a run that could not check the table (unreadable file, limits, crash)."""
    report = Report(Settings())
    report.fail(code, dict(params or {}))
    return report.finish()


__all__ = [
    "HEADER_SCAN_ROWS",
    "INTEGRITY_MEMORY_KEYS",
    "OptionProblem",
    "Options",
    "Settings",
    "detect_header",
    "failure_report",
    "looks_indonesian_number",
    "validate",
    "validate_against",
    "without_notes",
]
