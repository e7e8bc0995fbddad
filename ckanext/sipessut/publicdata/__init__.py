"""Public data: validated tables in the DataStore, their preview, charts, downloads and API.

This module is the domain's published face: the other domains and plugin.py use only
the names below.

- `signal_subscriptions()` (for plugin.py's ISignal): `on_validation_finished` listens to
  validation's `finished_signal`; a valid
  table (or an invalid one with `load_invalid`) is loaded by a background job
  (jobs.py, loader.py), a table that may not stay in the DataStore is removed;
- `load_status(resource)`: the newest load of a table (status, reason, rows), or None;
- `original_is_public(resource)`: whether anyone may download the resource's original
  file (none of its columns is marked not public in its MS-Var); `public_csv_url(resource)`:
  the absolute address of its CSV from the DataStore (non-public columns left out) when
  it is loaded, else None; what exports and harvests point at instead of the original;
- the `sipessut_chart` resource view (chart_view.py) that plugin.py declares;
- the CKAN hooks plugin.py hands over (after_dataset_update, before/after_resource_delete)
  and the actions, auth functions (functions: the DataStore's are chained only when the
  `datastore` plugin is on), helpers, blueprints and CLI commands it merges.

What the public may read is decided in access.py (masked columns, restricted access,
the original download, `datastore_search_sql`).
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut import validation
from ckanext.sipessut.publicdata import access, actions, auth, chart_view, jobs, settings
from ckanext.sipessut.publicdata.cli import publicdata as _cli
from ckanext.sipessut.publicdata.helpers import HELPERS
from ckanext.sipessut.publicdata.helpers import load_status as load_status
from ckanext.sipessut.publicdata.views import blueprint


def ACTIONS() -> dict[str, Any]:  # noqa: N802 - a function: it depends on the plugins enabled
    actions_ = {
        "sipessut_publicdata_load": actions.load,
        "sipessut_publicdata_status": actions.status,
        "sipessut_publicdata_chart": actions.chart_data,
    }
    if settings.datastore_enabled():
        # No column that is not public (MS-Var) enters a DataStore table.
        actions_["datastore_create"] = access.datastore_create
    return actions_


def AUTH_FUNCTIONS() -> dict[str, Any]:  # noqa: N802
    functions = {
        "sipessut_publicdata_load": auth.edit,
        "sipessut_publicdata_status": auth.read,
        "sipessut_publicdata_chart": auth.read,
    }
    if settings.datastore_enabled():
        # datastore_search_sql only for sysadmins unless the portal opens it.
        functions["datastore_search_sql"] = access.datastore_search_sql
    return functions


BLUEPRINTS = [blueprint]
CLI_COMMANDS = [_cli]

on_validation_finished = jobs.on_validation_finished


def original_is_public(resource: dict[str, Any]) -> bool:
    return not access.masked_columns(resource)


def public_csv_url(resource: dict[str, Any]) -> str | None:
    if not resource.get("datastore_active"):
        return None
    return tk.url_for(
        "sipessut_publicdata.download",
        id=resource["package_id"],
        resource_id=resource["id"],
        fmt="csv",
        _external=True,
    )


def signal_subscriptions() -> dict[Any, list[Any]]:
    """A table whose validation finished is loaded into the DataStore (or taken out)."""
    return {validation.finished_signal: [on_validation_finished]}


chart_view_info = chart_view.info
chart_view_can_view = chart_view.can_view
chart_view_variables = chart_view.setup_template_variables
chart_view_template = chart_view.view_template
chart_view_form_template = chart_view.form_template


def after_dataset_update(context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
    """A dataset that became Terbatas or Tertutup takes its tables out of the DataStore."""
    if access.restricted(pkg_dict) and any(
        r.get("datastore_active") for r in pkg_dict.get("resources") or []
    ):
        jobs.enqueue_withdrawal(pkg_dict["id"])


# Set by before_resource_delete, read by after_resource_delete (CKAN's after hook is
# given the remaining resources, not the one deleted).
_DELETED = "sipessut_publicdata_deleted_resource"


def before_resource_delete(context: dict[str, Any], resource: dict[str, Any]) -> None:
    context[_DELETED] = resource.get("id")


def after_resource_delete(context: dict[str, Any]) -> None:
    """A deleted table's load history goes with it (CKAN drops its DataStore table)."""
    resource_id = context.pop(_DELETED, None)
    if resource_id:
        jobs.forget_resource(resource_id)


__all__ = [
    "ACTIONS",
    "AUTH_FUNCTIONS",
    "BLUEPRINTS",
    "CLI_COMMANDS",
    "HELPERS",
    "after_dataset_update",
    "after_resource_delete",
    "before_resource_delete",
    "chart_view_can_view",
    "chart_view_form_template",
    "chart_view_info",
    "chart_view_template",
    "chart_view_variables",
    "load_status",
    "on_validation_finished",
    "original_is_public",
    "public_csv_url",
]
