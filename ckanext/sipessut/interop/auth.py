"""Who may use the interop actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut.interop import daftar_data


def daftar_data_import(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """System administrators and the Walidata's editors and admins."""
    if daftar_data.may_import(context.get("user") or ""):
        return {"success": True}
    return {
        "success": False,
        "msg": tk._("Only system administrators and the Walidata may import."),
    }


def read_kegiatan(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Whoever may read the kegiatan (package_show decides)."""
    return {"success": True}


@tk.auth_allow_anonymous_access
def public(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    return {"success": True}


AUTH_FUNCTIONS = {
    "sipessut_daftar_data_import": daftar_data_import,
    "sipessut_indah_export": tk.auth_allow_anonymous_access(read_kegiatan),
    "sipessut_datapackage_show": public,
}
