"""ckanext-dcat's actions, narrowed to what the portal publishes (published.py).

`/dataset/<name>.jsonld|.ttl|.rdf|.xml` answers 404 for anything not published, whoever
asks (the OPD reads its drafts on the portal, not as linked data); `/catalog.<format>`
lists the published data tables only, with ckanext-dcat's paging and `modified_since`.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.sipessut import review
from ckanext.sipessut.interop import published


def _published_package(reference: str) -> bool:
    """The rule of published.py, read from the tables (no package_show twice)."""
    package = model.Package.get(reference) if reference else None
    if package is None:
        return False
    extras = package.extras or {}
    pkg = {
        "id": package.id,
        "type": package.type,
        "state": package.state,
        "private": package.private,
        "pengaturan_akses": extras.get("pengaturan_akses"),
    }
    return published.is_published(pkg, review.state(package.id))


@tk.chained_action
def dcat_dataset_show(up, context: dict[str, Any], data_dict: dict[str, Any]):
    if not _published_package(str(data_dict.get("id") or "")):
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return up(context, data_dict)


def _narrowed(data_dict: dict[str, Any]) -> dict[str, Any]:
    asked = str(data_dict.get("fq") or "").strip()
    fq = published.SEARCH_FILTER + (f" +({asked})" if asked else "")
    return {**data_dict, "fq": fq}


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_show(up, context: dict[str, Any], data_dict: dict[str, Any]):
    return up(context, _narrowed(data_dict))


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_search(up, context: dict[str, Any], data_dict: dict[str, Any]):
    return up(context, _narrowed(data_dict))
