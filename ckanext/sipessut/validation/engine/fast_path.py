"""Cells cast and checked the way frictionless does it, without its row machinery."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from ckanext.sipessut import patterns
from ckanext.sipessut.validation.check_plan import CheckPlan
from ckanext.sipessut.validation.engine.report import short

FLAG = object()  # a cell (and so its row) that frictionless must look at
MISSING = object()


def missing_values(schema_field: Any) -> list[str]:
    """The missing values of a field, as frictionless's cell reader decides them."""
    if not schema_field.has_defined("missing_values") and schema_field.schema:
        return schema_field.schema.missing_values
    return schema_field.missing_values


class Patterns:
    """The `pattern` constraints, checked here for every row with a time limit per cell.

    Frictionless matches patterns with Python's `re`, which has no time limit, so it is
    given the schema without them (see Run); the findings are the ones it would make:
    a `constraint-error` with its note, on a cell that is not missing and has the right
    type. A cell that takes too long is a limit of the run (the field and row are named),
    and the pattern is not checked on that row and the rows after it (rows flagged before
    it, which frictionless sees later, in batches, still are).
    """

    def __init__(self, fields: list[Any], timeout: float) -> None:
        self.checks: dict[int, tuple[Any, patterns.Matcher, Callable[[Any], Any], set[str]]] = {}
        for position, schema_field in enumerate(fields):
            pattern = schema_field.constraints.get("pattern")
            if pattern is None or "pattern" not in schema_field.supported_constraints:
                continue
            self.checks[position] = (
                schema_field,
                patterns.Matcher(str(pattern), timeout),
                schema_field.create_value_reader(),
                set(missing_values(schema_field)),
            )
        self.timeouts: list[dict[str, Any]] = []
        self.stopped: dict[int, int] = {}  # position -> the row whose cell timed out
        self.row_number = 0  # of the row being checked

    def matches(self, position: int, value: str) -> bool:
        """Whether a cast value matches; one not checked (see above) counts as matching."""
        check = self.checks.get(position)
        if check is None or self.row_number >= self.stopped.get(position, self.row_number + 1):
            return True
        try:
            return check[1](value)
        except patterns.PatternTimeout:
            if position not in self.stopped:
                self.timeouts.append(
                    {
                        "code": "pattern-timeout",
                        "field": check[0].name,
                        "row": self.row_number,
                        "seconds": check[1].timeout,
                    }
                )
            self.stopped[position] = min(self.row_number, self.stopped.get(position, 10**18))
            return True

    def errors(
        self, row_number: int, cells: list[Any], frictionless_errors: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """The pattern findings frictionless would have added to a row's own."""
        if not self.checks or any(e["type"] == "blank-row" for e in frictionless_errors):
            return []
        self.row_number = row_number
        mistyped = {e.get("fieldNumber") for e in frictionless_errors if e["type"] == "type-error"}
        found = []
        for position, (schema_field, _, reader, missing) in self.checks.items():
            cell = cells[position] if position < len(cells) else None
            if cell is None or str(cell) in missing or position + 1 in mistyped:
                continue
            value = reader(cell)
            if value is None or self.matches(position, value):
                continue
            pattern = schema_field.constraints["pattern"]
            found.append(
                {
                    "type": "constraint-error",
                    "note": f'constraint "pattern" is "{pattern}"',
                    "rowNumber": row_number,
                    "fieldNumber": position + 1,
                    "fieldName": schema_field.name,
                    "cell": short(str(cell)),
                }
            )
        return found


class FastPath:
    """Cast and check a row's cells exactly as frictionless would, or flag the row.

    `fields` are the fields frictionless expects in the rows (one per header label, see
    FrictionlessRows). Casting uses frictionless's own value readers (dates in the default
    format take a faster route to the same result); constraints are checked as
    frictionless checks them. Anything not certain (an unknown constraint, an exception,
    NaN) flags the row, and frictionless decides.
    """

    def __init__(self, fields: list[Any], plan: CheckPlan, checked: Patterns) -> None:
        names = [schema_field.name for schema_field in fields]
        keys = [name for name in plan.unique_fields if name in names]
        if plan.primary_key and all(name in names for name in plan.primary_key):
            keys += plan.primary_key
        self.key_fields = sorted({names.index(name) for name in keys})
        self.patterns = checked
        self.checks = [self._checker(position, f) for position, f in enumerate(fields)]
        self.width = len(self.checks)

    def check(self, row_number: int, cells: list[Any]) -> Any:
        if len(cells) != self.width:
            return FLAG
        self.patterns.row_number = row_number
        values = []
        missing = 0
        for check, cell in zip(self.checks, cells, strict=True):
            value = check(cell)
            if value is FLAG:
                return FLAG
            if value is MISSING:
                missing += 1
                value = None
            values.append(value)
        if missing == self.width:  # a blank row: frictionless reports it
            return FLAG
        return values

    def _checker(self, position: int, schema_field: Any) -> Callable[[Any], Any]:
        from frictionless.schema import field as field_module

        missing_set = set(missing_values(schema_field))
        reader = value_reader(schema_field)
        required = bool(schema_field.constraints.get("required"))
        tests: list[Callable[[Any], bool]] = []
        for name, constraint in schema_field.constraints.items():
            if name == "required" or constraint is None:
                continue
            if name not in schema_field.supported_constraints:
                continue  # frictionless ignores it as well
            if name == "pattern":
                tests.append(lambda value: self.patterns.matches(position, value))
                continue
            test = _constraint_test(name, constraint, schema_field, field_module)
            if test is None:
                return lambda cell: FLAG
            tests.append(test)

        def check(cell: Any) -> Any:
            if cell is None or str(cell) in missing_set:
                return FLAG if required else MISSING
            try:
                value = reader(cell)
                if value is None:
                    return FLAG
                for test in tests:
                    if not test(value):
                        return FLAG
            except Exception:
                return FLAG
            return value

        return check


def _constraint_test(
    name: str, constraint: Any, schema_field: Any, field_module: Any
) -> Callable[[Any], bool] | None:
    reader = schema_field.create_value_reader()
    if name == "enum":
        allowed = [reader(item) for item in constraint]
        try:
            members = set(allowed)
        except TypeError:
            return None
        return lambda value: value in members
    if name == "minLength":
        return lambda value: len(value) >= constraint
    if name == "maxLength":
        return lambda value: len(value) <= constraint
    bounds = {
        "minimum": lambda v, c: v >= c,
        "maximum": lambda v, c: v <= c,
        "exclusiveMinimum": lambda v, c: v > c,
        "exclusiveMaximum": lambda v, c: v < c,
    }
    if name in bounds:
        compare = bounds[name]
        bound = reader(constraint)
        if bound is None:
            return None
        # NaN is never within bounds in frictionless; `v == v` is False only for NaN.
        return lambda value: value == value and compare(value, bound)
    return None


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def value_reader(schema_field: Any) -> Callable[[Any], Any]:
    """frictionless's value reader of a field, reading what it reads, sooner where it can."""
    reader = schema_field.create_value_reader()
    if schema_field.type == "date" and schema_field.format == "default":
        return _fast_date_reader(reader)
    return reader


def _fast_date_reader(reader: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """strptime("%Y-%m-%d") is slow; a padded ISO date reads the same with fromisoformat."""
    fromisoformat = datetime.date.fromisoformat

    def read(cell: Any) -> Any:
        if cell.__class__ is str and len(cell) == 10 and _ISO_DATE.match(cell):
            try:
                return fromisoformat(cell)
            except ValueError:
                return None
        return reader(cell)

    return read
