"""One run over a table: header, schema, every row, uniqueness; findings go to the report."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain, islice
from typing import Any

from ckanext.sipessut.validation import readers
from ckanext.sipessut.validation.check_plan import CheckPlan
from ckanext.sipessut.validation.engine import shape
from ckanext.sipessut.validation.engine.fast_path import FLAG, FastPath, Patterns
from ckanext.sipessut.validation.engine.frictionless_rows import (
    FrictionlessRows,
    without_patterns,
)
from ckanext.sipessut.validation.engine.integrity import Integrity
from ckanext.sipessut.validation.engine.options import Options, Settings
from ckanext.sipessut.validation.engine.report import Report, shown
from ckanext.sipessut.validation.readers import FileProblem

NUMBER_SAMPLE_ROWS = 1000


class Run:
    def __init__(
        self,
        table: readers.Table,
        plan: CheckPlan,
        options: Options,
        settings: Settings,
        report: Report,
    ) -> None:
        self.table = table
        self.plan = plan
        self.options = options
        self.settings = settings
        self.report = report
        # The plan's thousands separators of integer fields, plus those this file shows it
        # uses; the plan itself is left as it was handed over.
        self.integer_group_chars = dict(plan.integer_group_chars)
        # Column number -> label as the file has it, for runs without a dictionary.
        self.file_labels: dict[int, str] = {}

    def execute(self) -> None:
        numbered = enumerate(self.table.rows, start=1)
        head = list(islice(numbered, shape.HEADER_SCAN_ROWS))
        if not any(shape.count_filled(cells) for _, cells in head):
            raise FileProblem("empty-file")
        index = self._header_index(head)
        header_number, header_cells = head[index]
        if index > 0:
            self.report.notice("header-row", row=header_number)
        data: Iterator[tuple[int, list[Any]]] = chain(head[index + 1 :], numbered)
        width = max(len(header_cells), len(self.plan.schema["fields"]) if self.plan.schema else 0)
        data = shape.without_notes(data, width, self.report.notices)
        data = self._limited(data)
        sample = list(islice(data, NUMBER_SAMPLE_ROWS))

        descriptor = self._schema_descriptor(header_cells, sample)
        self.report.header = {"row": header_number, "labels": shape.labels(header_cells)}
        self.report.stats["columns"] = len(header_cells)

        # The fields as frictionless reads them in the rows (one per label), and
        # frictionless itself for the header and the flagged rows, patterns excepted.
        fields = FrictionlessRows(header_cells, descriptor).expected_fields()
        checker = FrictionlessRows(header_cells, without_patterns(descriptor))
        if not self.plan.schema:
            # Without a dictionary frictionless names the columns itself ("kode2" for a
            # second "kode", "field3" for a blank label): findings name them as the file does.
            self.file_labels = dict(enumerate(shape.labels(header_cells), start=1))
        for error in checker.header_errors():
            if "rowNumbers" in error:
                error["rowNumbers"] = [header_number]
            self._add(error)
        if not self.plan.schema:
            self.report.notice("no-dictionary")

        self.patterns = Patterns(fields, self.settings.pattern_timeout)
        fast = FastPath(fields, self.plan, self.patterns)
        names = [schema_field.name for schema_field in fields]
        integrity = (
            Integrity(names, fast.key_fields, self.plan, self.settings.integrity_memory_keys)
            if fast.key_fields
            else None
        )
        pending: list[tuple[int, list[Any]]] = []
        preview_limit = self.settings.preview_rows
        group_chars = self._group_char_positions(names)
        rows = 0
        try:
            for row_number, cells in chain(sample, data):
                rows += 1
                if rows <= preview_limit:  # each cell as written in the file
                    self.report.preview.append(
                        {"rowNumber": row_number, "cells": [shown(c) for c in cells]}
                    )
                    self.report.preview_last = row_number
                if group_chars:
                    shape.strip_group_chars(cells, group_chars)
                values = fast.check(row_number, cells)
                if values is FLAG:
                    pending.append((row_number, cells))
                    if len(pending) >= self.settings.batch_rows:
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
        self.report.limits.extend(self.patterns.timeouts)
        self.report.stats["rows"] = rows
        if rows == 0:
            self.report.notice("no-data-rows")

    def _add(self, error: dict[str, Any]) -> None:
        if self.file_labels and error.get("fieldNumber") in self.file_labels:
            label = self.file_labels[error["fieldNumber"]]
            if label:
                error["fieldName"] = label
            else:
                error.pop("fieldName", None)
        self.report.add(error)

    # header ---------------------------------------------------------------------

    def _header_index(self, head: list[tuple[int, list[Any]]]) -> int:
        if self.options.header_row:
            for index, (number, _) in enumerate(head):
                if number == self.options.header_row:
                    return index
            raise FileProblem("header-row-missing", row=self.options.header_row)
        return shape.detect_header(head, self.plan)

    # schema ---------------------------------------------------------------------

    def _schema_descriptor(
        self, header_cells: list[Any], sample: list[tuple[int, list[Any]]]
    ) -> dict[str, Any]:
        if not self.plan.schema:
            return shape.structure_schema(header_cells)
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
            if kind == "number" and not declared and shape.looks_indonesian_number(values):
                spec["decimalChar"] = ","
                spec["groupChar"] = "."
                self.report.notice("number-format-detected", field=spec["name"])
            elif (
                kind == "integer"
                and spec["name"] not in self.integer_group_chars
                and shape.looks_grouped_integer(values)
            ):
                self.integer_group_chars[spec["name"]] = "."
                self.report.notice("integer-groups-detected", field=spec["name"])

    def _group_char_positions(self, names: list[str]) -> dict[int, re.Pattern[str]]:
        positions = {}
        for position, name in enumerate(names):
            char = self.integer_group_chars.get(name)
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
        checker: FrictionlessRows,
        rows: list[tuple[int, list[Any]]],
        integrity: Integrity | None,
    ) -> None:
        cells_of = dict(rows)
        for row_number, errors, values in checker.check_rows(rows):
            errors += self.patterns.errors(row_number, cells_of[row_number], errors)
            for error in errors:
                self._add(error)
            if integrity is not None:
                integrity.add_row(row_number, values)
