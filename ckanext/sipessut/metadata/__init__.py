"""Sectoral-statistics metadata: BPS MS-Keg, MS-Ind, MS-Var and the Satu Data fields.

This module is the domain's published face: the other domains and plugin.py use only
the names below.

- `completeness(pkg)` / `missing(pkg)`: the one completeness rule (what a dataset still
  lacks before it may be public), for a dataset as package_show returns it;
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
from ckanext.sipessut.metadata.validators import VALIDATORS

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
    "missing",
    "schema_error_message",
    "saved_dictionary",
]
