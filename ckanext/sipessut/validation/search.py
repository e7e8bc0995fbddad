"""The dataset search facet on validation status.

Each dataset with tables gets one value in the Solr field
`vocab_validation_status` (a dynamic field of CKAN's schema, no schema edit):
its status as status.dataset_status gives it, the worst of its tables'. Facet
items are labelled in the user's language: Valid / Tidak valid / ...
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut.validation import status

FACET_FIELD = "vocab_validation_status"


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    try:
        resources = json.loads(pkg_dict.get("validated_data_dict") or "{}").get("resources") or []
    except ValueError:
        resources = []
    summary = status.dataset_status(resources)
    if summary.status != status.NO_TABLES:
        pkg_dict[FACET_FIELD] = [summary.status]
    return pkg_dict


def dataset_facets(facets: dict[str, Any]) -> dict[str, Any]:
    facets[FACET_FIELD] = tk._("Validation status")
    return facets


def after_dataset_search(results: dict[str, Any]) -> dict[str, Any]:
    facet = (results.get("search_facets") or {}).get(FACET_FIELD)
    if facet:
        for item in facet.get("items", []):
            item["display_name"] = status.label(item["name"])
    return results
