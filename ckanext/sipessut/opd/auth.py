"""Auth functions of the OPD registry."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


def sysadmin_only(context, data_dict) -> dict:
    """Sync, merge and export change or reveal the whole registry: sysadmins
    only (CKAN lets sysadmins through before calling this)."""
    return {"success": False, "msg": tk._("Only a system administrator can do this.")}


@tk.auth_allow_anonymous_access
def public(context, data_dict) -> dict:
    """Resolving a name and reading an OPD's history use public information:
    organizations, their names and codes are public in CKAN."""
    return {"success": True}
