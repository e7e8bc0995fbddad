"""Limits of a run (the portal's configuration) and a resource's own choices."""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass
from typing import Any

from ckanext.sipessut.validation.engine.shape import HEADER_SCAN_ROWS

# Keys of unique fields and primary keys checked in memory (110 to 170 bytes each, so 40 MB
# at most) before they move to a temporary SQLite file.
INTEGRITY_MEMORY_KEYS = 250_000
# Rows the fast path flags go through frictionless in batches of this many.
BATCH_ROWS = 500
# Seconds one cell may take to match a dictionary `pattern` (see fast_path.Patterns).
PATTERN_TIMEOUT = 0.5


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
    batch_rows: int = BATCH_ROWS
    pattern_timeout: float = PATTERN_TIMEOUT


# The options a resource may set in `validation_options`, and the separators allowed
# (with the spellings of a tab people use in JSON).
OPTION_NAMES = ("sheet", "header_row", "encoding", "delimiter")
DELIMITERS = {",": ",", ";": ";", "|": "|", "\t": "\t", "\\t": "\t", "tab": "\t", "TAB": "\t"}
SHEET_NAME_MAX = 200


@dataclass(frozen=True)
class OptionProblem:
    """One option that cannot be used: `option` (or "" for the whole value), `code`
    (not-object, unknown, or the option's name: its value is not allowed) and the value."""

    option: str
    code: str
    value: Any = None


@dataclass
class Options:
    """Per-resource choices (the resource field `validation_options`)."""

    sheet: str | int | None = None
    header_row: int | None = None
    encoding: str | None = None
    delimiter: str | None = None

    @staticmethod
    def parse(value: Any) -> dict[str, Any]:
        """The options as a dict, from a dict or a JSON text; raises ValueError otherwise."""
        if value in (None, "", {}):
            return {}
        if isinstance(value, str):
            value = json.loads(value)
        if not isinstance(value, dict):
            raise ValueError(value)
        return value

    @classmethod
    def problems(cls, value: Any) -> list[OptionProblem]:
        """What is wrong with the options as given (empty when they can be used)."""
        try:
            values = cls.parse(value)
        except ValueError:
            return [OptionProblem("", "not-object", value)]
        found = [OptionProblem(str(name), "unknown", values[name]) for name in values
                 if name not in OPTION_NAMES]  # fmt: skip
        for name, read in _READERS.items():
            given = values.get(name)
            if given not in (None, "") and read(given) is None:
                found.append(OptionProblem(name, name, given))
        return found

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Options:
        """The options to use; one that cannot be used is left to detection (see problems)."""
        chosen = {}
        for name, read in _READERS.items():
            given = values.get(name)
            chosen[name] = read(given) if given not in (None, "") else None
        return cls(**chosen)


def _sheet(value: Any) -> str | int | None:
    """A sheet's name, or its number from 1."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 1 else None
    if isinstance(value, str) and value.strip() and len(value) <= SHEET_NAME_MAX:
        return value
    return None


def _header_row(value: Any) -> int | None:
    """The number of the header row, among the rows the header is looked for in."""
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    if number != value and str(number) != str(value).strip():
        return None  # 2.5, "3 rows"
    return number if 1 <= number <= HEADER_SCAN_ROWS else None


def _encoding(value: Any) -> str | None:
    """A text encoding Python can read files in."""
    if not isinstance(value, str):
        return None
    try:
        info = codecs.lookup(value)
    except LookupError:
        return None
    return value if getattr(info, "_is_text_encoding", True) else None


def _delimiter(value: Any) -> str | None:
    return DELIMITERS.get(value) if isinstance(value, str) else None


_READERS = {
    "sheet": _sheet,
    "header_row": _header_row,
    "encoding": _encoding,
    "delimiter": _delimiter,
}
