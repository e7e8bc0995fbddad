"""The dataset search facet on validation status.

Each dataset with tables gets one value in the Solr field
`vocab_validation_status` (a dynamic field of CKAN's schema, no schema edit):
the worst status of its tabular resources, in the order invalid, error,
not_validated (pending included), valid. Facet items are labelled in the
user's language: Valid / Tidak valid / Belum divalidasi / Gagal.
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut.validation import messages, runner

FACET_FIELD = "vocab_validation_status"


def dataset_status(resources: list[dict[str, Any]]) -> str | None:
    statuses = set()
    for resource in resources:
        if resource.get("state", "active") != "active" or not runner.is_tabular(resource):
            continue
        status = resource.get(runner.STATUS_FIELD)
        statuses.add(status if status in ("valid", "invalid", "error") else messages.NOT_VALIDATED)
    for value in messages.FACET_VALUES:
        if value in statuses:
            return value
    return None


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    try:
        resources = json.loads(pkg_dict.get("validated_data_dict") or "{}").get("resources") or []
    except ValueError:
        resources = []
    status = dataset_status(resources)
    if status:
        pkg_dict[FACET_FIELD] = [status]
    return pkg_dict


def dataset_facets(facets: dict[str, Any]) -> dict[str, Any]:
    facets[FACET_FIELD] = tk._("Validation status")
    return facets


def facet_label(status: str) -> str:
    labels = {
        "valid": tk._("Valid"),
        "invalid": tk._("Invalid"),
        messages.NOT_VALIDATED: tk._("Not validated"),
        "error": tk._("Failed"),
    }
    return labels.get(status, status)


def after_dataset_search(results: dict[str, Any]) -> dict[str, Any]:
    facet = (results.get("search_facets") or {}).get(FACET_FIELD)
    if facet:
        for item in facet.get("items", []):
            item["display_name"] = facet_label(item["name"])
    return results
