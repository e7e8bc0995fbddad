"""The datasets the Walidata features on the home page.

The choice is kept in CKAN's `system_info` table (no table of our own, no migration);
until the Walidata chooses, `ckanext.sipessut.portal.featured_datasets` says.
"""

from __future__ import annotations

import json
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.model import system_info

from ckanext.sipessut.portal import settings

SYSTEM_INFO_KEY = "ckanext.sipessut.portal.featured"
_SOLR_UNSAFE = re.compile(r'["\\]')


def chosen() -> list[str]:
    """Names (or ids) of the featured datasets: the Walidata's choice, else the configured."""
    stored = system_info.get_system_info(SYSTEM_INFO_KEY)
    if stored is None:
        return settings.featured_datasets()
    try:
        names = json.loads(stored)
    except ValueError:
        return settings.featured_datasets()
    return [str(name) for name in names] if isinstance(names, list) else []


def solr_safe(name: str) -> str:
    """A dataset name as it may stand inside a quoted Solr term."""
    return _SOLR_UNSAFE.sub("", name)


def choose(context: dict[str, Any], names: list[str]) -> list[str]:
    """Checks and stores the Walidata's choice; returns the datasets' names in order.

    Each must be an active public dataset; duplicates are dropped. A wrong name is a
    ValidationError naming it, and nothing is stored.
    """
    limit = settings.featured_limit()
    if len(names) > limit:
        raise tk.ValidationError(
            {"datasets": [tk._("Choose at most {limit} datasets.").format(limit=limit)]}
        )
    resolved: list[str] = []
    problems: list[str] = []
    for name in names:
        try:
            pkg = tk.get_action("package_show")(dict(context), {"id": name})
        except (tk.ObjectNotFound, tk.NotAuthorized):
            problems.append(tk._("No dataset is called {name}.").format(name=name))
            continue
        if pkg.get("private") or pkg.get("state") != "active":
            problems.append(
                tk._("{title} is not public: only published datasets can be featured.").format(
                    title=pkg.get("title") or name
                )
            )
        elif pkg["name"] not in resolved:
            resolved.append(pkg["name"])
    if problems:
        raise tk.ValidationError({"datasets": problems})
    system_info.set_system_info(SYSTEM_INFO_KEY, json.dumps(resolved))
    return resolved
