"""Auth functions of the public-data domain: each follows the resource's own rights.

Reading a load status or a chart needs what reading the resource needs (so a private
dataset stays private); loading needs the right to edit the resource.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk


def _allowed(action: str, context, data_dict) -> dict:
    resource_id = (data_dict or {}).get("id") or (data_dict or {}).get("resource_id")
    if not resource_id:
        return {"success": False, "msg": tk._("A resource id is required.")}
    try:
        tk.check_access(action, context, {"id": resource_id})
    except tk.ObjectNotFound:
        return {"success": False, "msg": tk._("Resource not found.")}
    except tk.NotAuthorized:
        return {"success": False}
    return {"success": True}


@tk.auth_allow_anonymous_access
def read(context, data_dict) -> dict:
    return _allowed("resource_show", context, data_dict)


def edit(context, data_dict) -> dict:
    return _allowed("resource_update", context, data_dict)
