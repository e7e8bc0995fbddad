"""Interoperability: the data travels to other systems.

- rdf.py           our ckanext-dcat profiles (`sipessut_satudata` for DCAT, `sipessut_schemaorg`
                   for the schema.org JSON-LD of dataset pages), applied after the stock ones
- dcat_actions.py  ckanext-dcat's endpoints narrowed to what is published
- harvest.py       the harvest API at /sdi for the national portal's CKAN harvester
- datapackage.py   Frictionless Data Packages; sources.py, where their data files come from
- indah.py         BPS INDAH export of a kegiatan (MS-Keg, MS-Var, MS-Ind), printable MS-Keg
- daftar_data.py   Daftar Data Daerah export and import (19 attributes, XLSX)
- published.py     the one rule of what leaves the portal

This module is the domain's published face: the other domains and plugin.py use only
the names below.

- `is_published(pkg)`: whether a dataset leaves the portal (exports, feeds, harvests);
- `add_source_provider(provider)` / `Source`: plug in a better source for a resource's
  data in exports (e.g. the DataStore): `provider(pkg, resource, hidden_columns)` returns a
  Source or None;
- the dicts of actions, auth functions, helpers, blueprints and CLI commands plugin.py merges.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut.interop import actions, auth, dcat_actions, published
from ckanext.sipessut.interop.cli import CLI_COMMANDS
from ckanext.sipessut.interop.published import is_published
from ckanext.sipessut.interop.rdf import SatuDataProfile, SchemaOrgProfile
from ckanext.sipessut.interop.sources import Source, add_source_provider
from ckanext.sipessut.interop.views import BLUEPRINTS


def ACTIONS() -> dict[str, Any]:  # noqa: N802 - a function: it depends on the plugins enabled
    found = dict(actions.ACTIONS)
    if "dcat" in tk.aslist(tk.config.get("ckan.plugins")):
        # Chained ckanext-dcat actions (only when its plugin is on: a portal without it
        # still starts): only published data tables leave as linked data.
        found["dcat_dataset_show"] = dcat_actions.dcat_dataset_show
        found["dcat_catalog_show"] = dcat_actions.dcat_catalog_show
        found["dcat_catalog_search"] = dcat_actions.dcat_catalog_search
    return found


AUTH_FUNCTIONS = auth.AUTH_FUNCTIONS


def _published_helper(pkg: dict) -> bool:
    return bool(pkg) and published.is_published(pkg)


def _linked_data_helper() -> bool:
    """Whether ckanext-dcat serves the linked-data pages (its plugin is on)."""
    from flask import current_app

    return "dcat.read_dataset" in current_app.view_functions


HELPERS = {
    "sipessut_interop_published": _published_helper,
    "sipessut_interop_linked_data": _linked_data_helper,
}

__all__ = [
    "ACTIONS",
    "AUTH_FUNCTIONS",
    "BLUEPRINTS",
    "CLI_COMMANDS",
    "HELPERS",
    "SatuDataProfile",
    "SchemaOrgProfile",
    "Source",
    "add_source_provider",
    "is_published",
]
