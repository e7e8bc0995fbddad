"""A table's rows as validation reads them, cast by its dictionary, for the domains that
serve the data (the DataStore loader, downloads).

The same readers and the same shape detection as the engine: the file's encoding and
separator (or its sheet), the header found the way the engine finds it (a `header_row`
option, else the row naming the dictionary's fields), title rows above it and notes below
the table dropped, Indonesian numbers read as numbers where the dictionary does not say
otherwise, thousands dots taken out of integers. Each cell is then cast with frictionless's
own value reader for its field, so an integer is an int, a number a Decimal, a date a
date, and a code stays the text it was (leading zeros kept). A cell that does not cast (a
table loaded although invalid) becomes None and is counted.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

from ckanext.sipessut.validation import check_plan, readers, settings
from ckanext.sipessut.validation.check_plan import DictionaryProblem
from ckanext.sipessut.validation.engine import shape
from ckanext.sipessut.validation.engine.fast_path import value_reader
from ckanext.sipessut.validation.engine.options import Options
from ckanext.sipessut.validation.readers import FileProblem

# As many rows as the engine samples to recognise Indonesian numbers.
NUMBER_SAMPLE_ROWS = 1000


@dataclass
class Column:
    """One column of the table: its dictionary field (MS-Var properties included)."""

    name: str
    type: str
    spec: dict[str, Any]
    public: bool = True

    @property
    def title(self) -> str:
        return str(self.spec.get("title") or self.name)


@dataclass
class CastTable:
    columns: list[Column]
    rows: Iterator[list[Any]]
    source: dict[str, Any] = field(default_factory=dict)
    notices: list[dict[str, Any]] = field(default_factory=list)
    # Cells that did not cast (None in the rows); known once the rows are read.
    bad_cells: int = 0
    row_limit_reached: bool = False


def read_path(
    path: str | Path,
    *,
    declared_format: str | None,
    dictionary_value: Any,
    options_value: Any = None,
) -> CastTable:
    """Open a local file and cast its rows by the dictionary; raises FileProblem or
    DictionaryProblem (each with a `code`) when that cannot be done."""
    dictionary = check_plan.load(dictionary_value)
    if dictionary is None:
        raise DictionaryProblem("no-dictionary")
    plan = check_plan.plan(dictionary)
    options = Options.from_dict(check_plan.load_options(options_value))
    limits = settings.engine_settings()
    scanned = readers.scan(path, limits.max_bytes)
    fmt = readers.sniff_format(path, declared_format)
    table = readers.open_table(
        path,
        fmt,
        encoding=options.encoding or scanned.encoding,
        delimiter=options.delimiter,
        sheet=options.sheet,
        max_uncompressed=limits.max_uncompressed,
    )
    notices = list(table.notices)
    numbered = enumerate(table.rows, start=1)
    head = list(islice(numbered, shape.HEADER_SCAN_ROWS))
    if not any(shape.count_filled(cells) for _, cells in head):
        raise FileProblem("empty-file")
    index = _header_index(head, plan, options)
    header_number, header_cells = head[index]
    assert plan.schema is not None
    specs = {str(f["name"]): f for f in dictionary["fields"]}
    descriptor = {**plan.schema, "fields": [dict(f) for f in plan.schema["fields"]]}
    width = max(len(header_cells), len(descriptor["fields"]))
    data = shape.without_notes(chain(head[index + 1 :], numbered), width, notices)
    sample = list(islice(data, NUMBER_SAMPLE_ROWS))
    group_chars = dict(plan.integer_group_chars)
    if limits.detect_number_format:
        _detect_number_formats(descriptor, sample, group_chars)
    columns = [
        Column(
            name=str(f["name"]),
            type=str(f.get("type") or "any"),
            spec=specs.get(str(f["name"]), {}),
            public=plan.public.get(str(f["name"]), True),
        )
        for f in descriptor["fields"]
    ]
    result = CastTable(
        columns=columns,
        rows=iter(()),
        source={
            "format": fmt,
            "encoding": table.encoding,
            "delimiter": table.delimiter,
            "sheet": table.sheet,
            "header_row": header_number,
        },
        notices=notices,
    )
    result.rows = _cast_rows(result, descriptor, chain(sample, data), group_chars, limits.max_rows)
    return result


@contextlib.contextmanager
def read_resource(resource: dict[str, Any]) -> Iterator[CastTable]:
    """The resource's stored upload or its link (with validation's limits), cast by its
    data dictionary and validation options."""
    from ckanext.sipessut.validation import runner

    with runner.file_of(resource) as path:
        yield read_path(
            path,
            declared_format=runner.resource_format(resource),
            dictionary_value=resource.get(check_plan.FIELD),
            options_value=resource.get(check_plan.OPTIONS_FIELD),
        )


def dictionary_of(resource: dict[str, Any]) -> dict[str, Any] | None:
    """The resource's MS-Var dictionary as a dict (None when it has none or it is not JSON)."""
    try:
        return check_plan.load(resource.get(check_plan.FIELD))
    except DictionaryProblem:
        return None


def _header_index(head: list[tuple[int, list[Any]]], plan: Any, options: Options) -> int:
    if options.header_row:
        for index, (number, _) in enumerate(head):
            if number == options.header_row:
                return index
        raise FileProblem("header-row-missing", row=options.header_row)
    return shape.detect_header(head, plan)


def _detect_number_formats(
    descriptor: dict[str, Any],
    sample: list[tuple[int, list[Any]]],
    group_chars: dict[str, str],
) -> None:
    """The engine's rule: undeclared Indonesian decimals and grouped integers, from a sample."""
    for position, spec in enumerate(descriptor["fields"]):
        values = [
            cells[position]
            for _, cells in sample
            if position < len(cells) and isinstance(cells[position], str)
        ]
        kind = spec.get("type")
        declared = {"decimalChar", "groupChar"} & spec.keys()
        if kind == "number" and not declared and shape.looks_indonesian_number(values):
            spec["decimalChar"] = ","
            spec["groupChar"] = "."
        elif (
            kind == "integer"
            and spec["name"] not in group_chars
            and shape.looks_grouped_integer(values)
        ):
            group_chars[spec["name"]] = "."


def _cast_rows(
    table: CastTable,
    descriptor: dict[str, Any],
    rows: Iterator[tuple[int, list[Any]]],
    group_chars: dict[str, str],
    max_rows: int,
) -> Iterator[list[Any]]:
    from frictionless import Schema

    schema = Schema.from_descriptor(descriptor)
    casts = [_caster(schema, schema_field) for schema_field in schema.fields]
    width = len(casts)
    strip = {
        position: re.compile(rf"^-?\d{{1,3}}(?:{re.escape(group_chars[f.name])}\d{{3}})+$")
        for position, f in enumerate(schema.fields)
        if f.name in group_chars
    }
    for count, (_, cells) in enumerate(rows, start=1):
        if count > max_rows:
            table.row_limit_reached = True
            return
        if strip:
            shape.strip_group_chars(cells, strip)
        if len(cells) < width:
            cells = cells + [None] * (width - len(cells))
        values = []
        for cast, cell in zip(casts, cells, strict=False):
            value = cast(cell)
            if value is _BAD:
                table.bad_cells += 1
                value = None
            values.append(value)
        if any(value is not None for value in values):
            yield values


_BAD = object()


def _caster(schema: Any, schema_field: Any) -> Any:
    missing_values = set(
        schema_field.missing_values
        if schema_field.has_defined("missing_values")
        else schema.missing_values
    )
    reader = value_reader(schema_field)

    def cast(cell: Any) -> Any:
        if cell is None or (cell.__class__ is str and cell in missing_values):
            return None
        try:
            value = reader(cell)
        except Exception:
            return _BAD
        return _BAD if value is None else value

    return cast
