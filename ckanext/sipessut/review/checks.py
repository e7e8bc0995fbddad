"""What must hold before a dataset is submitted or approved.

Each check takes the dataset as `package_show` returns it and gives back CKAN-style
errors ({field: [message, ...]}), empty when it passes. To add a precondition, write
one such function and add it to SUBMIT_CHECKS (it then also guards approval) or to
APPROVE_CHECKS.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut import metadata, validation
from ckanext.sipessut.review import settings

Errors = dict[str, list[str]]
Check = Callable[[dict[str, Any]], Errors]


def has_a_resource(dataset: dict[str, Any]) -> Errors:
    """Pasal 33: the submission carries the data itself, not only its description."""
    if dataset.get("resources"):
        return {}
    return {"resources": [tk._("Add at least one data resource before submitting")]}


def metadata_is_complete(dataset: dict[str, Any]) -> Errors:
    """The Walidata publishes complete metadata only; the metadata domain says what is missing."""
    message = tk._("Required before the Walidata can publish the dataset")
    return {item["field"]: [message] for item in metadata.missing(dataset)}


def tables_are_valid(dataset: dict[str, Any]) -> Errors:
    """When the portal asks for it, every table needs a passing validation report."""
    if not settings.require_valid_tabular():
        return {}
    failing = [
        f"{r.get('name') or r.get('id')} ({validation.label(validation.status_of(r))})"
        for r in dataset.get("resources", [])
        if validation.is_tabular(r) and validation.status_of(r) != validation.VALID
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


FAILING = (validation.INVALID, validation.ERROR)


def failing_tables(dataset: dict[str, Any]) -> list[dict[str, Any]]:
    """The dataset's tables whose validation found errors or could not read them."""
    return [
        r
        for r in dataset.get("resources", [])
        if validation.is_tabular(r) and validation.status_of(r) in FAILING
    ]


def invalid_tables_confirmed(dataset: dict[str, Any], confirmed: bool) -> Errors:
    """Publishing invalid tables is a second, explicit choice of the reviewer."""
    failing = failing_tables(dataset)
    if not failing or confirmed:
        return {}
    names = ", ".join(str(r.get("name") or r.get("id")) for r in failing)
    return {
        "confirm_invalid": [
            tk._(
                "These tables did not pass validation: {resources}. Confirm that you publish"
                " the dataset anyway, or return it to the OPD."
            ).format(resources=names)
        ]
    }
