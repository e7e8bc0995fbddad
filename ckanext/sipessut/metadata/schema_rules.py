"""Rules declared in the schemas: sections, conditions and completeness.

A schema field may carry
- `section: {id: ..., en: ...}`: starts a section of the form and the page; a
  section may carry `show_if`, which then holds for all its fields;
- `show_if: {other_field: [codes]}` or `{other_field: filled}`: the field only
  applies when the other field has one of the codes (or any value);
- `required: true`: needed before the dataset may be public;
- `required_if: {other_field: filled}`: required when the other field is set.

The same declarations drive the form (sections shown and hidden by
assets/sipessut-show-if.js), the validators (values of fields that do not
apply are dropped; missing required ones are reported) and the action
`sipessut_metadata_check`. Conditions read the raw submitted values, so they
work the same for a form post and for an API call.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ckan.lib.navl.dictization_functions import missing

Condition = Mapping[str, Any]
FILLED = "filled"


@dataclass
class Section:
    title: Any  # {lang: text}
    show_if: Condition | None
    fields: list[dict[str, Any]] = field(default_factory=list)


def sections(fields: Iterable[dict[str, Any]]) -> list[Section]:
    """Group fields into the sections their `section` keys start."""
    grouped: list[Section] = []
    for item in fields:
        marker = item.get("section")
        if marker or not grouped:
            title = marker.get("title", marker) if isinstance(marker, dict) else marker
            show_if = marker.get("show_if") if isinstance(marker, dict) else None
            grouped.append(Section(title=title, show_if=show_if))
        grouped[-1].fields.append(item)
    return grouped


def field_conditions(fields: Iterable[dict[str, Any]]) -> dict[str, list[Condition]]:
    """For each field name, the conditions that must all hold for it to apply."""
    conditions: dict[str, list[Condition]] = {}
    for section in sections(fields):
        for item in section.fields:
            own = [c for c in (section.show_if, item.get("show_if")) if c]
            conditions[item["field_name"]] = own
    return conditions


def values_of(raw: Any) -> list[str]:
    """The codes in a raw value: a string, a list, or a JSON list."""
    if raw is None or raw == "" or raw == [] or _is_missing(raw):
        return []
    if isinstance(raw, str):
        text = raw.strip()
        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except ValueError:
                return [text]
            return (
                [str(v) for v in parsed if str(v).strip()] if isinstance(parsed, list) else [text]
            )
        return [text] if text else []
    if isinstance(raw, (list, tuple)):
        return [str(v).strip() for v in raw if str(v).strip()]
    return [str(raw)]


def holds(condition: Condition, get: Callable[[str], Any]) -> bool:
    """Whether every `other_field: expected` of the condition holds for the values `get` returns."""
    for other, expected in condition.items():
        present = values_of(get(other))
        if expected == FILLED:
            if not present:
                return False
        elif not set(present) & {str(e) for e in expected}:
            return False
    return True


def applies(
    name: str, conditions: Mapping[str, list[Condition]], get: Callable[[str], Any]
) -> bool:
    return all(holds(condition, get) for condition in conditions.get(name, []))


def is_filled(value: Any) -> bool:
    if _is_missing(value) or value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip()) and value.strip() != "[]"
    if isinstance(value, (list, tuple, dict)):
        return bool(value)
    return True


def applicable_required(
    fields: Iterable[dict[str, Any]], get: Callable[[str], Any]
) -> list[dict[str, Any]]:
    """The fields that apply and are required (or required_if and their condition holds)."""
    fields = list(fields)
    conditions = field_conditions(fields)
    found = []
    for item in fields:
        if not applies(item["field_name"], conditions, get):
            continue
        if item.get("required") or (item.get("required_if") and holds(item["required_if"], get)):
            found.append(item)
    return found


def missing_required(
    fields: Iterable[dict[str, Any]], get: Callable[[str], Any]
) -> list[dict[str, Any]]:
    """The applicable fields that are required (or required_if) but empty."""
    return [
        item for item in applicable_required(fields, get) if not is_filled(get(item["field_name"]))
    ]


def _is_missing(value: Any) -> bool:
    return value is missing
