"""Frictionless itself, for the header and for the rows the fast path flags."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ckanext.sipessut.validation.engine.report import error_entry

# Frictionless numbers inline rows from 1, the header being row 1.
FIRST_DATA_ROW = 2


def without_patterns(descriptor: dict[str, Any]) -> dict[str, Any]:
    """The schema without its `pattern` constraints, which the engine checks itself with a
    time limit (see fast_path.Patterns): frictionless's `re` has none."""
    fields = []
    for spec in descriptor["fields"]:
        constraints = spec.get("constraints") or {}
        if "pattern" in constraints:
            spec = dict(spec, constraints={k: v for k, v in constraints.items() if k != "pattern"})
        fields.append(spec)
    return {**descriptor, "fields": fields}


class FrictionlessRows:
    """Frictionless run on the header, then on batches of flagged rows with that header."""

    def __init__(self, header_cells: list[Any], descriptor: dict[str, Any]) -> None:
        self.header_cells = list(header_cells)
        self.descriptor = descriptor

    def expected_fields(self) -> list[Any]:
        """The fields frictionless expects in the rows: one per header label, by position
        (a label beyond the schema gets an `any` field named after it; a field beyond the
        labels is left out), so that rows are read the way frictionless reads them."""
        resource = self._resource([])
        with resource:
            return list(resource.header.get_expected_fields())

    def _resource(self, rows: list[list[Any]]) -> Any:
        from frictionless import Dialect, Schema
        from frictionless.resources import TableResource

        # The header is the first row: said explicitly, because frictionless otherwise
        # guesses it from the widths of the rows, and a batch of blank rows (or of rows
        # with extra cells) would have one of them taken for the header.
        return TableResource(
            data=[self.header_cells, *rows],
            schema=Schema.from_descriptor(self.descriptor),
            dialect=Dialect(header_rows=[1]),
            format="inline",
        )

    def header_errors(self) -> Iterator[dict[str, Any]]:
        resource = self._resource([])
        with resource:
            for error in resource.header.errors:
                yield error_entry(error.to_descriptor())

    def check_rows(
        self, rows: list[tuple[int, list[Any]]]
    ) -> Iterator[tuple[int, list[dict[str, Any]], list[Any]]]:
        """Each row's errors and cast values, paired with the row by frictionless's own row
        number (never by position: a row frictionless skipped must not shift the others)."""
        resource = self._resource([cells for _, cells in rows])
        with resource:
            names = [schema_field.name for schema_field in resource.header.get_expected_fields()]
            for row in resource.row_stream:
                row_number = rows[row.row_number - FIRST_DATA_ROW][0]
                errors = []
                for error in row.errors:
                    entry = error_entry(error.to_descriptor())
                    entry["rowNumber"] = row_number
                    errors.append(entry)
                yield row_number, errors, [row.get(name) for name in names]
