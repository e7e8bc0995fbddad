"""From the MS-Var dictionary to DataStore columns: types, the data dictionary (label,
notes, unit) and which columns the public may read.

One place for these rules; the loader, the preview, the chart and the downloads use them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Table Schema type -> PostgreSQL type of the DataStore column. Codes stay text (leading
# zeros kept); yearmonth ("2024-06") and durations are text, as people write them.
PG_TYPES = {
    "string": "text",
    "integer": "int8",
    "number": "numeric",
    "boolean": "bool",
    "date": "date",
    "datetime": "timestamp",
    "time": "time",
    "year": "int4",
    "yearmonth": "text",
    "duration": "text",
    "object": "json",
    "array": "json",
    "geojson": "json",
    "geopoint": "text",
    "any": "text",
}
NUMERIC_PG_TYPES = ("int4", "int8", "numeric")
# Measures are numbers that are not codes nor years.
MEASURE_TYPES = ("integer", "number")
MAX_NAME = 63  # PostgreSQL's identifier limit


@dataclass
class LoadColumn:
    """A column as the DataStore holds it."""

    id: str
    pg_type: str
    source_type: str
    spec: dict[str, Any]

    @property
    def label(self) -> str:
        return str(self.spec.get("title") or self.id)

    @property
    def unit(self) -> str:
        return str(self.spec.get("satuan") or "").strip()

    @property
    def info(self) -> dict[str, Any]:
        """The DataStore data dictionary entry: label = title, notes = definisi, unit = satuan."""
        info: dict[str, Any] = {"label": self.label, "type_override": self.pg_type}
        notes = self.spec.get("description") or self.spec.get("definisi")
        if notes:
            info["notes"] = str(notes)
        if self.unit:
            info["unit"] = self.unit
        if self.spec.get("ukuran"):
            info["ukuran"] = str(self.spec["ukuran"])
        return info


class ColumnProblem(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


def is_public(spec: dict[str, Any]) -> bool:
    """MS-Var `bisa_diakses_umum`: false (or "tidak") keeps a column out of public tables."""
    return spec.get("bisa_diakses_umum") not in (False, "false", "tidak", "0", 0)


def masked_names(dictionary: dict[str, Any] | None) -> list[str]:
    return [
        str(f.get("name"))
        for f in (dictionary or {}).get("fields") or []
        if isinstance(f, dict) and f.get("name") and not is_public(f)
    ]


_VALID_NAME = re.compile(r"^[^_\s\"][^\"]*$")


def load_columns(columns: list[Any]) -> list[LoadColumn]:
    """The public columns of a cast table (validation's Column objects), as DataStore columns."""
    result = []
    for column in columns:
        if not column.public:
            continue
        if not _VALID_NAME.match(column.name) or column.name != column.name.strip():
            raise ColumnProblem("column-name", name=column.name)
        if len(column.name.encode("utf-8")) > MAX_NAME:
            raise ColumnProblem("column-name-length", name=column.name, limit=MAX_NAME)
        result.append(
            LoadColumn(
                id=column.name,
                pg_type=PG_TYPES.get(column.type, "text"),
                source_type=column.type,
                spec=column.spec,
            )
        )
    if not result:
        raise ColumnProblem("no-public-columns")
    return result


def is_coded(spec: dict[str, Any]) -> bool:
    """A column whose values are codes (a code list, klasifikasi or an enum)."""
    constraints = spec.get("constraints") or {}
    return bool(spec.get("codelist") or spec.get("klasifikasi") or constraints.get("enum"))


def is_period(spec: dict[str, Any]) -> bool:
    """A year or period column (the x axis of a line over time)."""
    name = str(spec.get("name") or "").lower()
    kind = spec.get("type")
    return kind in ("year", "yearmonth", "date") or name in ("tahun", "year", "periode", "bulan")


def is_measure(spec: dict[str, Any]) -> bool:
    return spec.get("type") in MEASURE_TYPES and not is_period(spec) and not is_coded(spec)


def indexed(columns: list[LoadColumn]) -> list[str]:
    """Columns people filter on (codes, periods, keys): they get a btree index."""
    return [
        c.id
        for c in columns
        if is_coded(c.spec) or is_period(c.spec) or (c.spec.get("constraints") or {}).get("unique")
    ]
