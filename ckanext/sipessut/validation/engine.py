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

import datetime
import hashlib
import os
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from typing import Any

from ckanext.sipessut.validation import readers
from ckanext.sipessut.validation.dictionary import CheckPlan, DictionaryProblem
from ckanext.sipessut.validation.readers import FileProblem

REPORT_VERSION = 1
HEADER_SCAN_ROWS = 30
NUMBER_SAMPLE_ROWS = 1000
NOTES_LOOKAHEAD = 100
BATCH_ROWS = 500
CELL_TEXT_LIMIT = 200
INTEGRITY_BATCH = 20_000
# Keys of unique fields and primary keys checked in memory (110 to 170 bytes each, so 40 MB
# at most) before they move to a temporary SQLite file.
INTEGRITY_MEMORY_KEYS = 250_000

_FLAG = object()  # a cell (and so its row) that frictionless must look at
_MISSING = object()


@dataclass
class Settings:
    """Limits and report sizes; the runner fills them from the portal's configuration."""

    max_bytes: int = 100 * 1024 * 1024
    max_rows: int = 5_000_000
    max_uncompressed: int = 300 * 1024 * 1024
    errors_per_type: int = 100
    preview_rows: int = 20
    detect_number_format: bool = True
    integrity_memory_keys: int = INTEGRITY_MEMORY_KEYS


@dataclass
class Options:
    """Per-resource choices (the resource field `validation_options`)."""

    sheet: str | int | None = None
    header_row: int | None = None
    encoding: str | None = None
    delimiter: str | None = None

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Options:
        header_row = values.get("header_row")
        try:
            header_row = int(header_row) if header_row not in (None, "") else None
        except (TypeError, ValueError):
            header_row = None
        delimiter = values.get("delimiter") or None
        if delimiter in ("\\t", "tab", "TAB"):
            delimiter = "\t"
        encoding = values.get("encoding") or None
        if encoding:
            import codecs

            try:
                codecs.lookup(encoding)
            except LookupError:
                encoding = None
        return cls(
            sheet=values.get("sheet") or None,
            header_row=header_row if header_row and header_row > 0 else None,
            encoding=encoding,
            delimiter=delimiter if isinstance(delimiter, str) and len(delimiter) == 1 else None,
        )


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
    report = _Report(settings)
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
        _Run(table, plan, options, settings, report).execute()
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
    from ckanext.sipessut.validation import dictionary

    try:
        plan = dictionary.plan(dictionary.load(dictionary_value))
    except DictionaryProblem as problem:
        return failure_report(problem.code, problem.params)
    return validate(
        path,
        declared_format=declared_format,
        plan=plan,
        options=Options.from_dict(dictionary.load_options(options_value)),
        settings=settings,
        fingerprint=fingerprint,
    )


def failure_report(code: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """The report of a run that could not check the table (unreadable file, limits, crash)."""
    report = _Report(Settings())
    report.fail(code, dict(params or {}))
    return report.finish()


# --- the report --------------------------------------------------------------------


class _Report:
    """Counts every error, keeps the first few of each type, and the preview."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.counts: dict[str, int] = {}
        self.kept: dict[str, list[dict[str, Any]]] = {}
        self.notices: list[dict[str, Any]] = []
        self.limits: list[dict[str, Any]] = []
        self.source: dict[str, Any] = {}
        self.stats: dict[str, Any] = {"rows": 0, "columns": 0}
        self.header: dict[str, Any] = {}
        self.preview: list[dict[str, Any]] = []
        self.preview_marks: dict[int, dict[int, list[str]]] = {}
        self.preview_last = 0
        self.reason: dict[str, Any] | None = None

    def notice(self, code: str, **params: Any) -> None:
        self.notices.append({"code": code, **params})

    def fail(self, code: str, params: dict[str, Any]) -> None:
        self.reason = {"code": code, **params}

    def add(self, error: dict[str, Any]) -> None:
        kind = error["type"]
        self.counts[kind] = self.counts.get(kind, 0) + 1
        kept = self.kept.setdefault(kind, [])
        if len(kept) < self.settings.errors_per_type:
            kept.append(error)
        row = error.get("rowNumber")
        if row is not None and row <= self.preview_last:
            marks = self.preview_marks.setdefault(row, {})
            marks.setdefault(error.get("fieldNumber") or 0, []).append(kind)

    def finish(self) -> dict[str, Any]:
        errors = [error for kind in sorted(self.kept) for error in self.kept[kind]]
        errors.sort(key=lambda e: (e.get("rowNumber") or 0, e.get("fieldNumber") or 0))
        total = sum(self.counts.values())
        if self.reason:
            status = "error"
        elif total:
            status = "invalid"
        elif self.limits:
            status = "error"
            self.reason = dict(self.limits[0])
        else:
            status = "valid"
        for row in self.preview:
            marks = self.preview_marks.get(row["rowNumber"])
            if marks:
                row["marks"] = {str(k): v for k, v in marks.items()}
        self.stats["errors"] = total
        return {
            "version": REPORT_VERSION,
            "status": status,
            "reason": self.reason,
            "source": self.source,
            "header": self.header,
            "stats": self.stats,
            "error_counts": dict(sorted(self.counts.items())),
            "errors": errors,
            "notices": self.notices,
            "limits": self.limits,
            "preview": self.preview,
        }


def _error_entry(descriptor: dict[str, Any]) -> dict[str, Any]:
    """The parts of a frictionless error a report keeps (no full copy of the row)."""
    entry = {"type": descriptor["type"], "note": descriptor.get("note", "")}
    for key in ("rowNumber", "fieldNumber", "fieldName", "label"):
        if descriptor.get(key) not in (None, ""):
            entry[key] = descriptor[key]
    if "cell" in descriptor:
        entry["cell"] = _short(descriptor["cell"])
    if descriptor.get("rowNumbers"):
        entry["rowNumbers"] = descriptor["rowNumbers"]
    return entry


def _shown(value: Any) -> str:
    """A cell as the preview shows it: a spreadsheet date without its midnight time."""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return _short(value)


def _short(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= CELL_TEXT_LIMIT else text[:CELL_TEXT_LIMIT] + "…"


# --- one run ---------------------------------------------------------------------


class _Run:
    def __init__(
        self,
        table: readers.Table,
        plan: CheckPlan,
        options: Options,
        settings: Settings,
        report: _Report,
    ) -> None:
        self.table = table
        self.plan = plan
        self.options = options
        self.settings = settings
        self.report = report

    def execute(self) -> None:
        from frictionless import Schema

        numbered = enumerate(self.table.rows, start=1)
        head = list(islice(numbered, HEADER_SCAN_ROWS))
        if not any(_filled(cells) for _, cells in head):
            raise FileProblem("empty-file")
        index = self._header_index(head)
        header_number, header_cells = head[index]
        if index > 0:
            self.report.notice("header-row", row=header_number)
        data: Iterator[tuple[int, list[Any]]] = chain(head[index + 1 :], numbered)
        width = max(len(header_cells), len(self.plan.schema["fields"]) if self.plan.schema else 0)
        data = without_notes(data, width, self.report.notices)
        data = self._limited(data)
        sample = list(islice(data, NUMBER_SAMPLE_ROWS))

        descriptor = self._schema_descriptor(header_cells, sample)
        schema = Schema.from_descriptor(descriptor)
        self.report.header = {"row": header_number, "labels": _labels(header_cells)}
        self.report.stats["columns"] = len(header_cells)

        checker = _Frictionless(header_cells, descriptor)
        for error in checker.header_errors():
            if "rowNumbers" in error:
                error["rowNumbers"] = [header_number]
            self.report.add(error)
        if not self.plan.schema:
            self.report.notice("no-dictionary")

        fast = _FastPath(schema, self.plan)
        integrity = (
            _Integrity(schema, self.plan, self.settings.integrity_memory_keys)
            if fast.key_fields
            else None
        )
        pending: list[tuple[int, list[Any]]] = []
        preview_limit = self.settings.preview_rows
        group_chars = self._group_char_positions(schema)
        rows = 0
        try:
            for row_number, cells in chain(sample, data):
                rows += 1
                if group_chars:
                    _strip_group_chars(cells, group_chars)
                if rows <= preview_limit:
                    self.report.preview.append(
                        {"rowNumber": row_number, "cells": [_shown(c) for c in cells]}
                    )
                    self.report.preview_last = row_number
                values = fast.check(cells)
                if values is _FLAG:
                    pending.append((row_number, cells))
                    if len(pending) >= BATCH_ROWS:
                        self._flush(checker, pending, integrity)
                        pending = []
                elif integrity is not None:
                    integrity.add(row_number, values)
            if pending:
                self._flush(checker, pending, integrity)
            if integrity is not None:
                for error in integrity.findings():
                    self.report.add(error)
        finally:
            if integrity is not None:
                integrity.close()
        self.report.stats["rows"] = rows
        if rows == 0:
            self.report.notice("no-data-rows")

    # header ---------------------------------------------------------------------

    def _header_index(self, head: list[tuple[int, list[Any]]]) -> int:
        if self.options.header_row:
            for index, (number, _) in enumerate(head):
                if number == self.options.header_row:
                    return index
            raise FileProblem("header-row-missing", row=self.options.header_row)
        return detect_header(head, self.plan)

    # schema ---------------------------------------------------------------------

    def _schema_descriptor(
        self, header_cells: list[Any], sample: list[tuple[int, list[Any]]]
    ) -> dict[str, Any]:
        if not self.plan.schema:
            return _structure_schema(header_cells)
        descriptor = {
            **self.plan.schema,
            "fields": [dict(f) for f in self.plan.schema["fields"]],
        }
        if self.settings.detect_number_format:
            self._detect_number_formats(descriptor, sample)
        return descriptor

    def _detect_number_formats(
        self, descriptor: dict[str, Any], sample: list[tuple[int, list[Any]]]
    ) -> None:
        for position, spec in enumerate(descriptor["fields"]):
            kind = spec.get("type")
            values = [
                cells[position]
                for _, cells in sample
                if position < len(cells) and isinstance(cells[position], str)
            ]
            declared = {"decimalChar", "groupChar"} & spec.keys()
            if kind == "number" and not declared and looks_indonesian_number(values):
                spec["decimalChar"] = ","
                spec["groupChar"] = "."
                self.report.notice("number-format-detected", field=spec["name"])
            elif (
                kind == "integer"
                and spec["name"] not in self.plan.integer_group_chars
                and looks_grouped_integer(values)
            ):
                self.plan.integer_group_chars[spec["name"]] = "."
                self.report.notice("integer-groups-detected", field=spec["name"])

    def _group_char_positions(self, schema: Any) -> dict[int, re.Pattern[str]]:
        positions = {}
        for position, schema_field in enumerate(schema.fields):
            char = self.plan.integer_group_chars.get(schema_field.name)
            if char:
                positions[position] = re.compile(rf"^-?\d{{1,3}}(?:{re.escape(char)}\d{{3}})+$")
        return positions

    # rows -----------------------------------------------------------------------

    def _limited(self, rows: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
        limit = self.settings.max_rows
        for count, row in enumerate(rows, start=1):
            if count > limit:
                self.report.limits.append({"code": "row-limit", "limit": limit})
                return
            yield row

    def _flush(
        self,
        checker: _Frictionless,
        rows: list[tuple[int, list[Any]]],
        integrity: _Integrity | None,
    ) -> None:
        for row_number, errors, values in checker.check_rows(rows):
            for error in errors:
                self.report.add(error)
            if integrity is not None:
                integrity.add_row(row_number, values)


# --- header and number detection ---------------------------------------------------------


def _filled(cells: Iterable[Any]) -> int:
    return sum(1 for cell in cells if cell is not None and str(cell).strip() != "")


def _labels(cells: list[Any]) -> list[str]:
    return ["" if cell is None else str(cell).strip() for cell in cells]


def _normal(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


def detect_header(head: list[tuple[int, list[Any]]], plan: CheckPlan) -> int:
    """The index of the header row among the first rows.

    With a dictionary: the row naming most of its fields (by name or title).
    Without: the first row whose cells are all text and which is about as wide
    as the table, so that title lines such as "TABEL 3.1 ..." above it are skipped.
    """
    if plan.schema:
        names: set[str] = set()
        for spec in plan.schema["fields"]:
            names.add(_normal(spec["name"]))
            if spec.get("title"):
                names.add(_normal(spec["title"]))
        best, best_score = 0, 0
        for index, (_, cells) in enumerate(head):
            score = sum(1 for cell in cells if _normal(cell) in names)
            if score > best_score:
                best, best_score = index, score
        if best_score:
            return best
    widths = [_filled(cells) for _, cells in head]
    widest = max(widths) if widths else 0
    for index, (_, cells) in enumerate(head):
        filled = [cell for cell in cells if cell is not None and str(cell).strip() != ""]
        if len(filled) >= max(2, (widest + 1) // 2) and all(
            isinstance(cell, str) and not _NUMERIC.match(cell.strip()) for cell in filled
        ):
            return index
    return 0


_NUMERIC = re.compile(r"^[-+]?[\d.,]+$")
_ID_DECIMAL = re.compile(r"^-?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+$")
_ID_GROUPED = re.compile(r"^-?\d{1,3}(?:\.\d{3}){2,}$")
_EN_DECIMAL = re.compile(r"^-?\d+\.(?:\d{1,2}|\d{4,})$")
_EN_GROUPED = re.compile(r"^-?\d{1,3}(?:,\d{3})+\.\d+$")
_GROUPED_INTEGER = re.compile(r"^-?\d{1,3}(?:\.\d{3})+$")
_PLAIN_INTEGER = re.compile(r"^-?\d+$")


def looks_indonesian_number(values: list[str]) -> bool:
    """Decimal comma and thousands dot ("1.234,56", "221,29"), and nothing that contradicts it."""
    indonesian = english = 0
    for value in values:
        value = value.strip()
        if _ID_DECIMAL.match(value) or _ID_GROUPED.match(value):
            indonesian += 1
        elif _EN_DECIMAL.match(value) or _EN_GROUPED.match(value):
            english += 1
    return indonesian > 0 and english == 0


def looks_grouped_integer(values: list[str]) -> bool:
    """Whole numbers written with thousands dots ("61.234"), the others plain digits."""
    grouped = 0
    for value in values:
        value = value.strip()
        if _GROUPED_INTEGER.match(value):
            grouped += 1
        elif value and not _PLAIN_INTEGER.match(value):
            return False
    return grouped > 0


def _strip_group_chars(cells: list[Any], positions: dict[int, re.Pattern[str]]) -> None:
    for position, pattern in positions.items():
        if position < len(cells):
            cell = cells[position]
            if isinstance(cell, str) and pattern.match(cell.strip()):
                text = cell.strip()
                cells[position] = ("-" if text.startswith("-") else "") + re.sub(r"\D", "", text)


def _structure_schema(header_cells: list[Any]) -> dict[str, Any]:
    """Without a dictionary only the structure is checked: every column is `any`."""
    from frictionless import Detector
    from frictionless.resources import TableResource

    resource = TableResource(
        data=[list(header_cells)], detector=Detector(field_type="any"), format="inline"
    )
    with resource:
        return resource.schema.to_descriptor()


def _first_filled(cells: list[Any]) -> list[Any]:
    """The first two non-empty cells of a row (enough to tell a note from a row)."""
    found = []
    for cell in cells:
        if cell is not None and cell != "" and (cell.__class__ is not str or cell.strip()):
            found.append(cell)
            if len(found) > 1:
                break
    return found


def without_notes(
    rows: Iterator[tuple[int, list[Any]]], width: int, notices: list[dict[str, Any]]
) -> Iterator[tuple[int, list[Any]]]:
    """Drop blank rows and notes ("Sumber: BPS") below the table.

    Rows after a blank row are held back while they are blank or hold a single
    text cell; a fuller row means they were part of the table after all (and
    are checked, blank rows included). At the end of the file what is held
    back is reported as ignored, not as errors.
    """
    held: list[tuple[int, list[Any]]] = []
    for number, cells in rows:
        filled = _first_filled(cells)
        if len(filled) > 1:  # the common case: a row of the table
            if held:
                yield from held
                held = []
            yield number, cells
            continue
        blank = not filled
        note = (
            width >= 2
            and len(filled) == 1
            and isinstance(filled[0], str)
            and not _NUMERIC.match(filled[0].strip())
        )
        if held and (blank or note) and len(held) < NOTES_LOOKAHEAD:
            held.append((number, cells))
            continue
        if not held and blank:
            held.append((number, cells))
            continue
        yield from held
        held = []
        yield number, cells
    if held:
        first, last = held[0][0], held[-1][0]
        has_notes = any(_filled(cells) for _, cells in held)
        code = "notes-ignored" if has_notes else "blank-rows-ignored"
        notices.append({"code": code, "first": first, "last": last})


# --- the fast path -------------------------------------------------------------------


class _FastPath:
    """Cast and check a row's cells exactly as frictionless would, or flag the row.

    Casting uses frictionless's own value readers (dates in the default format
    take a faster route to the same result); constraints are checked as
    frictionless checks them. Anything not certain (an unknown constraint, an
    exception, NaN) flags the row, and frictionless decides.
    """

    def __init__(self, schema: Any, plan: CheckPlan) -> None:
        self.key_fields = sorted(
            {schema.field_names.index(name) for name in plan.unique_fields + plan.primary_key}
        )
        self.checks = [self._checker(schema, f) for f in schema.fields]
        self.width = len(self.checks)

    def check(self, cells: list[Any]) -> Any:
        if len(cells) != self.width:
            return _FLAG
        values = []
        missing = 0
        for check, cell in zip(self.checks, cells, strict=True):
            value = check(cell)
            if value is _FLAG:
                return _FLAG
            if value is _MISSING:
                missing += 1
                value = None
            values.append(value)
        if missing == self.width:  # a blank row: frictionless reports it
            return _FLAG
        return values

    @staticmethod
    def _checker(schema: Any, schema_field: Any) -> Callable[[Any], Any]:
        from frictionless.schema import field as field_module

        missing_values = (
            schema_field.missing_values
            if schema_field.has_defined("missing_values")
            else schema.missing_values
        )
        missing_set = set(missing_values)
        reader = schema_field.create_value_reader()
        if schema_field.type == "date" and schema_field.format == "default":
            reader = _fast_date_reader(reader)
        required = bool(schema_field.constraints.get("required"))
        tests: list[Callable[[Any], bool]] = []
        for name, constraint in schema_field.constraints.items():
            if name == "required" or constraint is None:
                continue
            if name not in schema_field.supported_constraints:
                continue  # frictionless ignores it as well
            test = _constraint_test(name, constraint, schema_field, field_module)
            if test is None:
                return lambda cell: _FLAG
            tests.append(test)

        def check(cell: Any) -> Any:
            if cell is None or str(cell) in missing_set:
                return _FLAG if required else _MISSING
            try:
                value = reader(cell)
                if value is None:
                    return _FLAG
                for test in tests:
                    if not test(value):
                        return _FLAG
            except Exception:
                return _FLAG
            return value

        return check


def _constraint_test(
    name: str, constraint: Any, schema_field: Any, field_module: Any
) -> Callable[[Any], bool] | None:
    reader = schema_field.create_value_reader()
    if name == "enum":
        allowed = [reader(item) for item in constraint]
        try:
            members = set(allowed)
        except TypeError:
            return None
        return lambda value: value in members
    if name == "pattern":
        compiled = re.compile(f"^{constraint}$")
        return lambda value: compiled.match(value) is not None
    if name == "minLength":
        return lambda value: len(value) >= constraint
    if name == "maxLength":
        return lambda value: len(value) <= constraint
    bounds = {
        "minimum": lambda v, c: v >= c,
        "maximum": lambda v, c: v <= c,
        "exclusiveMinimum": lambda v, c: v > c,
        "exclusiveMaximum": lambda v, c: v < c,
    }
    if name in bounds:
        compare = bounds[name]
        bound = reader(constraint)
        if bound is None:
            return None
        # NaN is never within bounds in frictionless; `v == v` is False only for NaN.
        return lambda value: value == value and compare(value, bound)
    return None


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _fast_date_reader(reader: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """strptime("%Y-%m-%d") is slow; a padded ISO date reads the same with fromisoformat."""
    fromisoformat = datetime.date.fromisoformat

    def read(cell: Any) -> Any:
        if cell.__class__ is str and len(cell) == 10 and _ISO_DATE.match(cell):
            try:
                return fromisoformat(cell)
            except ValueError:
                return None
        return reader(cell)

    return read


# --- frictionless for the rows that need it -----------------------------------------------


class _Frictionless:
    """Frictionless run on the header, then on batches of flagged rows with that header."""

    def __init__(self, header_cells: list[Any], descriptor: dict[str, Any]) -> None:
        self.header_cells = list(header_cells)
        self.descriptor = descriptor

    def _resource(self, rows: list[list[Any]]) -> Any:
        from frictionless import Schema
        from frictionless.resources import TableResource

        return TableResource(
            data=[self.header_cells, *rows],
            schema=Schema.from_descriptor(self.descriptor),
            format="inline",
        )

    def header_errors(self) -> Iterator[dict[str, Any]]:
        resource = self._resource([])
        with resource:
            for error in resource.header.errors:
                yield _error_entry(error.to_descriptor())

    def check_rows(
        self, rows: list[tuple[int, list[Any]]]
    ) -> Iterator[tuple[int, list[dict[str, Any]], list[Any]]]:
        resource = self._resource([cells for _, cells in rows])
        with resource:
            names = resource.schema.field_names
            for (row_number, _), row in zip(rows, resource.row_stream, strict=False):
                errors = []
                for error in row.errors:
                    entry = _error_entry(error.to_descriptor())
                    entry["rowNumber"] = row_number
                    errors.append(entry)
                yield row_number, errors, [row.get(name) for name in names]


# --- uniqueness on disk ----------------------------------------------------------------


class _Integrity:
    """`unique` fields and the `primaryKey`.

    Every key is stored as a canonical text (hashed when long) with its row number. Up to
    `memory_keys` keys are checked in a dict; a larger table moves them into a temporary
    SQLite file and goes on there, so that memory stays bounded whatever the number of rows
    (plain frictionless keeps every key in memory). Either way each repeated key is reported
    with the row it repeats, the previous occurrence, as frictionless reports it. Rows may
    arrive out of order (those frictionless re-checks come in batches).
    """

    def __init__(self, schema: Any, plan: CheckPlan, memory_keys: int) -> None:
        names = schema.field_names
        self.unique = [(names.index(name), name) for name in plan.unique_fields]
        self.names = {position + 1: name for position, name in self.unique}
        self.primary = [names.index(name) for name in plan.primary_key]
        self.pk_errors: list[int] = []
        self.memory_keys = memory_keys
        # In memory: "field\x1ekey" -> row, or (row, cell) where the cell text is not the key's.
        self.seen: dict[str, Any] | None = {}
        self.repeats: list[tuple[int, int, str, str | None]] = []
        # On disk, once the keys outgrow memory.
        self.db: sqlite3.Connection | None = None
        self.path: str | None = None
        self.batch: list[tuple[int, int, str, str | None]] = []

    def add(self, row_number: int, values: list[Any]) -> None:
        self.add_row(row_number, values)

    def add_row(self, row_number: int, values: list[Any]) -> None:
        entries = []
        for position, _ in self.unique:
            value = values[position]
            if value is not None:
                key = _key(value)
                text = str(value)
                # The cell text is kept only where the key does not already say it.
                entries.append((position + 1, row_number, key, None if key[1:] == text else text))
        if self.primary:
            keys = [values[p] for p in self.primary]
            if all(key is None for key in keys):
                self.pk_errors.append(row_number)
            else:
                entries.append((0, row_number, "\x1f".join(map(_key, keys)), None))
        seen = self.seen
        if seen is None:
            self.batch.extend(entries)
            if len(self.batch) >= INTEGRITY_BATCH:
                self._write()
            return
        for entry in entries:
            slot = _slot(entry[0], entry[2])
            if slot in seen:
                self.repeats.append(entry)
            else:
                seen[slot] = entry[1] if entry[3] is None else (entry[1], entry[3])
        if len(seen) + len(self.repeats) > self.memory_keys:
            self._spill()

    def _spill(self) -> None:
        handle, self.path = tempfile.mkstemp(prefix="sipessut-keys-", suffix=".sqlite")
        os.close(handle)
        self.db = sqlite3.connect(self.path)
        self.db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE;"
            "PRAGMA cache_size=-16000;"
            "CREATE TABLE k (field INTEGER, row INTEGER, key TEXT, cell TEXT);"
        )
        seen, self.seen = self.seen or {}, None
        self.batch = self.repeats
        self.repeats = []
        for slot, where in seen.items():
            field, _, key = slot.partition("\x1e")
            row_number, cell = _occurrence(where)
            self.batch.append((int(field), row_number, key, cell))
            if len(self.batch) >= INTEGRITY_BATCH:
                self._write()
        self._write()

    def _write(self) -> None:
        if self.db is not None and self.batch:
            self.db.executemany("INSERT INTO k VALUES (?, ?, ?, ?)", self.batch)
        self.batch = []

    def _repeated(self) -> Iterable[tuple[int, int, int, str | None, str]]:
        """(field, row, previous row, cell, key) of every repeat, by row, then field."""
        if self.db is not None:
            self._write()
            return self.db.execute(
                "SELECT field, row, previous, cell, key FROM ("
                " SELECT field, row, cell, key,"
                "  LAG(row) OVER (PARTITION BY field, key ORDER BY row) AS previous"
                " FROM k) WHERE previous IS NOT NULL ORDER BY row, field"
            )
        occurrences: dict[tuple[int, str], list[tuple[int, str | None]]] = {}
        for field, row_number, key, cell in self.repeats:
            occurrences.setdefault((field, key), []).append((row_number, cell))
        found = []
        for (field, key), rows in occurrences.items():
            rows.append(_occurrence((self.seen or {})[_slot(field, key)]))
            rows.sort(key=lambda occurrence: occurrence[0])
            for (previous, _), (row_number, cell) in zip(rows, rows[1:], strict=False):
                found.append((field, row_number, previous, cell, key))
        found.sort(key=lambda repeat: (repeat[1], repeat[0]))
        return found

    def findings(self) -> Iterator[dict[str, Any]]:
        for row_number in self.pk_errors:
            yield {
                "type": "primary-key",
                "rowNumber": row_number,
                "note": 'cells composing the primary keys are all "None"',
            }
        for position, row_number, previous, cell, key in self._repeated():
            note = f"the same as in the row at position {previous}"
            if position == 0:
                yield {"type": "primary-key", "rowNumber": row_number, "note": note}
            else:
                yield {
                    "type": "unique-error",
                    "rowNumber": row_number,
                    "fieldNumber": position,
                    "fieldName": self.names[position],
                    "cell": _short(cell if cell is not None else key[1:]),
                    "note": note,
                }

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
        if self.path:
            Path(self.path).unlink(missing_ok=True)


def _slot(field: int, key: str) -> str:
    """The in-memory name of a key: one string is smaller than a (field, key) tuple."""
    return f"{field}\x1e{key}"


def _occurrence(where: int | tuple[int, str]) -> tuple[int, str | None]:
    """(row, cell) of an occurrence kept in memory as a row, or as (row, cell) when the
    cell text is not the key's."""
    return where if isinstance(where, tuple) else (where, None)


def _key(value: Any) -> str:
    """A text under which equal cast values (as Python compares them) are equal.

    Long texts are hashed so that the temporary file stays small.
    """
    kind = value.__class__
    if kind is str:
        text = "s" + value
    elif value is None:
        return "\x00"
    elif kind is bool:
        text = f"b{int(value)}"
    elif kind is int:
        text = f"n{value}"
    elif isinstance(value, Decimal | float):
        if value != value:  # NaN
            text = "nNaN"
        elif value in (float("inf"), float("-inf")):
            text = f"n{value}"
        elif value == int(value):
            text = f"n{int(value)}"
        else:
            text = f"n{Decimal(repr(value)) if kind is float else value.normalize()}"
    elif isinstance(value, datetime.date | datetime.time):
        text = f"t{value.isoformat()}"
    else:
        text = f"o{value}"
    if len(text) > 64:
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16)
        return "h" + digest.hexdigest()
    return text
