"""Limits of a run (the portal's configuration) and a resource's own choices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Keys of unique fields and primary keys checked in memory (110 to 170 bytes each, so 40 MB
# at most) before they move to a temporary SQLite file.
INTEGRITY_MEMORY_KEYS = 250_000


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
