"""The shape of a table as people make it: where the header is, title rows above it, notes
and blank rows below it, numbers written the Indonesian way."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from ckanext.sipessut.validation.check_plan import CheckPlan

HEADER_SCAN_ROWS = 30
NOTES_LOOKAHEAD = 100


def count_filled(cells: Iterable[Any]) -> int:
    return sum(1 for cell in cells if cell is not None and str(cell).strip() != "")


def labels(cells: list[Any]) -> list[str]:
    return ["" if cell is None else str(cell).strip() for cell in cells]


def _normal(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


def detect_header(head: list[tuple[int, list[Any]]], plan: CheckPlan) -> int:
    """The index of the header row among the first rows.

    With a dictionary: the row naming most of its fields (by name or title).
    Without: the first row whose cells are all text and which is about as wide
    as the table, so that title lines such as "TABEL 3.1 ..." above it are skipped.
    """
    if plan.schema:
        names: set[str] = set()
        for spec in plan.schema["fields"]:
            names.add(_normal(spec["name"]))
            if spec.get("title"):
                names.add(_normal(spec["title"]))
        best, best_score = 0, 0
        for index, (_, cells) in enumerate(head):
            score = sum(1 for cell in cells if _normal(cell) in names)
            if score > best_score:
                best, best_score = index, score
        if best_score:
            return best
    widths = [count_filled(cells) for _, cells in head]
    widest = max(widths) if widths else 0
    for index, (_, cells) in enumerate(head):
        filled = [cell for cell in cells if cell is not None and str(cell).strip() != ""]
        if len(filled) >= max(2, (widest + 1) // 2) and all(
            isinstance(cell, str) and not _NUMERIC.match(cell.strip()) for cell in filled
        ):
            return index
    return 0


_NUMERIC = re.compile(r"^[-+]?[\d.,]+$")
_ID_DECIMAL = re.compile(r"^-?(?:\d{1,3}(?:\.\d{3})+|\d+),\d+$")
_ID_GROUPED = re.compile(r"^-?\d{1,3}(?:\.\d{3}){2,}$")
_EN_DECIMAL = re.compile(r"^-?\d+\.(?:\d{1,2}|\d{4,})$")
_EN_GROUPED = re.compile(r"^-?\d{1,3}(?:,\d{3})+\.\d+$")
_GROUPED_INTEGER = re.compile(r"^-?\d{1,3}(?:\.\d{3})+$")
_PLAIN_INTEGER = re.compile(r"^-?\d+$")


def looks_indonesian_number(values: list[str]) -> bool:
    """Decimal comma and thousands dot ("1.234,56", "221,29"), and nothing that contradicts it."""
    indonesian = english = 0
    for value in values:
        value = value.strip()
        if _ID_DECIMAL.match(value) or _ID_GROUPED.match(value):
            indonesian += 1
        elif _EN_DECIMAL.match(value) or _EN_GROUPED.match(value):
            english += 1
    return indonesian > 0 and english == 0


def looks_grouped_integer(values: list[str]) -> bool:
    """Whole numbers written with thousands dots ("61.234"), the others plain digits."""
    grouped = 0
    for value in values:
        value = value.strip()
        if _GROUPED_INTEGER.match(value):
            grouped += 1
        elif value and not _PLAIN_INTEGER.match(value):
            return False
    return grouped > 0


def strip_group_chars(cells: list[Any], positions: dict[int, re.Pattern[str]]) -> None:
    for position, pattern in positions.items():
        if position < len(cells):
            cell = cells[position]
            if isinstance(cell, str) and pattern.match(cell.strip()):
                text = cell.strip()
                cells[position] = ("-" if text.startswith("-") else "") + re.sub(r"\D", "", text)


def structure_schema(header_cells: list[Any]) -> dict[str, Any]:
    """Without a dictionary only the structure is checked: every column is `any`."""
    from frictionless import Detector
    from frictionless.resources import TableResource

    resource = TableResource(
        data=[list(header_cells)], detector=Detector(field_type="any"), format="inline"
    )
    with resource:
        return resource.schema.to_descriptor()


def _first_filled(cells: list[Any]) -> list[Any]:
    """The first two non-empty cells of a row (enough to tell a note from a row)."""
    found = []
    for cell in cells:
        if cell is not None and cell != "" and (cell.__class__ is not str or cell.strip()):
            found.append(cell)
            if len(found) > 1:
                break
    return found


def without_notes(
    rows: Iterator[tuple[int, list[Any]]], width: int, notices: list[dict[str, Any]]
) -> Iterator[tuple[int, list[Any]]]:
    """Drop blank rows and notes ("Sumber: BPS") below the table.

    Rows after a blank row are held back while they are blank or hold a single
    text cell; a fuller row means they were part of the table after all (and
    are checked, blank rows included). At the end of the file what is held
    back is reported as ignored, not as errors.
    """
    held: list[tuple[int, list[Any]]] = []
    for number, cells in rows:
        filled = _first_filled(cells)
        if len(filled) > 1:  # the common case: a row of the table
            if held:
                yield from held
                held = []
            yield number, cells
            continue
        blank = not filled
        note = (
            width >= 2
            and len(filled) == 1
            and isinstance(filled[0], str)
            and not _NUMERIC.match(filled[0].strip())
        )
        if held and (blank or note) and len(held) < NOTES_LOOKAHEAD:
            held.append((number, cells))
            continue
        if not held and blank:
            held.append((number, cells))
            continue
        yield from held
        held = []
        yield number, cells
    if held:
        first, last = held[0][0], held[-1][0]
        has_notes = any(count_filled(cells) for _, cells in held)
        code = "notes-ignored" if has_notes else "blank-rows-ignored"
        notices.append({"code": code, "first": first, "last": last})
