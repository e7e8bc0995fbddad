"""Sectoral-statistics metadata: BPS MS-Keg, MS-Ind, MS-Var and the Satu Data fields.

This module is the domain's published face: the other domains and plugin.py use only
the names below.

- `completeness(pkg)` / `missing(pkg)`: the one completeness rule (what a dataset still
  lacks before it may be public), for a dataset as package_show returns it;
- `values_of(raw)`: the codes or ids a stored field holds (a string, a list, a JSON list);
- `sections_of(pkg)`: the sections of a dataset's schema (the blocks of the BPS form) with
  the fields that apply to it, in form order, e.g. to print an MS-Keg;
- DATA_DICTIONARY_FIELD: the resource field holding the MS-Var data dictionary (a
  Frictionless Table Schema) that validation checks tables against;
- `schema_error_message(note)`: what frictionless says (in English) about a Table Schema,
  in the user's language;
- `saved_dictionary(resource)`: the dictionary a resource as submitted (form rows,
  uploaded or pasted JSON, API object or JSON string) will be saved with, before CKAN's
  validation has turned the form's inputs into it; raises `DictionaryError` when the
  save will be refused because of what the form sent;
- the search-index hooks (`before_dataset_index`, `facet_titles`, `label_facet_items`);
- the dicts of actions, auth functions, helpers and validators plugin.py merges.
"""

from __future__ import annotations

from typing import Any

from ckanext.sipessut.metadata import actions, auth
from ckanext.sipessut.metadata.completeness import Completeness, completeness, missing
from ckanext.sipessut.metadata.data_dictionary import FIELD as DATA_DICTIONARY_FIELD
from ckanext.sipessut.metadata.data_dictionary import (
    DictionaryError,
    saved_dictionary,
    schema_error_message,
)
from ckanext.sipessut.metadata.helpers import HELPERS
from ckanext.sipessut.metadata.index import before_dataset_index, facet_titles, label_facet_items
from ckanext.sipessut.metadata.schema_rules import values_of
from ckanext.sipessut.metadata.validators import VALIDATORS, field_label

ACTIONS = {
    "sipessut_codelist_list": actions.codelist_list,
    "sipessut_codelist_show": actions.codelist_show,
    "sipessut_metadata_check": actions.metadata_check,
}
AUTH_FUNCTIONS = {
    "sipessut_codelist_list": auth.codelist_read,
    "sipessut_codelist_show": auth.codelist_read,
    "sipessut_metadata_check": auth.metadata_check,
}


def sections_of(pkg: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """[(section title in the user's language, [schema fields that apply to pkg])]."""
    import ckan.plugins.toolkit as tk

    from ckanext.sipessut.metadata import schema_rules

    schema = tk.h.scheming_get_dataset_schema(pkg.get("type") or "dataset")
    if not schema:
        return []
    fields = schema["dataset_fields"]
    conditions = schema_rules.field_conditions(fields)
    found = []
    for section in schema_rules.sections(fields):
        title = field_label({"label": section.title, "field_name": ""}) if section.title else ""
        applying = [
            f for f in section.fields if schema_rules.applies(f["field_name"], conditions, pkg.get)
        ]
        if applying:
            found.append((title, applying))
    return found


__all__ = [
    "ACTIONS",
    "AUTH_FUNCTIONS",
    "DATA_DICTIONARY_FIELD",
    "DictionaryError",
    "HELPERS",
    "VALIDATORS",
    "Completeness",
    "before_dataset_index",
    "completeness",
    "facet_titles",
    "label_facet_items",
    "field_label",
    "missing",
    "schema_error_message",
    "saved_dictionary",
    "sections_of",
    "values_of",
]
