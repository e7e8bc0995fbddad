"""Rows into the DataStore: a new table filled with COPY, then swapped in whole.

The table has the layout CKAN's `datastore_create` gives a table (`_id serial primary
key`, `_full_text tsvector` kept by CKAN's `zfulltext` trigger, one typed column per
field, the data dictionary as column comments, CKAN's full-text indexes under the names
CKAN computes), so every DataStore action (search, dump, upsert, the data dictionary
form) treats it as its own. It is built under a private name that CKAN's
`_table_metadata` does not list, and replaces the resource's table in one transaction:
readers see the old version until the commit, then the new one, never a half-filled
table.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut.publicdata.columns import LoadColumn, indexed

log = logging.getLogger(__name__)

COPY_CHUNK = 1 << 20  # characters handed to COPY at a time


def ident(name: str) -> str:
    return '"' + name.replace('"', '""').replace("\0", "") + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''").replace("\0", "") + "'"


def _index_name(resource_id: str, field: str) -> str:
    """The name CKAN gives an index (ckanext.datastore.backend.postgres), so that a later
    datastore_create recognises it."""
    return hashlib.sha1((resource_id + field).encode("utf-8")).hexdigest()  # noqa: S324 - a name


def write_engine() -> Any:
    from ckanext.datastore.backend.postgres import get_write_engine

    return get_write_engine()


def read_engine() -> Any:
    from ckanext.datastore.backend.postgres import get_read_engine

    return get_read_engine()


class Load:
    """One load: create the new table, copy rows into it, index it, swap it in."""

    def __init__(self, resource_id: str, columns: list[LoadColumn], primary_key: list[str]):
        self.resource_id = resource_id
        self.columns = columns
        self.primary_key = [k for k in primary_key if k in {c.id for c in columns}]
        self.staging = "_sipessut_" + uuid.uuid4().hex[:24]
        self.rows = 0

    def run(self, rows: Iterator[list[Any]]) -> int:
        engine = write_engine()
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(f"SET LOCAL statement_timeout = {_statement_timeout_ms()}")
            self._create(cursor)
            reader = _CopyReader(self._lines(rows))
            names = ", ".join(ident(c.id) for c in self.columns)
            # FREEZE (the table is new in this transaction): rows are written frozen and
            # all-visible, so neither the first readers nor autovacuum rewrite the pages.
            cursor.copy_expert(
                f"COPY {ident(self.staging)} ({names}) FROM STDIN WITH (FORMAT text, FREEZE)",
                reader,
            )
            self._use_ckans_trigger(cursor)
            renames = self._index(cursor)
            self._swap(cursor, renames)
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            connection.close()
        return self.rows

    # --- steps -------------------------------------------------------------------

    def _create(self, cursor: Any) -> None:
        fields = ", ".join(f"{ident(c.id)} {c.pg_type}" for c in self.columns)
        table = ident(self.staging)
        cursor.execute(
            f'CREATE TABLE {table} ("_id" serial primary key, "_full_text" tsvector, {fields})'
        )
        for column in self.columns:
            comment = " " + json.dumps(
                {"_info": column.info}, ensure_ascii=False, separators=(",", ":")
            )
            cursor.execute(f"COMMENT ON COLUMN {table}.{ident(column.id)} IS {_literal(comment)}")
        # While the rows are copied, _full_text is filled by a trigger of this load that
        # reads this table's columns by name: the same text as CKAN's trigger (which goes
        # through the row as JSON, twice as long a COPY); tested to give the same tsvector.
        quote = f"${self.staging.lstrip('_')}$"  # a tag no column name can know in advance
        values = ", ".join(_as_json_text(c) for c in self.columns)
        # NULL when every value is (as CKAN's string_agg gives), else the values' words.
        full_text = (
            f"CASE WHEN num_nulls({values}) = {len(self.columns)} THEN NULL"
            f" ELSE to_tsvector(concat_ws(' ', {values})) END"
        )
        cursor.execute(
            f"CREATE FUNCTION {self._load_function}() RETURNS trigger LANGUAGE plpgsql AS {quote}"
            f" BEGIN IF NEW._full_text IS NULL THEN NEW._full_text := {full_text}; END IF;"
            f" RETURN NEW; END {quote}"
        )
        cursor.execute(
            f"CREATE TRIGGER zload BEFORE INSERT ON {table} "
            f"FOR EACH ROW EXECUTE PROCEDURE {self._load_function}()"
        )

    @property
    def _load_function(self) -> str:
        # In pg_temp: it exists for this connection only, and never outlives it.
        return f"pg_temp.{self.staging}_fulltext"

    def _use_ckans_trigger(self, cursor: Any) -> None:
        """CKAN's own trigger from now on, for rows the DataStore API adds later."""
        table = ident(self.staging)
        cursor.execute(f"DROP TRIGGER zload ON {table}")
        cursor.execute(f"DROP FUNCTION {self._load_function}()")
        cursor.execute(
            f"CREATE TRIGGER zfulltext BEFORE INSERT OR UPDATE ON {table} "
            "FOR EACH ROW EXECUTE PROCEDURE populate_full_text_trigger()"
        )

    def _lines(self, rows: Iterator[list[Any]]) -> Iterator[str]:
        formats = [_FORMATTERS.get(c.pg_type, _text) for c in self.columns]
        for values in rows:
            self.rows += 1
            yield (
                "\t".join(
                    "\\N" if value is None else fmt(value)
                    for fmt, value in zip(formats, values, strict=False)
                )
                + "\n"
            )

    def _index(self, cursor: Any) -> list[tuple[str, str]]:
        """CKAN's indexes (full text, primary key) and ours (filter columns), under
        temporary names; returns (temporary, final) names for the swap."""
        table = ident(self.staging)
        lang = tk.config.get("ckan.datastore.default_fts_lang") or "english"
        method = tk.config.get("ckan.datastore.default_fts_index_method") or "gist"
        fts_types = tk.aslist(tk.config.get("ckan.datastore.default_fts_index_field_types"))
        renames: list[tuple[str, str]] = []

        def create(final_field: str, sql_fields: str, unique: bool = False, using: str = ""):
            final = _index_name(self.resource_id, final_field)
            temporary = "_sipessut_ix_" + uuid.uuid4().hex[:24]
            kind = "UNIQUE INDEX" if unique else "INDEX"
            using_sql = f" USING {using}" if using else ""
            cursor.execute(f"CREATE {kind} {ident(temporary)} ON {table}{using_sql} ({sql_fields})")
            renames.append((temporary, final))

        create('"_full_text"', '"_full_text"', using=method)
        for column in self.columns:
            if column.pg_type in fts_types:
                field = ident(column.id)
                if column.pg_type != "text":
                    field = f"cast({field} AS text)"
                expression = f"to_tsvector({_literal(lang)}, {field})"
                create(expression, expression, using=method)
        if self.primary_key:
            fields = ", ".join(ident(k) for k in self.primary_key)
            create(fields, fields, unique=True)
        for name in indexed(self.columns):
            if [name] != self.primary_key:
                create(f"_sipessut_btree_{name}", ident(name))
        cursor.execute(f"ANALYZE {table}")
        return renames

    def _swap(self, cursor: Any, renames: list[tuple[str, str]]) -> None:
        target = ident(self.resource_id)
        cursor.execute(f"DROP TABLE IF EXISTS {target}")
        cursor.execute(f"ALTER TABLE {ident(self.staging)} RENAME TO {target}")
        cursor.execute(
            f"ALTER SEQUENCE {ident(self.staging + '__id_seq')} "
            f"RENAME TO {ident(self.resource_id + '__id_seq')}"
        )
        cursor.execute(
            f"ALTER INDEX {ident(self.staging + '_pkey')} "
            f"RENAME TO {ident(self.resource_id + '_pkey')}"
        )
        for temporary, final in renames:
            cursor.execute(f"ALTER INDEX {ident(temporary)} RENAME TO {ident(final)}")
        # CKAN (2.12) caches row counts; the new version starts without a stale one.
        cursor.execute("SELECT to_regclass('\"_table_stats\"') IS NOT NULL")
        if cursor.fetchone()[0]:
            cursor.execute('DELETE FROM "_table_stats" WHERE resource_id = %s', (self.resource_id,))


def drop(resource_id: str) -> bool:
    """Remove a resource's DataStore table (e.g. its access became restricted)."""
    connection = write_engine().raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", (ident(resource_id),))
        exists = cursor.fetchone()[0]
        if exists:
            cursor.execute(f"DROP TABLE {ident(resource_id)}")
        connection.commit()
        return bool(exists)
    finally:
        connection.close()


def table_exists(resource_id: str) -> bool:
    with read_engine().connect() as connection:
        import sqlalchemy as sa

        return bool(
            connection.execute(
                sa.text("SELECT to_regclass(:name) IS NOT NULL"), {"name": ident(resource_id)}
            ).scalar()
        )


def _as_json_text(column: LoadColumn) -> str:
    """SQL for the column's value as CKAN's trigger reads it: its text in the row's JSON.
    Text and numbers are their own text there; the others go through to_json (dates and
    times as ISO 8601 whatever the DateStyle, json as written)."""
    value = f"NEW.{ident(column.id)}"
    if column.pg_type == "text":
        return value
    if column.pg_type in ("int4", "int8", "numeric", "bool"):
        return f"{value}::text"
    return f"to_json({value}) #>> '{{}}'"


def _statement_timeout_ms() -> int:
    from ckanext.sipessut.publicdata import settings

    return settings.job_timeout() * 1000


# --- COPY text format ----------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": ""})


def _text(value: Any) -> str:
    if value.__class__ is not str:
        if isinstance(value, (datetime.date, datetime.time)):
            value = value.isoformat()
        elif isinstance(value, (dict, list)):
            value = json.dumps(value, ensure_ascii=False, default=str)
        elif isinstance(value, tuple):  # frictionless yearmonth
            value = f"{value[0]:04d}-{value[1]:02d}" if len(value) == 2 else str(value)
        else:
            value = str(value)
    return value.translate(_ESCAPES)


def _number(value: Any) -> str:
    if isinstance(value, float) and value != value:
        return "NaN"
    if isinstance(value, decimal.Decimal):
        return str(value)
    return str(value)


def _bool(value: Any) -> str:
    return "t" if value else "f"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str).translate(_ESCAPES)


def _iso(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else _text(value)


_FORMATTERS = {
    "int4": _number,
    "int8": _number,
    "numeric": _number,
    "bool": _bool,
    "json": _json,
    "date": _iso,
    "timestamp": _iso,
    "time": _iso,
    "text": _text,
}


class _CopyReader:
    """A file-like object over lines, for psycopg2's copy_expert."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self._buffer = ""

    def read(self, size: int = -1) -> str:
        size = COPY_CHUNK if size is None or size < 0 else max(size, 1)
        parts = [self._buffer]
        length = len(self._buffer)
        for line in self._lines:
            parts.append(line)
            length += len(line)
            if length >= size:
                break
        text = "".join(parts)
        self._buffer = text[size:]
        return text[:size]

    readline = read
