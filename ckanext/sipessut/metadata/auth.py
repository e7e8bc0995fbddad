"""Auth functions of the metadata domain."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


@tk.auth_allow_anonymous_access
def codelist_read(context, data_dict) -> dict:
    """Code lists are public reference data (Kode Referensi, Perpres 39/2019 Pasal 10)."""
    return {"success": True}


@tk.auth_allow_anonymous_access
def metadata_check(context, data_dict) -> dict:
    """Who may read a dataset may see what its metadata lacks."""
    try:
        tk.check_access("package_show", context, data_dict)
    except tk.NotAuthorized:
        return {"success": False}
    return {"success": True}
