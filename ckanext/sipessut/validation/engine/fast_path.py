"""Cells cast and checked the way frictionless does it, without its row machinery."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from ckanext.sipessut.validation.check_plan import CheckPlan

FLAG = object()  # a cell (and so its row) that frictionless must look at
MISSING = object()


class FastPath:
    """Cast and check a row's cells exactly as frictionless would, or flag the row.

    Casting uses frictionless's own value readers (dates in the default format
    take a faster route to the same result); constraints are checked as
    frictionless checks them. Anything not certain (an unknown constraint, an
    exception, NaN) flags the row, and frictionless decides.
    """

    def __init__(self, schema: Any, plan: CheckPlan) -> None:
        self.key_fields = sorted(
            {schema.field_names.index(name) for name in plan.unique_fields + plan.primary_key}
        )
        self.checks = [self._checker(schema, f) for f in schema.fields]
        self.width = len(self.checks)

    def check(self, cells: list[Any]) -> Any:
        if len(cells) != self.width:
            return FLAG
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

    @staticmethod
    def _checker(schema: Any, schema_field: Any) -> Callable[[Any], Any]:
        from frictionless.schema import field as field_module

        missing_values = (
            schema_field.missing_values
            if schema_field.has_defined("missing_values")
            else schema.missing_values
        )
        missing_set = set(missing_values)
        reader = schema_field.create_value_reader()
        if schema_field.type == "date" and schema_field.format == "default":
            reader = _fast_date_reader(reader)
        required = bool(schema_field.constraints.get("required"))
        tests: list[Callable[[Any], bool]] = []
        for name, constraint in schema_field.constraints.items():
            if name == "required" or constraint is None:
                continue
            if name not in schema_field.supported_constraints:
                continue  # frictionless ignores it as well
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
    if name == "pattern":
        compiled = re.compile(f"^{constraint}$")
        return lambda value: compiled.match(value) is not None
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
