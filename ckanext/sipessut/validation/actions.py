"""Actions of the validation domain, and the two chained core actions.

package_create and package_update are chained (never copied): every path
that creates or changes resources (resource_create/update/patch,
package_create/update/patch/revise, the forms) goes through them.
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model as ckan_model

from ckanext.sipessut.validation import (
    check_plan,
    infer,
    model,
    readers,
    runner,
    settings,
    status,
)

log = logging.getLogger(__name__)


@tk.chained_action
def package_create(up_func, context, data_dict):
    plan = runner.before_save(context, data_dict, None)
    result = up_func(context, data_dict)
    runner.after_save(context, plan, result)
    return result


@tk.chained_action
def package_update(up_func, context, data_dict):
    plan = runner.SavePlan()
    if isinstance(data_dict.get("resources"), list):
        plan = runner.before_save(context, data_dict, _original(context, data_dict))
    result = up_func(context, data_dict)
    runner.after_save(context, plan, result)
    return result


def _original(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any] | None:
    original = context.get("original_package")
    if original:
        return original
    name_or_id = data_dict.get("id") or data_dict.get("name")
    if not name_or_id:
        return None
    try:
        return tk.get_action("package_show")(
            {"ignore_auth": True, "for_update": True}, {"id": name_or_id}
        )
    except tk.ObjectNotFound:
        return None  # core package_update says so


def _resource(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    resource_id = tk.get_or_bust(data_dict, "id")
    return tk.get_action("resource_show")(
        {"ignore_auth": True, "user": context.get("user")}, {"id": resource_id}
    )


def run(context, data_dict) -> dict[str, Any]:
    """Validate a resource now or in the background, even if nothing changed.

    :param id: the resource id
    :param sync: validate inside this request (files up to
        ``ckanext.sipessut.validation.sync_max_bytes``; larger ones are queued)
    :returns: the run (id, status, created...)
    """
    tk.check_access("sipessut_validation_run", context, data_dict)
    resource = _resource(context, data_dict)
    if not status.is_tabular(resource):
        raise tk.ValidationError(
            {"format": [tk._("Only tables (CSV, TSV, XLSX, XLS, ODS) are validated.")]}
        )
    sync = tk.asbool(data_dict.get("sync", False)) and _small(resource)
    run_row = runner.request_run(resource, "manual", context.get("user"), force=True, sync=sync)
    return _public_run(run_row)


def _small(resource: dict[str, Any]) -> bool:
    if resource.get("url_type") != "upload":
        return False
    from ckanext.sipessut.validation import sources

    size = sources.stored_size(resource)
    return (
        size is not None
        and size <= max(settings.sync_max_bytes(), 1)
        and settings.sync_max_seconds() > 0
    )


@tk.side_effect_free
def show(context, data_dict) -> dict[str, Any]:
    """The latest validation report of a resource.

    :param id: the resource id
    :param run_id: a given run of its history instead of the latest (optional)
    """
    tk.check_access("sipessut_validation_show", context, data_dict)
    resource = _resource(context, data_dict)
    try:
        runner.sweep(resource["id"])
    except Exception:  # a report stays readable when the job queue is not
        log.exception("sipessut validation: sweep of %s failed", resource["id"])
    run_id = data_dict.get("run_id")
    found = model.get(run_id) if run_id else model.latest(resource["id"])
    if not found or found["resource_id"] != resource["id"]:
        raise tk.ObjectNotFound(tk._("This resource has not been validated yet."))
    result = _public_run(found)
    result["report"] = redact(found.get("report"), resource, context)
    return result


@tk.side_effect_free
def history(context, data_dict) -> list[dict[str, Any]]:
    """The validation runs of a resource, newest first, without their reports.

    :param id: the resource id
    :param limit: how many (default: all kept)
    """
    tk.check_access("sipessut_validation_history", context, data_dict)
    resource = _resource(context, data_dict)
    limit = tk.asint(data_dict.get("limit") or settings.history())
    return [_public_run(r) for r in model.history(resource["id"], max(1, limit))]


def delete(context, data_dict) -> dict[str, Any]:
    """Delete every validation run of a resource; its status becomes "not validated".

    :param id: the resource id
    """
    tk.check_access("sipessut_validation_delete", context, data_dict)
    resource = _resource(context, data_dict)
    deleted = model.delete_for([resource["id"]])
    ckan_model.Session.commit()
    runner.set_resource_status(resource["id"], None, None)
    return {"deleted": deleted}


@tk.side_effect_free
def schema_infer(context, data_dict) -> dict[str, Any]:
    """Propose an MS-Var data dictionary (Table Schema) from a resource's table.

    Types, Indonesian number formats, required columns and candidate code
    lists are proposed; the steward reviews the proposal and saves it into
    the resource's ``data_dictionary``.

    :param id: the resource id
    :returns: ``{"data_dictionary": {...}, "notices": [...]}``
    """
    tk.check_access("sipessut_schema_infer", context, data_dict)
    resource = _resource(context, data_dict)
    options = check_plan.load_options(resource.get(check_plan.OPTIONS_FIELD))
    try:
        with runner.file_of(resource) as path:
            return infer.propose(path, status.resource_format(resource), options)
    except readers.FileProblem as problem:
        from ckanext.sipessut.validation import messages

        raise tk.ValidationError(
            {"file": [messages.reason_message({"code": problem.code, **problem.params})]}
        ) from problem


def _public_run(run_row: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "id",
        "resource_id",
        "package_id",
        "status",
        "trigger",
        "created",
        "started",
        "finished",
    )
    result = {key: run_row.get(key) for key in keys}
    for key in ("created", "started", "finished"):
        if result[key] is not None and hasattr(result[key], "isoformat"):
            result[key] = result[key].isoformat()
    result["summary"] = run_row.get("summary")
    return result


def redact(
    report: dict[str, Any] | None, resource: dict[str, Any], context: dict[str, Any]
) -> dict[str, Any] | None:
    """Hide the values of columns the dictionary marks as not public (bisa_diakses_umum: false)
    from readers who cannot edit the resource."""
    if not report:
        return report
    try:
        plan = check_plan.plan(check_plan.load(resource.get(check_plan.FIELD)))
    except check_plan.DictionaryProblem:
        return report
    hidden = {name for name, public in plan.public.items() if not public}
    if not hidden or _can_edit(context, resource):
        return report
    names = (report.get("header") or {}).get("labels") or []
    positions = {i for i, name in enumerate(names) if name in hidden}
    masked = dict(report)
    masked["errors"] = [
        {**e, "cell": "•••"} if e.get("fieldName") in hidden and "cell" in e else e
        for e in report.get("errors") or []
    ]
    masked["preview"] = [
        {**row, "cells": ["•••" if i in positions else c for i, c in enumerate(row["cells"])]}
        for row in report.get("preview") or []
    ]
    return masked


def _can_edit(context: dict[str, Any], resource: dict[str, Any]) -> bool:
    try:
        tk.check_access(
            "resource_update",
            {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")},
            {"id": resource["id"]},
        )
    except tk.NotAuthorized:
        return False
    return True
