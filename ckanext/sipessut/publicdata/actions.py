"""Actions of the public-data domain (their auth functions are in auth.py)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut.publicdata import chart, jobs, messages, model, settings


def current_lang() -> str:
    """The page's language, or the portal's default outside a request (API, jobs)."""
    try:
        return tk.h.lang() or tk.config.get("ckan.locale_default") or "id"
    except RuntimeError:
        return tk.config.get("ckan.locale_default") or "id"


def _resource(data_dict: dict[str, Any]) -> dict[str, Any]:
    resource_id = data_dict.get("id") or data_dict.get("resource_id")
    if not resource_id:
        raise tk.ValidationError({"id": [tk._("Required field")]})
    return tk.get_action("resource_show")({"ignore_auth": True}, {"id": resource_id})


def _public(load: dict[str, Any] | None) -> dict[str, Any] | None:
    if load is None:
        return None
    result = {
        key: (value.isoformat() if hasattr(value, "isoformat") else value)
        for key, value in load.items()
        if key not in ("requested_by", "job_id")
    }
    result["label"] = messages.status_label(load["status"])
    result["message"] = messages.reason_message(load.get("reason"))
    return result


def load(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """Load (or reload) one table into the DataStore: `id`, `sync` (in the request)."""
    tk.check_access("sipessut_publicdata_load", context, data_dict)
    if not settings.datastore_enabled():
        raise tk.ValidationError({"id": [messages.reason_message({"code": "datastore-off"})]})
    resource = _resource(data_dict)
    sync = tk.asbool(data_dict.get("sync", False))
    result = jobs.request_load(resource["id"], "request", context.get("user"), sync=sync)
    return _public(result) or {}


def status(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """The newest load of a table and the ones before (`id`, `limit`)."""
    tk.check_access("sipessut_publicdata_status", context, data_dict)
    resource = _resource(data_dict)
    try:
        limit = min(max(int(data_dict.get("limit", 10)), 1), 100)
    except (TypeError, ValueError) as error:
        raise tk.ValidationError({"limit": [tk._("Must be a whole number")]}) from error
    history = [_public(row) for row in model.history(resource["id"], limit)]
    return {
        "resource_id": resource["id"],
        "datastore_active": bool(resource.get("datastore_active")),
        "latest": history[0] if history else None,
        "history": history,
    }


def chart_data(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    """What a table's chart draws: `id` (resource), optional `measures`, `dimension`,
    `series`, `chart_type`, `aggregate`; `lang`."""
    tk.check_access("sipessut_publicdata_chart", context, data_dict)
    resource = _resource(data_dict)
    config = {
        key: data_dict[key]
        for key in ("measures", "dimension", "series", "chart_type", "aggregate", "chart_title")
        if key in data_dict
    }
    lang = str(data_dict.get("lang") or current_lang())[:5]
    payload = chart.chart_data(resource, config, lang)
    if payload is None:
        raise tk.ObjectNotFound(tk._("This table has no chart."))
    return payload
