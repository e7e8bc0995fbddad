"""Propose a data dictionary from a table, for a steward to review and accept.

Unlike a generic type guess, the proposal knows how Indonesian tables are
written: decimal commas and thousands dots, dd/mm/yyyy dates, ya/tidak
answers, and the portal's code lists (a column of kecamatan codes is
proposed as `codelist: wilayah` restricted to that level).
"""

from __future__ import annotations

import datetime
import re
from itertools import islice
from typing import Any

from ckanext.sipessut import codelists
from ckanext.sipessut.validation import engine, readers
from ckanext.sipessut.validation.check_plan import CheckPlan

SAMPLE_ROWS = 5000
MAX_DISTINCT_FOR_CODELIST = 1000

_INTEGER = re.compile(r"^-?\d+$")
_GROUPED = re.compile(r"^-?\d{1,3}(?:\.\d{3})+$")
_EN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_FORMATS = (
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$"), "%d/%m/%Y"),
    (re.compile(r"^\d{1,2}-\d{1,2}-\d{4}$"), "%d-%m-%Y"),
)
_YES = {"ya", "y", "true", "benar"}
_NO = {"tidak", "t", "false", "salah"}


def propose(path: str, declared_format: str, options: dict[str, Any]) -> dict[str, Any]:
    limits = engine.Settings()
    scanned = readers.scan(path, limits.max_bytes)
    fmt = readers.sniff_format(path, declared_format)
    parsed = engine.Options.from_dict(options)
    table = readers.open_table(
        path,
        fmt,
        encoding=parsed.encoding or scanned.encoding,
        delimiter=parsed.delimiter,
        sheet=parsed.sheet,
        max_uncompressed=limits.max_uncompressed,
    )
    numbered = enumerate(table.rows, start=1)
    head = list(islice(numbered, engine.HEADER_SCAN_ROWS))
    if not head:
        raise readers.FileProblem("empty-file")
    index = engine.detect_header(head, CheckPlan(schema=None))
    if parsed.header_row:
        index = next((i for i, (n, _) in enumerate(head) if n == parsed.header_row), index)
    header_number, header = head[index]
    data = engine.without_notes(chain_rows(head[index + 1 :], numbered), len(header), [])
    rows = [cells for _, cells in islice(data, SAMPLE_ROWS)]
    fields = []
    used: set[str] = set()
    for position, label in enumerate(header):
        name = str(label).strip() if label not in (None, "") else f"kolom_{position + 1}"
        while name in used:
            name = f"{name}_{position + 1}"
        used.add(name)
        values = [row[position] if position < len(row) else None for row in rows]
        fields.append({"name": name, "title": name, **_infer_column(name, values)})
    return {
        "data_dictionary": {"fields": fields},
        "header_row": header_number,
        "rows_sampled": len(rows),
        "format": fmt,
    }


def chain_rows(first: list[tuple[int, list[Any]]], rest: Any) -> Any:
    yield from first
    yield from rest


def _infer_column(name: str, values: list[Any]) -> dict[str, Any]:
    filled = [v for v in values if v is not None and str(v).strip() != ""]
    result: dict[str, Any] = {"type": "string"}
    if filled and len(filled) == len(values):
        result["constraints"] = {"required": True}
    if not filled:
        return result
    texts = [v.strip() for v in filled if isinstance(v, str)]
    typed = [v for v in filled if not isinstance(v, str)]

    reference = _codelist_for(name, texts) if not typed else None
    if reference:
        result["codelist"] = reference
        return result
    if all(isinstance(v, bool) for v in typed) and typed and not texts:
        result["type"] = "boolean"
        return result
    if not typed or all(isinstance(v, int) and not isinstance(v, bool) for v in typed):
        if all(_INTEGER.match(t) for t in texts):
            if _is_year(name, filled):
                result["type"] = "year"
            else:
                result["type"] = "integer"
            return result
        if all(_INTEGER.match(t) or _GROUPED.match(t) for t in texts):
            result.update(type="integer", groupChar=".")
            return result
    numbers_ok = all(isinstance(v, int | float) and not isinstance(v, bool) for v in typed)
    indonesian = texts and engine.looks_indonesian_number(texts)
    if numbers_ok and indonesian and all(_indonesian(t) for t in texts):
        result.update(type="number", decimalChar=",", groupChar=".")
        return result
    if numbers_ok and all(_EN_NUMBER.match(t) for t in texts):
        result["type"] = "number"
        return result
    date_format = _date_format(texts, typed)
    if date_format:
        result["type"] = "date"
        if date_format != "default":
            result["format"] = date_format
        return result
    lowered = {t.lower() for t in texts}
    if not typed and lowered and lowered <= (_YES | _NO) and lowered & _YES and lowered & _NO:
        result["type"] = "boolean"
        result["trueValues"] = sorted({t for t in texts if t.lower() in _YES})
        result["falseValues"] = sorted({t for t in texts if t.lower() in _NO})
    return result


def _indonesian(text: str) -> bool:
    return bool(re.match(r"^-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$", text))


def _is_year(name: str, values: list[Any]) -> bool:
    if not re.search(r"tahun|year", name, re.I):
        return False
    return all(1800 <= int(str(v)) <= 2200 and len(str(v)) == 4 for v in values)


def _date_format(texts: list[str], typed: list[Any]) -> str | None:
    if any(not isinstance(v, datetime.date) for v in typed):
        return None
    if any(isinstance(v, datetime.datetime) and v.time() != datetime.time() for v in typed):
        return None
    if not texts:
        return "default" if typed else None
    if all(_ISO_DATE.match(t) for t in texts):
        return "default"
    for pattern, fmt in _DATE_FORMATS:
        if all(pattern.match(t) for t in texts):
            try:
                for t in texts:
                    datetime.datetime.strptime(t, fmt)
            except ValueError:
                return None
            return fmt
    return None


def _codelist_for(name: str, texts: list[str]) -> Any:
    """A code list holding every value (the narrowest level of it, when it has levels)."""
    distinct = set(texts)
    if not distinct or len(distinct) > MAX_DISTINCT_FOR_CODELIST:
        return None
    if not any(len(t) >= 4 or "." in t for t in distinct):
        return None  # short codes such as 1, 2, 3 fit too many lists to be a clue
    for codelist in codelists.column_lists():
        codes = {code.code for code in codelist.codes}
        if not distinct <= codes:
            continue
        levels = {code.attrs.get("level") for code in codelist.codes if code.code in distinct}
        if len(levels) == 1 and None not in levels:
            return {"name": codelist.name, "where": {"level": levels.pop()}}
        return codelist.name
    return None
