"""Frictionless itself, for the header and for the rows the fast path flags."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ckanext.sipessut.validation.engine.report import error_entry


class FrictionlessRows:
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
                yield error_entry(error.to_descriptor())

    def check_rows(
        self, rows: list[tuple[int, list[Any]]]
    ) -> Iterator[tuple[int, list[dict[str, Any]], list[Any]]]:
        resource = self._resource([cells for _, cells in rows])
        with resource:
            names = resource.schema.field_names
            for (row_number, _), row in zip(rows, resource.row_stream, strict=False):
                errors = []
                for error in row.errors:
                    entry = error_entry(error.to_descriptor())
                    entry["rowNumber"] = row_number
                    errors.append(entry)
                yield row_number, errors, [row.get(name) for name in names]
