"""When a table goes into the DataStore, and the background job that loads it.

Validation tells (its `finished_signal`) when a table's result is known: a `valid` table
(or an `invalid` one, if the portal allows it) is queued for loading; a table that may
no longer be public in the DataStore (invalid, restricted access) has its table removed.
The job reads the file as validation read it, loads the public columns into a new table,
swaps it in, marks the resource `datastore_active` and gives it its views (CKAN's
datatables_view, our chart). Every load is a row in `sipessut_publicdata_load`, whose
newest row is the status on the resource page; a failure keeps its reason.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
from ckan import model as ckan_model

from ckanext.sipessut import validation
from ckanext.sipessut.publicdata import access, chart, columns, loader, model, settings

log = logging.getLogger(__name__)

CHART_VIEW = "sipessut_chart"
TABLE_VIEW = "datatables_view"


# --- triggers --------------------------------------------------------------------------


def on_validation_finished(sender: str, **kwargs: Any) -> None:
    """Subscriber of validation's finished_signal (sender: the resource id)."""
    if not settings.automatic():
        return
    status = kwargs.get("status")
    if status == validation.VALID or (status == validation.INVALID and settings.load_invalid()):
        request_load(sender, "validation", None, validation_run_id=kwargs.get("run_id"))
    elif status == validation.INVALID:
        _withdraw(sender, "not-valid", {"status": status})


def request_load(
    resource_id: str,
    trigger: str,
    user: str | None,
    validation_run_id: str | None = None,
    sync: bool = False,
) -> dict[str, Any]:
    """Record a load and run it now (`sync`) or queue its job."""
    resource = tk.get_action("resource_show")({"ignore_auth": True}, {"id": resource_id})
    load = model.create(resource_id, resource["package_id"], trigger, user, validation_run_id)
    ckan_model.Session.commit()
    if sync:
        run_job(load["id"])
    else:
        enqueue(load["id"])
    return model.get(load["id"]) or load


def enqueue(load_id: str) -> None:
    try:
        job = tk.enqueue_job(
            run_job,
            [load_id],
            title=f"sipessut publicdata {load_id}",
            queue=settings.queue(),
            rq_kwargs={
                "timeout": settings.job_timeout(),
                "on_failure": job_failed,
                "job_id": f"sipessut-publicdata-{load_id}",
            },
        )
    except Exception as error:  # Redis down: the resource stays as it is
        log.exception("sipessut publicdata: could not queue load %s", load_id)
        finish(load_id, model.ERROR, "job-failed", {"detail": f"queue: {str(error)[:200]}"})
        return
    model.update(load_id, job_id=job.id)
    ckan_model.Session.commit()


# --- the job -----------------------------------------------------------------------------


def run_job(load_id: str) -> None:
    load = model.get(load_id)
    if load is None or load["status"] not in model.UNFINISHED:
        return
    model.update(load_id, status=model.RUNNING, started=model.now())
    ckan_model.Session.commit()
    try:
        _run(load)
    except Exception as error:
        ckan_model.Session.rollback()
        if type(error).__name__ == "JobTimeoutException":
            finish(load_id, model.ERROR, "job-timeout", {"limit": settings.job_timeout()})
        else:
            log.exception("sipessut publicdata load %s failed", load_id)
            finish(load_id, model.ERROR, "internal-error", {"detail": str(error)[:300]})
        if _in_worker():
            raise


def _in_worker() -> bool:
    import rq

    return rq.get_current_job() is not None


def _run(load: dict[str, Any]) -> None:
    load_id, resource_id = load["id"], load["resource_id"]
    try:
        resource = tk.get_action("resource_show")({"ignore_auth": True}, {"id": resource_id})
        package = tk.get_action("package_show")({"ignore_auth": True}, {"id": load["package_id"]})
    except tk.ObjectNotFound:
        finish(load_id, model.SKIPPED, "resource-gone", {})
        return
    newest = model.latest(resource_id)
    if newest and newest["id"] != load_id:
        finish(load_id, model.SKIPPED, "superseded", {})
        return
    reason = _not_loadable(package, resource)
    if reason is not None:
        code, params = reason
        _drop_table(resource)
        finish(load_id, model.SKIPPED, code, params)
        return
    try:
        with validation.read_table(resource) as table:
            load_columns = columns.load_columns(table.columns)
            wanted = {c.id for c in load_columns}
            positions = [i for i, c in enumerate(table.columns) if c.name in wanted]
            dictionary = validation.dictionary_of(resource) or {}
            primary_key = dictionary.get("primaryKey") or []
            if isinstance(primary_key, str):
                primary_key = [primary_key]
            rows = (
                [values[i] if i < len(values) else None for i in positions] for values in table.rows
            )
            count = loader.Load(resource_id, load_columns, primary_key).run(rows)
            details = {
                "columns": [{"id": c.id, "type": c.pg_type} for c in load_columns],
                "masked": [c.name for c in table.columns if not c.public],
                "bad_cells": table.bad_cells,
                "row_limit_reached": table.row_limit_reached,
                "source": table.source,
            }
    except validation.TABLE_PROBLEMS as problem:
        finish(load_id, model.ERROR, problem.code, dict(problem.params))
        return
    except columns.ColumnProblem as problem:
        finish(load_id, model.ERROR, problem.code, dict(problem.params))
        return
    _mark_active(resource)
    _ensure_views(resource, dictionary)
    model.update(
        load_id,
        status=model.LOADED,
        finished=model.now(),
        rows=count,
        reason=None,
        details=details,
    )
    model.trim(resource_id, settings.history())
    ckan_model.Session.commit()


def _not_loadable(
    package: dict[str, Any], resource: dict[str, Any]
) -> tuple[str, dict[str, Any]] | None:
    if access.restricted(package):
        return "restricted", {"access": package.get(access.ACCESS_FIELD)}
    if validation.dictionary_of(resource) is None:
        return "no-dictionary", {}
    status = validation.status_of(resource)
    if status == validation.VALID:
        return None
    if status == validation.INVALID and settings.load_invalid():
        return None
    return "not-valid", {"status": status}


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": site_user["name"]}


def _mark_active(resource: dict[str, Any]) -> None:
    if not resource.get("datastore_active"):
        tk.get_action("resource_patch")(
            _site_context(), {"id": resource["id"], "datastore_active": True}
        )


I18N_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n")


def _in_portal_language(message: str) -> str:
    """A view title in the portal's default language (a job has no visitor's language):
    read from the extension's own compiled catalog."""
    from babel.support import Translations

    locale = tk.config.get("ckan.locale_default") or "id"
    return Translations.load(I18N_DIR, [locale], "ckanext-sipessut").gettext(message)


def _ensure_views(resource: dict[str, Any], dictionary: dict[str, Any]) -> None:
    """CKAN's table preview first, then our chart (when the table has something to draw)."""
    context = _site_context()
    existing = {
        v["view_type"] for v in tk.get_action("resource_view_list")(context, {"id": resource["id"]})
    }
    if TABLE_VIEW not in existing and plugins.plugin_loaded(TABLE_VIEW):
        tk.get_action("resource_view_create")(
            context,
            {
                "resource_id": resource["id"],
                "view_type": TABLE_VIEW,
                "title": _in_portal_language("Table"),
            },
        )
    config = chart.default_config(dictionary)
    if CHART_VIEW not in existing and config is not None:
        tk.get_action("resource_view_create")(
            context,
            {
                "resource_id": resource["id"],
                "view_type": CHART_VIEW,
                "title": _in_portal_language("Chart"),
                **{k: v for k, v in config.items() if v not in ("", None)},
            },
        )


def _drop_table(resource: dict[str, Any]) -> None:
    """A table that may not (or no longer) be public in the DataStore is removed."""
    if resource.get("datastore_active") or loader.table_exists(resource["id"]):
        try:
            tk.get_action("datastore_delete")(
                _site_context(), {"resource_id": resource["id"], "force": True}
            )
        except tk.ObjectNotFound:
            loader.drop(resource["id"])


def _withdraw(resource_id: str, code: str, params: dict[str, Any]) -> None:
    """Record why a table is not loaded, and remove a version loaded before."""
    try:
        resource = tk.get_action("resource_show")({"ignore_auth": True}, {"id": resource_id})
    except tk.ObjectNotFound:
        return
    load = model.create(resource_id, resource["package_id"], "validation", None)
    try:
        _drop_table(resource)
    except Exception:
        log.exception("sipessut publicdata: could not remove the table of %s", resource_id)
    model.update(
        load["id"],
        status=model.SKIPPED,
        finished=model.now(),
        reason={"code": code, "params": params},
    )
    model.trim(resource_id, settings.history())
    ckan_model.Session.commit()


def enqueue_withdrawal(package_id: str) -> None:
    """From a hook inside package_update (whose transaction must not be committed here):
    a job takes the tables of a dataset that became Terbatas or Tertutup out of the
    DataStore. Such a dataset is private meanwhile (it may not be public)."""
    try:
        tk.enqueue_job(
            withdraw_restricted,
            [package_id],
            title=f"sipessut publicdata withdraw {package_id}",
            queue=settings.queue(),
            rq_kwargs={"timeout": settings.job_timeout()},
        )
    except Exception:
        log.exception("sipessut publicdata: could not queue the withdrawal of %s", package_id)


def withdraw_restricted(package_id: str) -> None:
    """A dataset that became Terbatas or Tertutup: its tables leave the DataStore."""
    package = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
    if not access.restricted(package):
        return
    for resource in package.get("resources") or []:
        if resource.get("datastore_active"):
            _withdraw(resource["id"], "restricted", {"access": package.get(access.ACCESS_FIELD)})


def finish(load_id: str, status: str, code: str, params: dict[str, Any]) -> None:
    model.update(
        load_id, status=status, finished=model.now(), reason={"code": code, "params": params}
    )
    load = model.get(load_id)
    if load:
        model.trim(load["resource_id"], settings.history())
    ckan_model.Session.commit()


def job_failed(job: Any, connection: Any, kind: Any, value: Any, traceback: Any) -> None:
    """RQ's failure callback: the job raised, timed out or its work horse died."""
    load_id = (job.args or [None])[0]
    load = model.get(load_id) if load_id else None
    if load is None or load["status"] not in model.UNFINISHED:
        return
    if kind is not None and kind.__name__ == "JobTimeoutException":
        finish(load_id, model.ERROR, "job-timeout", {"limit": settings.job_timeout()})
    else:
        finish(load_id, model.ERROR, "job-failed", {"detail": str(value)[:300] if value else ""})


def forget_resource(resource_id: str) -> None:
    model.delete_for([resource_id])
    ckan_model.Session.commit()
