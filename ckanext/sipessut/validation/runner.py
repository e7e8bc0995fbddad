"""When and how a resource is validated; how results reach the resource.

Two entry points around CKAN's own package_create/package_update (see
actions.py, which chains them), and the resource hooks (resource_create/update,
so also resource_patch and the resource form):

- `before_save` / `before_resource` look at each incoming resource: they restore
  the protected fields (users cannot set `validation_status`), take the data
  dictionary the resource will be saved with (the metadata domain turns the
  form's rows into it only later, in CKAN's validation), decide whether the file,
  the dictionary or the options changed, and validate small files right away,
  within `sync_max_seconds` (in `block` mode an invalid table stops the save
  here, before anything is written; past the time, the run moves to a job);
- `after_save` / `after_resource` record those results and queue a job for the others.

Jobs (`run_job`) run on the `sipessut` queue with an explicit timeout that holds
for every step, the download of a linked file included. A run ends once; the end
of a run never overwrites the status of a newer run (newer by creation); a run
whose job or worker died ends as `error` (see `sweep`).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model as ckan_model

from ckanext.sipessut import metadata
from ckanext.sipessut.validation import (
    check_plan,
    deadline,
    engine,
    messages,
    model,
    readers,
    settings,
    sources,
    status,
    workers,
)

log = logging.getLogger(__name__)

STATUS_FIELD = status.STATUS_FIELD
TIMESTAMP_FIELD = status.TIMESTAMP_FIELD
PROTECTED_FIELDS = (STATUS_FIELD, TIMESTAMP_FIELD)
# Hand-offs where CKAN leaves no other channel (each is set and read in this module only):
# - INTERNAL, in the context: set by set_resource_status on our own writes of the protected
#   fields, read by _handle (is_internal), which then neither protects nor validates;
# - HANDLED, on a resource dict: set by before_resource (resource_create/update hooks) on
#   the resource they validate, read and removed by before_save (the chained package_update
#   those actions call), so that the resource is not handled twice nor saved with the marker;
# - RESOURCE_ITEM, in the context: set by before_resource, read and removed by
#   after_resource (CKAN gives the two resource hooks the same context, nothing else).
INTERNAL = "sipessut_validation_internal"
HANDLED = "__sipessut_validation_handled"
RESOURCE_ITEM = "sipessut_validation_resource_item"
# Bumped when the engine's findings change, so that fingerprints differ.
ENGINE_VERSION = "1"


def is_internal(context: dict[str, Any]) -> bool:
    return bool(context.get(INTERNAL))


resource_format = status.resource_format
is_tabular = status.is_tabular


def fingerprint(sha256: str, dictionary_value: Any, options_value: Any) -> str:
    text = "|".join(
        (
            ENGINE_VERSION,
            sha256,
            check_plan.canonical(dictionary_value),
            check_plan.canonical(options_value),
        )
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now_iso() -> str:
    return model.now().isoformat(timespec="seconds")


# --- before and after saving ----------------------------------------------------------


@dataclass
class Pending:
    """A resource of this save that gets validated: now (report) or by a job."""

    position: int
    trigger: str
    report: dict[str, Any] | None = None
    fingerprint: str | None = None
    started: datetime.datetime | None = None
    # Seconds of the request's time budget, when the run outgrew it and moved to a job.
    moved: float | None = None


@dataclass
class SavePlan:
    items: list[Pending] = field(default_factory=list)


def before_save(
    context: dict[str, Any], data_dict: dict[str, Any], original: dict[str, Any] | None
) -> SavePlan:
    """package_create/package_update called directly (API, package_patch, package_revise)."""
    resources = data_dict.get("resources")
    plan = SavePlan()
    if not isinstance(resources, list):
        return plan
    by_id = {r["id"]: r for r in (original or {}).get("resources", []) if r.get("id")}
    # A caller that commits later (defer_commit) gets protection but no validation:
    # results are recorded and jobs queued only once the data is committed.
    validate = not context.get("defer_commit")
    for position, resource in enumerate(resources):
        if isinstance(resource, dict) and not resource.pop(HANDLED, False):
            previous = by_id.get(resource.get("id"))
            item = _handle(context, resource, previous, position, validate)
            if item is not None:
                plan.items.append(item)
    refused = [item for item in plan.items if _refused(item)]
    if refused:
        _refuse(resources, refused)
    return plan


def before_resource(
    context: dict[str, Any], resource: dict[str, Any], previous: dict[str, Any] | None
) -> None:
    """resource_create/update (and so resource_patch and the forms), before anything is saved.

    On CKAN 2.11 resource_create hands the upload to the uploader before it
    calls package_update, so this hook is where the uploaded file is seen on
    both lines. The pending item waits in the context for `after_resource`.
    """
    item = _handle(context, resource, previous, 0)
    resource[HANDLED] = True
    if item is None:
        context.pop(RESOURCE_ITEM, None)
        return
    if _refused(item):
        assert item.report is not None
        raise tk.ValidationError({"validation": [messages.summary(item.report)]})
    context[RESOURCE_ITEM] = item


def after_resource(context: dict[str, Any], resource: dict[str, Any]) -> None:
    item = context.pop(RESOURCE_ITEM, None)
    if item is not None:
        _store(context, [(item, resource["id"], resource["package_id"])])


def _handle(
    context: dict[str, Any],
    resource: dict[str, Any],
    previous: dict[str, Any] | None,
    position: int,
    validate: bool = True,
) -> Pending | None:
    internal = is_internal(context)
    if not internal:
        _protect(resource, previous)
        if previous is not None and not is_tabular(resource):
            for key in PROTECTED_FIELDS:  # no longer a table: no longer validated
                resource.pop(key, None)
    if internal or not validate or not settings.automatic() or not is_tabular(resource):
        return None
    try:
        saved = as_saved(resource)
        if not _changed(saved, previous):
            return None
        return _prepare(resource, saved, previous, position)
    except metadata.DictionaryError:
        return None  # the save is refused for its dictionary; the metadata validator says why
    except tk.ValidationError:
        raise
    except Exception:  # never lose an upload because validation broke
        log.exception("sipessut validation: could not prepare resource %s", position)
        resource[STATUS_FIELD] = status.PENDING
        return Pending(position, "update" if previous else "create")


def as_saved(resource: dict[str, Any]) -> dict[str, Any]:
    """What validation reads of a resource being saved, as it will be saved.

    The data dictionary is the one the metadata domain's validator stores: the
    resource form sends the dictionary's rows (or a JSON file), not the field,
    and CKAN turns them into it only after these hooks have run. Raises
    metadata.DictionaryError when the save will be refused for the dictionary.
    """
    saved = dict(resource)
    dictionary = metadata.saved_dictionary(resource)
    if dictionary is None:
        saved.pop(check_plan.FIELD, None)
    else:
        saved[check_plan.FIELD] = dictionary
    return saved


def _protect(resource: dict[str, Any], previous: dict[str, Any] | None) -> None:
    """Only validation writes validation_status/_timestamp; a user's value is replaced."""
    for key in PROTECTED_FIELDS:
        if previous is not None and previous.get(key) not in (None, ""):
            resource[key] = previous[key]
        else:
            resource.pop(key, None)


def _changed(resource: dict[str, Any], previous: dict[str, Any] | None) -> bool:
    if previous is None or _upload_of(resource) is not None:
        return True
    if str(resource.get("url") or "") != str(previous.get("url") or ""):
        return True
    for key in (check_plan.FIELD, check_plan.OPTIONS_FIELD):
        if check_plan.canonical(resource.get(key)) != check_plan.canonical(previous.get(key)):
            return True
    return not is_tabular(previous)


def _upload_of(resource: dict[str, Any]) -> Any:
    upload = resource.get("upload")
    if upload is not None and getattr(upload, "filename", None) and hasattr(upload, "stream"):
        return upload
    return None


def _prepare(
    resource: dict[str, Any], saved: dict[str, Any], previous: dict[str, Any] | None, position: int
) -> Pending | None:
    """Validate now what the request holds, within its time budget; else leave it to a job.

    `resource` is the dict CKAN saves (its status is set here), `saved` what it will be
    saved as (see as_saved).
    """
    trigger = "update" if previous else "create"
    item = Pending(position, trigger)
    upload = _upload_of(saved)
    budget = settings.sync_max_seconds()
    sync_limit = settings.sync_max_bytes() if budget > 0 else 0
    limits = settings.engine_settings()
    source: contextlib.AbstractContextManager[str] | None = None
    if upload is not None:
        stream = upload.stream
        size = sources.stream_size(stream)
        if size <= sync_limit:
            source = sources.from_stream(stream, limits.max_bytes)
        elif previous is not None and size <= limits.max_bytes:
            # Unchanged content (the same file uploaded again) is not validated again.
            sha = _hash_stream(stream)
            if _same_as_last(previous["id"], sha, saved):
                return None
    elif (
        previous is not None
        and previous.get("url_type") == "upload"
        and saved.get("url_type") == "upload"  # still the stored file, not a new link
    ):
        size = sources.stored_size(previous)
        if size is not None and size <= sync_limit:
            source = sources.from_storage(previous, limits.max_bytes)
    elif sync_limit and settings.mode() == "block" and saved.get("url"):
        source = sources.from_url(
            str(saved["url"]),
            max_bytes=min(sync_limit, limits.max_bytes),
            timeout=settings.url_timeout(),
            allow_private=settings.url_allow_private(),
        )
    if source is None:
        resource[STATUS_FIELD] = status.PENDING
        return item
    item.started = model.now()
    try:
        with deadline.limit(budget), source as path:
            report, item.fingerprint = validate_path(path, saved)
    except deadline.Exceeded:
        # Too slow for a web request: the save stands and a job takes over.
        resource[STATUS_FIELD] = status.PENDING
        item.moved = budget
        return item
    except readers.FileProblem as problem:
        if problem.code == "too-large" and saved.get("url") and upload is None:
            resource[STATUS_FIELD] = status.PENDING  # too big to fetch now: the job will
            return item
        report = engine.failure_report(problem.code, problem.params)
    if (
        previous is not None
        and item.fingerprint
        and _same_fingerprint_as_last(previous["id"], item.fingerprint)
    ):
        return None
    item.report = report
    resource[STATUS_FIELD] = report["status"]
    resource[TIMESTAMP_FIELD] = now_iso()
    return item


def _hash_stream(stream: Any) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def _same_as_last(resource_id: str, sha256: str, resource: dict[str, Any]) -> bool:
    return _same_fingerprint_as_last(
        resource_id,
        fingerprint(sha256, resource.get(check_plan.FIELD), resource.get(check_plan.OPTIONS_FIELD)),
    )


def _same_fingerprint_as_last(resource_id: str, value: str) -> bool:
    last = model.latest(resource_id, model.FINISHED)
    return bool(last and last.get("fingerprint") == value)


def _refused(item: Pending) -> bool:
    return (
        settings.mode() == "block"
        and item.report is not None
        and item.report["status"] in (status.INVALID, status.ERROR)
    )


def _refuse(resources: list[Any], refused: list[Pending]) -> None:
    """Stop the save: errors at the failing resources' positions, as CKAN reports them."""
    errors: list[dict[str, Any]] = [{} for _ in resources]
    for item in refused:
        assert item.report is not None
        errors[item.position] = {"validation": [messages.summary(item.report)]}
    raise tk.ValidationError({"resources": errors})


def after_save(context: dict[str, Any], plan: SavePlan, result: Any) -> None:
    if not plan.items:
        return
    package = result if isinstance(result, dict) else None
    if package is None or "resources" not in package:
        package = tk.get_action("package_show")(
            {"ignore_auth": True}, {"id": result if isinstance(result, str) else result["id"]}
        )
    saved = package.get("resources") or []
    _store(
        context,
        [
            (item, saved[item.position]["id"], package["id"])
            for item in plan.items
            if item.position < len(saved)
        ],
    )


def _store(context: dict[str, Any], items: list[tuple[Pending, str, str]]) -> None:
    """Record the results of this request and queue jobs for the rest."""
    queued = []
    finished = []
    moved: float | None = None
    for item, resource_id, package_id in items:
        run = model.create(resource_id, package_id, item.trigger, context.get("user"))
        if item.report is not None:
            _finish(run["id"], resource_id, item.report, item.fingerprint, item.started)
            finished.append((resource_id, item.report["status"], run["id"]))
        else:
            if item.moved is not None:
                moved = item.moved
                model.update(run["id"], summary=moved_summary(item.moved))
            queued.append(run["id"])
    ckan_model.Session.commit()
    for run_id in queued:
        enqueue(run_id)
    for resource_id, value, run_id in finished:
        # The save wrote this status before the run existed: an older run that ended in
        # between took itself for the newest and may have written over it.
        _publish(run_id, resource_id, value, model.now(), unless_shown=True)
        announce(resource_id, value, run_id)
    if moved is not None:
        tell_moved(context, moved)


# --- moved to the background ------------------------------------------------------------

MOVED = "moved-to-background"


def moved_summary(seconds: float) -> dict[str, Any]:
    """The summary of a run that outgrew a web request's time budget and waits for a job."""
    return {"status": status.PENDING, "notice": MOVED, "seconds": seconds}


def moved_seconds(run: dict[str, Any] | None) -> float | None:
    """The budget a run outgrew in a web request, while its job has not finished it."""
    if not run or run.get("status") not in model.UNFINISHED:
        return None
    summary = run.get("summary") or {}
    return summary.get("seconds") if summary.get("notice") == MOVED else None


def moved_message(seconds: float) -> str:
    return tk._(
        "Checking this table takes longer than {seconds} seconds, so it continues in the "
        "background. Your changes are saved; the validation report will be ready in a moment."
    ).format(seconds=_number(seconds))


def _number(value: float) -> str:
    """2.5 as the user writes it (2,5 in Indonesian)."""
    try:
        from flask_babel import format_decimal

        return str(format_decimal(value))
    except Exception:  # outside a request: no locale to follow
        return f"{value:g}"


def tell_moved(context: dict[str, Any], seconds: float) -> None:
    """Tell the person who saved through a web form (API callers see `pending`)."""
    from flask import has_request_context

    if context.get("api_version") or not has_request_context():
        return
    with contextlib.suppress(Exception):  # a page without a session still saves
        tk.h.flash_notice(moved_message(seconds))


# --- recording results -------------------------------------------------------------


def _finish(
    run_id: str,
    resource_id: str,
    report: dict[str, Any],
    value: str | None,
    started: datetime.datetime | None,
) -> bool:
    """Record a run's result, once: False when the run had already ended (e.g. swept)."""
    ended = model.finish(
        run_id,
        status=report["status"],
        fingerprint=value,
        started=started or model.now(),
        finished=model.now(),
        summary=summary_of(report),
        report=_storable(report),
    )
    if ended:
        model.trim(resource_id, settings.history())
    return ended


def _storable(value: Any) -> Any:
    """A report as PostgreSQL's JSONB takes it: a NUL in a cell (a workbook may hold one,
    written `_x0000_`), which JSONB refuses, is shown as U+FFFD."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item) for item in value]
    return value


def summary_of(report: dict[str, Any]) -> dict[str, Any]:
    return {
        "status": report.get("status"),
        "reason": report.get("reason"),
        "error_counts": report.get("error_counts", {}),
        "rows": (report.get("stats") or {}).get("rows"),
        "errors": (report.get("stats") or {}).get("errors", 0),
    }


def validate_path(path: str, resource: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """Validate a local file against the resource's dictionary and options."""
    limits = settings.engine_settings()
    try:
        scanned = readers.scan(path, limits.max_bytes)
    except readers.FileProblem as problem:
        return engine.failure_report(problem.code, problem.params), None
    value = fingerprint(
        scanned.sha256, resource.get(check_plan.FIELD), resource.get(check_plan.OPTIONS_FIELD)
    )
    report = engine.validate_against(
        path,
        declared_format=resource_format(resource),
        dictionary_value=resource.get(check_plan.FIELD),
        options_value=resource.get(check_plan.OPTIONS_FIELD),
        settings=limits,
        fingerprint=scanned,
    )
    return report, value


@contextlib.contextmanager
def file_of(resource: dict[str, Any]) -> Iterator[str]:
    """The resource's file as a local path: its stored upload or its link."""
    limits = settings.engine_settings()
    if resource.get("url_type") == "upload":
        with sources.from_storage(resource, limits.max_bytes) as path:
            yield path
        return
    url = str(resource.get("url") or "")
    if not url:
        raise readers.FileProblem("file-missing", detail="")
    with sources.from_url(
        url,
        max_bytes=limits.max_bytes,
        timeout=settings.url_timeout(),
        allow_private=settings.url_allow_private(),
    ) as path:
        yield path


def set_resource_status(resource_id: str, value: str | None, timestamp: str | None) -> None:
    """Write the protected fields through resource_patch, without validating again."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    context = {"ignore_auth": True, "user": site_user["name"], INTERNAL: True}
    tk.get_action("resource_patch")(
        context, {"id": resource_id, STATUS_FIELD: value, TIMESTAMP_FIELD: timestamp}
    )


# --- jobs ----------------------------------------------------------------------------


def request_run(
    resource: dict[str, Any],
    trigger: str,
    user: str | None,
    force: bool,
    sync: bool = False,
    seconds: float | None = None,
) -> dict[str, Any]:
    """Create a run for a resource and validate it now (`sync`, within `seconds`: by
    default a web request's `sync_max_seconds`) or through a job."""
    run = model.create(resource["id"], resource["package_id"], trigger, user)
    ckan_model.Session.commit()
    if sync:
        run_job(run["id"], force=force, seconds=seconds)
    else:
        _mark_pending(resource)
        enqueue(run["id"], force=force)
    return model.get(run["id"], with_report=False) or run


def _mark_pending(resource: dict[str, Any]) -> None:
    if resource.get(STATUS_FIELD) != status.PENDING:
        set_resource_status(resource["id"], status.PENDING, resource.get(TIMESTAMP_FIELD))


def enqueue(run_id: str, force: bool = False) -> None:
    """Queue the run's job. Without a reachable queue the run ends as error; the save stands."""
    try:
        job = _enqueue(run_id, force)
    except Exception as error:  # Redis down: the resource is saved all the same
        log.exception("sipessut validation: could not queue run %s", run_id)
        finish_with_error(run_id, "job-failed", {"detail": f"queue: {str(error)[:200]}"})
        return
    model.update(run_id, job_id=job.id)
    ckan_model.Session.commit()


def _enqueue(run_id: str, force: bool) -> Any:
    return tk.enqueue_job(
        run_job,
        [run_id],
        {"force": force},
        title=f"sipessut validation {run_id}",
        queue=settings.queue(),
        rq_kwargs={
            "timeout": settings.job_timeout(),
            "on_failure": job_failed,
            "job_id": f"sipessut-validation-{run_id}",
        },
    )


def run_job(run_id: str, force: bool = False, seconds: float | None = None) -> None:
    """Validate the resource of one run and record the result: the background job
    (within `job_timeout`), or a run asked for now (*Validasi ulang*, the CLI's
    `--sync`) within `seconds`, by default a web request's `sync_max_seconds`: past
    them the run moves to a job."""
    job = workers.current_job()
    if job is not None:
        workers.record_horse(job)
        sweep_now_and_then()  # a live worker ends the runs of dead ones
    run = model.get(run_id, with_report=False)
    if run is None or run["status"] not in model.UNFINISHED:
        return
    run["started"] = model.now()
    model.update(run_id, status=model.RUNNING, started=run["started"])
    ckan_model.Session.commit()
    if job is not None:
        seconds = settings.job_timeout()
    elif seconds is None:
        seconds = settings.sync_max_seconds()
    try:
        # RQ's alarm bounds the job too; this limit also holds where a library's broad
        # `except Exception` would swallow that alarm.
        with deadline.limit(seconds):
            _run(run, force)
    except deadline.Exceeded:
        ckan_model.Session.rollback()
        if job is not None:
            finish_with_error(run_id, "job-timeout", {"limit": settings.job_timeout()})
        else:
            _move_to_background(run, seconds, force)
    except Exception as error:
        ckan_model.Session.rollback()
        if type(error).__name__ == "JobTimeoutException":
            finish_with_error(run_id, "job-timeout", {"limit": settings.job_timeout()})
        else:
            log.exception("sipessut validation run %s failed", run_id)
            finish_with_error(run_id, "internal-error", {"detail": str(error)[:300]})
        if job is not None:
            raise  # RQ records the failure too


def _move_to_background(run: dict[str, Any], seconds: float, force: bool) -> None:
    """A run of a web request that outgrew its time: back to pending, for a job."""
    model.update(run["id"], status=model.PENDING, started=None, summary=moved_summary(seconds))
    ckan_model.Session.commit()
    with contextlib.suppress(tk.ObjectNotFound):
        _mark_pending(
            tk.get_action("resource_show")({"ignore_auth": True}, {"id": run["resource_id"]})
        )
    enqueue(run["id"], force=force)


def _run(run: dict[str, Any], force: bool) -> None:
    try:
        resource = tk.get_action("resource_show")({"ignore_auth": True}, {"id": run["resource_id"]})
    except tk.ObjectNotFound:
        model.finish(run["id"], status=model.SKIPPED, finished=model.now())
        ckan_model.Session.commit()
        return
    newest = model.latest(run["resource_id"])
    if newest and newest["id"] != run["id"]:  # a newer run will report
        model.finish(run["id"], status=model.SKIPPED, finished=model.now())
        ckan_model.Session.commit()
        return
    try:
        with file_of(resource) as path:
            report, value = validate_path(path, resource)
    except readers.FileProblem as problem:
        report, value = engine.failure_report(problem.code, problem.params), None
    last = model.latest(run["resource_id"], model.FINISHED)
    if not force and value and last and last.get("fingerprint") == value:
        skipped = model.finish(
            run["id"], status=model.SKIPPED, finished=model.now(), fingerprint=value
        )
        ckan_model.Session.commit()
        if skipped:
            _publish(run["id"], run["resource_id"], last["status"], last["finished"])
        return
    ended = _finish(run["id"], run["resource_id"], report, value, run.get("started"))
    ckan_model.Session.commit()
    if ended and _publish(run["id"], run["resource_id"], report["status"], model.now()):
        announce(run["resource_id"], report["status"], run["id"])


def _publish(
    run_id: str,
    resource_id: str,
    value: str,
    when: datetime.datetime | None,
    unless_shown: bool = False,
) -> bool:
    """Write an ended run's status on the resource, unless a newer run exists.

    Newer by creation, whatever order runs end in: an older run that ends late (a
    stranded job swept, a slow one) never overwrites the result of a newer one. The
    check and the write happen under the resource's lock, so that no other run's
    check and write come between them. `unless_shown`: only if the resource shows
    another status (the save already wrote it).
    """
    model.lock_resource(resource_id)
    newest = model.latest(resource_id)
    current = _shown_status(resource_id) if unless_shown else None
    if (newest and newest["id"] != run_id) or (unless_shown and current == value):
        ckan_model.Session.commit()  # releases the lock
        return False
    timestamp = when.isoformat(timespec="seconds") if when else None
    try:
        set_resource_status(resource_id, value, timestamp)  # commits: releases the lock
    except BaseException:
        ckan_model.Session.rollback()
        raise
    return True


def _shown_status(resource_id: str) -> Any:
    """The status the resource shows now, read from the database (not the session's copy)."""
    import sqlalchemy as sa

    table = ckan_model.resource_table
    extras = ckan_model.Session.execute(
        sa.select(table.c.extras).where(table.c.id == resource_id)
    ).scalar()
    return (extras or {}).get(STATUS_FIELD)


# Sent once a run's result is the resource's status and committed, in the request (small
# files) or in the job: sender = the resource id, status = valid / invalid / error,
# run_id. Later domains subscribe through CKAN's ISignal (e.g. to load a valid table into
# the DataStore); validation knows nothing of them.
finished = tk.signals.ckanext.signal(
    "sipessut_validation_finished", "A resource's validation finished (sender: resource id)"
)


def announce(resource_id: str, value: str, run_id: str) -> None:
    try:
        finished.send(resource_id, status=value, run_id=run_id)
    except Exception:  # a subscriber's failure never undoes the validation
        log.exception("sipessut validation: a subscriber failed for resource %s", resource_id)


def finish_with_error(run_id: str, code: str, params: dict[str, Any]) -> bool:
    """End a run as `error` for `code`; False when it had already ended."""
    run = model.get(run_id, with_report=False)
    if run is None or run["status"] not in model.UNFINISHED:
        return False
    report = engine.failure_report(code, params)
    if not _finish(run_id, run["resource_id"], report, None, run.get("started")):
        ckan_model.Session.commit()
        return False
    ckan_model.Session.commit()
    with contextlib.suppress(tk.ObjectNotFound):
        if _publish(run_id, run["resource_id"], status.ERROR, model.now()):
            announce(run["resource_id"], status.ERROR, run_id)
    return True


def job_failed(job: Any, connection: Any, kind: Any, value: Any, traceback: Any) -> None:
    """RQ's failure callback: the job raised, timed out or its work horse died."""
    run_id = (job.args or [None])[0]
    if not run_id:
        return
    code = "job-timeout" if kind is not None and kind.__name__ == "JobTimeoutException" else None
    params: dict[str, Any] = {"limit": settings.job_timeout()} if code else {}
    if code is None:
        code, params = "job-failed", {"detail": str(value)[:300] if value else ""}
    finish_with_error(run_id, code, params)


def forget_resource(resource_id: str) -> None:
    """Reports hold previews of the data: they go with a deleted resource."""
    model.delete_for([resource_id])
    ckan_model.Session.commit()


# --- runs left behind ------------------------------------------------------------------

# A run without a job (not queued yet, or validated inside a web request) is taken for
# lost this long after it should have ended.
GRACE_SECONDS = 60
# Workers sweep at most this often, whichever of them starts a job.
SWEEP_EVERY_SECONDS = 30


def sweep(resource_id: str | None = None) -> int:
    """End as `error` the runs whose job or worker died; returns how many were ended.

    RQ is asked whether each run's job is still alive (workers.py): waiting in its
    queue, or started by a process that still runs. A job gone from Redis, failed,
    stopped or whose worker and work horse died together ends its run at once,
    without waiting for RQ's own expiry.
    """
    ended = 0
    for run in model.unfinished(resource_id):
        if _stranded(run) and finish_with_error(run["id"], "worker-lost", {}):
            ended += 1
    return ended


def _stranded(run: dict[str, Any]) -> bool:
    if run.get("job_id"):
        return not workers.job_alive(run["job_id"])
    # Not queued yet (between its creation and its job), or validated in a web request.
    seconds = GRACE_SECONDS
    if run["status"] == model.RUNNING:
        seconds += settings.sync_max_seconds()
    since = run.get("started") or run["created"]
    return model.now() - since > datetime.timedelta(seconds=seconds)


def sweep_now_and_then() -> None:
    """Sweep from a worker starting a job, at most every SWEEP_EVERY_SECONDS over all workers."""
    from ckan.lib.redis import connect_to_redis

    try:
        key = f"{tk.config.get('ckan.site_id')}:sipessut:validation:swept"
        if connect_to_redis().set(key, "1", nx=True, ex=SWEEP_EVERY_SECONDS):
            sweep()
    except Exception:  # the job itself matters more than the sweep
        ckan_model.Session.rollback()
        log.exception("sipessut validation: sweep failed")
