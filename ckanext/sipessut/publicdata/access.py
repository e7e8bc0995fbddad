"""What the public may read: one place for the rules of every door.

- Terbatas and Tertutup datasets (`pengaturan_akses`) are never loaded into the DataStore.
- Columns whose MS-Var says `bisa_diakses_umum: false` are never loaded; the original
  file of such a resource is for those who may edit it (its OPD, the Walidata reviewing
  it, sysadmins), and everyone else gets the DataStore version without those columns.
- A dataset that is not published (private) exposes its rows to no one who may not read
  it: the DataStore actions and dumps ask CKAN's `resource_show` auth, and so do our
  downloads and chart queries.
- `datastore_search_sql` is for sysadmins unless the portal opens it to all
  (`ckanext.sipessut.publicdata.search_sql_public`).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut import validation
from ckanext.sipessut.publicdata import columns, settings

ACCESS_FIELD = "pengaturan_akses"
RESTRICTED = ("terbatas", "tertutup")


def restricted(package: dict[str, Any]) -> bool:
    return str(package.get(ACCESS_FIELD) or "").lower() in RESTRICTED


def masked_columns(resource: dict[str, Any]) -> list[str]:
    return columns.masked_names(validation.dictionary_of(resource))


def can_read(resource_id: str) -> bool:
    try:
        tk.check_access("resource_show", {}, {"id": resource_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False
    return True


def can_edit(resource_id: str) -> bool:
    try:
        tk.check_access("resource_update", {}, {"id": resource_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False
    return True


def original_allowed(resource: dict[str, Any]) -> bool:
    """May the current user download the resource's original file?"""
    if not masked_columns(resource):
        return True
    return can_edit(resource["id"])


# --- the download route of uploads ---------------------------------------------------

DOWNLOAD_ENDPOINTS = ("resource.download", "dataset_resource.download")


def guard_download() -> Any:
    """Flask before-request hook: the original file of a resource with masked columns is
    refused to those who may not edit it; they are sent to the DataStore CSV instead."""
    from flask import request

    if request.endpoint not in DOWNLOAD_ENDPOINTS and not (request.endpoint or "").endswith(
        "_resource.download"
    ):
        return None
    resource_id = (request.view_args or {}).get("resource_id")
    if not resource_id:
        return None
    try:
        resource = tk.get_action("resource_show")({}, {"id": resource_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None  # CKAN's own view answers 404 / 403
    if original_allowed(resource):
        return None
    if resource.get("datastore_active"):
        return tk.redirect_to(
            "sipessut_publicdata.download",
            id=resource["package_id"],
            resource_id=resource_id,
            fmt="csv",
        )
    return tk.abort(
        403,
        tk._(
            "This file holds columns that are not public. Its public version is not available yet."
        ),
    )


# --- chained actions and auth ----------------------------------------------------------


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_search_sql(next_auth: Any, context: dict[str, Any], data_dict: dict[str, Any]):
    if not settings.search_sql_public():
        user = context.get("auth_user_obj")
        if user is None or not getattr(user, "sysadmin", False):
            return {
                "success": False,
                "msg": tk._("SQL queries on the DataStore are not open to the public."),
            }
    return next_auth(context, data_dict)


@tk.chained_action
def datastore_create(next_action: Any, context: dict[str, Any], data_dict: dict[str, Any]):
    """No one puts a column that is not public (MS-Var) into a DataStore table."""
    resource_id = data_dict.get("resource_id")
    if resource_id and data_dict.get("fields"):
        try:
            resource = tk.get_action("resource_show")({"ignore_auth": True}, {"id": resource_id})
        except tk.ObjectNotFound:
            resource = None
        if resource is not None:
            masked = set(masked_columns(resource))
            named = {str(f.get("id")) for f in data_dict["fields"] if isinstance(f, dict)}
            refused = sorted(masked & named)
            if refused:
                raise tk.ValidationError(
                    {
                        "fields": [
                            tk._(
                                "These columns are not public (bisa_diakses_umum: false) and "
                                "cannot be put in the DataStore: {columns}"
                            ).format(columns=", ".join(refused))
                        ]
                    }
                )
    return next_action(context, data_dict)
