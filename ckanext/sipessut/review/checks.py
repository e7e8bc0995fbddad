"""What must hold before a dataset is submitted or approved.

Each check takes the dataset as `package_show` returns it and gives back CKAN-style
errors ({field: [message, ...]}), empty when it passes. To add a precondition, write
one such function and add it to SUBMIT_CHECKS (it then also guards approval) or to
APPROVE_CHECKS.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut.review import settings

Errors = dict[str, list[str]]
Check = Callable[[dict[str, Any]], Errors]

# validation_status values written by the validation domain; absent = not validated.
VALID = "valid"
INVALID = "invalid"
ERROR = "error"
PENDING = "pending"
UNCHECKED = "unchecked"
# The summary of a dataset with no tabular resource at all.
NO_TABLES = "none"


def is_tabular(resource: dict[str, Any]) -> bool:
    return (resource.get("format") or "").strip().lstrip(".").upper() in settings.tabular_formats()


def validation_status(resource: dict[str, Any]) -> str:
    status = resource.get("validation_status")
    return status if status in (VALID, INVALID, ERROR, PENDING) else UNCHECKED


def validation_summary(resources: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """How far the dataset's tables are validated: the worst status wins.

    {"summary": one of valid/invalid/pending/unchecked/none, "tables": n, plus a count
    per status}. `error` (the validator itself failed) counts as invalid.
    """
    counts = Counter(
        INVALID if (s := validation_status(r)) == ERROR else s for r in resources if is_tabular(r)
    )
    tables = sum(counts.values())
    summary = NO_TABLES
    for status in (INVALID, PENDING, UNCHECKED, VALID):
        if counts[status]:
            summary = status
            break
    return {
        "summary": summary,
        "tables": tables,
        **{status: counts[status] for status in (VALID, INVALID, PENDING, UNCHECKED)},
    }


def has_a_resource(dataset: dict[str, Any]) -> Errors:
    """Pasal 33: the submission carries the data itself, not only its description."""
    if dataset.get("resources"):
        return {}
    return {"resources": [tk._("Add at least one data resource before submitting")]}


def metadata_is_complete(dataset: dict[str, Any]) -> Errors:
    """The Walidata publishes complete metadata only; the metadata domain says what is missing."""
    result = tk.get_action("sipessut_metadata_check")({"ignore_auth": True}, {"id": dataset["id"]})
    message = tk._("Required before the Walidata can publish the dataset")
    return {item["field"]: [message] for item in result["missing"]}


def tables_are_valid(dataset: dict[str, Any]) -> Errors:
    """When the portal asks for it, every table needs a passing validation report."""
    if not settings.require_valid_tabular():
        return {}
    failing = [
        f"{r.get('name') or r.get('id')} ({validation_status(r)})"
        for r in dataset.get("resources", [])
        if is_tabular(r) and validation_status(r) != VALID
    ]
    if not failing:
        return {}
    return {
        "validation": [
            tk._("These tables have no passing validation report: {resources}").format(
                resources=", ".join(failing)
            )
        ]
    }


SUBMIT_CHECKS: tuple[Check, ...] = (has_a_resource, metadata_is_complete)
APPROVE_CHECKS: tuple[Check, ...] = (*SUBMIT_CHECKS, tables_are_valid)
CHECKS: dict[str, tuple[Check, ...]] = {"submit": SUBMIT_CHECKS, "approve": APPROVE_CHECKS}


def run(verb: str, dataset: dict[str, Any]) -> Errors:
    errors: Errors = {}
    for check in CHECKS.get(verb, ()):
        for field, messages in check(dataset).items():
            errors.setdefault(field, []).extend(messages)
    return errors
