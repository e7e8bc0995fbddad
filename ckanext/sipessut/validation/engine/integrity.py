"""Uniqueness (field `unique`, schema `primaryKey`) in bounded memory."""

from __future__ import annotations

import datetime
import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from ckanext.sipessut.validation.check_plan import CheckPlan
from ckanext.sipessut.validation.engine.report import short

INTEGRITY_BATCH = 20_000


class Integrity:
    """`unique` fields and the `primaryKey`.

    Every key is stored as a canonical text (hashed when long) with its row number. Up to
    `memory_keys` keys are checked in a dict; a larger table moves them into a temporary
    SQLite file and goes on there, so that memory stays bounded whatever the number of rows
    (plain frictionless keeps every key in memory). Either way each repeated key is reported
    with the row it repeats, the previous occurrence, as frictionless reports it. Rows may
    arrive out of order (those frictionless re-checks come in batches).
    """

    def __init__(
        self, names: list[str], key_fields: list[int], plan: CheckPlan, memory_keys: int
    ) -> None:
        """`names`: the fields as frictionless reads them in the rows; `key_fields`: the
        positions it checks (a unique field, or a whole primary key, the rows have)."""
        checked = [names[position] for position in key_fields]
        self.unique = [(names.index(name), name) for name in plan.unique_fields if name in checked]
        self.names = {position + 1: name for position, name in self.unique}
        primary = plan.primary_key if all(name in checked for name in plan.primary_key) else []
        self.primary = [names.index(name) for name in primary]
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
            if value is not None and not _is_nan(value):
                key = _key(value)
                text = str(value)
                # The cell text is kept only where the key does not already say it.
                entries.append((position + 1, row_number, key, None if key[1:] == text else text))
        if self.primary:
            keys = [values[p] for p in self.primary]
            if all(key is None for key in keys):
                self.pk_errors.append(row_number)
            elif not any(_is_nan(key) for key in keys):
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
                    "cell": short(cell if cell is not None else key[1:]),
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


def _is_nan(value: Any) -> bool:
    """NaN equals nothing, itself included: frictionless never finds it repeated."""
    kind = value.__class__
    if kind is float:
        return value != value
    return kind is Decimal and value.is_nan()


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
        if value in (float("inf"), float("-inf")):
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
