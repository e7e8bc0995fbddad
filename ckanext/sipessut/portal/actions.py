"""Actions of the portal: the featured datasets of the home page."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut.portal import featured, home, settings

MAX_NAME = 100


def featured_show(context, data_dict) -> dict[str, Any]:
    """The datasets featured on the home page, in order.

    :returns: ``{"datasets": [names], "limit": n}``
    """
    tk.check_access("sipessut_portal_featured_show", context, data_dict)
    return {"datasets": featured.chosen(), "limit": settings.featured_limit()}


def featured_update(context, data_dict) -> dict[str, Any]:
    """Choose the datasets featured on the home page (the Walidata's reviewers, sysadmins).

    :param datasets: names or ids of public datasets, in the order to show them (a list,
        or a comma-separated string); an empty list features none
    :returns: ``{"datasets": [names], "limit": n}``
    """
    tk.check_access("sipessut_portal_featured_update", context, data_dict)
    raw = data_dict.get("datasets", [])
    if isinstance(raw, str):
        raw = raw.split(",")
    if not isinstance(raw, list):
        raise tk.ValidationError({"datasets": [tk._("A list of dataset names is expected.")]})
    names = [str(name).strip()[:MAX_NAME] for name in raw if str(name).strip()]
    chosen = featured.choose(context, names)
    home.forget()
    return {"datasets": chosen, "limit": settings.featured_limit()}
