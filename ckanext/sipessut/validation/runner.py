"""When and how a resource is validated; how results reach the resource.

Two entry points around CKAN's own package_create/package_update (see
actions.py, which chains them):

- `before_save` looks at each incoming resource: it restores the protected
  fields (users cannot set `validation_status`), decides whether the file,
  the dictionary or the options changed, and validates small files right
  away (in `block` mode an invalid table stops the save here, before anything
  is written);
- `after_save` records those results and queues a job for the others.

Jobs (`run_job`) run on the `sipessut` queue with an explicit timeout; a job
that is killed or whose worker dies ends as `error` (see `sweep`).
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

from ckanext.sipessut.validation import (
    check_plan,
    engine,
    messages,
    model,
    readers,
    settings,
    sources,
    status,
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
    if internal or not validate or not settings.automatic():
        return None
    if not is_tabular(resource) or not _changed(resource, previous):
        return None
    try:
        return _prepare(resource, previous, position)
    except tk.ValidationError:
        raise
    except Exception:  # never lose an upload because validation broke
        log.exception("sipessut validation: could not prepare resource %s", position)
        resource[STATUS_FIELD] = status.PENDING
        return Pending(position, "update" if previous else "create")


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
    resource: dict[str, Any], previous: dict[str, Any] | None, position: int
) -> Pending | None:
    trigger = "update" if previous else "create"
    item = Pending(position, trigger)
    upload = _upload_of(resource)
    sync_limit = settings.sync_max_bytes()
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
            if _same_as_last(previous["id"], sha, resource):
                return None
    elif previous is not None and previous.get("url_type") == "upload":
        size = sources.stored_size(previous)
        if size is not None and size <= sync_limit:
            source = sources.from_storage(previous, limits.max_bytes)
    elif settings.mode() == "block" and resource.get("url"):
        source = sources.from_url(
            str(resource["url"]),
            max_bytes=min(sync_limit, limits.max_bytes) or 1,
            timeout=settings.url_timeout(),
            allow_private=settings.url_allow_private(),
        )
    if source is None:
        resource[STATUS_FIELD] = status.PENDING
        return item
    item.started = model.now()
    try:
        with source as path:
            report, item.fingerprint = validate_path(path, resource)
    except readers.FileProblem as problem:
        if problem.code == "too-large" and resource.get("url") and upload is None:
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
    for item, resource_id, package_id in items:
        run = model.create(resource_id, package_id, item.trigger, context.get("user"))
        if item.report is not None:
            _record(run["id"], resource_id, item.report, item.fingerprint, item.started)
            finished.append((resource_id, item.report["status"], run["id"]))
        else:
            queued.append(run["id"])
    ckan_model.Session.commit()
    for run_id in queued:
        enqueue(run_id)
    for resource_id, value, run_id in finished:
        announce(resource_id, value, run_id)


# --- recording results -------------------------------------------------------------


def _record(
    run_id: str,
    resource_id: str,
    report: dict[str, Any],
    value: str | None,
    started: datetime.datetime | None,
) -> None:
    model.update(
        run_id,
        status=report["status"],
        fingerprint=value,
        started=started or model.now(),
        finished=model.now(),
        summary=summary_of(report),
        report=report,
    )
    model.trim(resource_id, settings.history())


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
    resource: dict[str, Any], trigger: str, user: str | None, force: bool, sync: bool = False
) -> dict[str, Any]:
    """Create a run for a resource and validate it now (`sync`) or through a job."""
    run = model.create(resource["id"], resource["package_id"], trigger, user)
    ckan_model.Session.commit()
    if sync:
        run_job(run["id"], force=force)
    else:
        if resource.get(STATUS_FIELD) != status.PENDING:
            set_resource_status(resource["id"], status.PENDING, resource.get(TIMESTAMP_FIELD))
        enqueue(run["id"], force=force)
    return model.get(run["id"], with_report=False) or run


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


def run_job(run_id: str, force: bool = False) -> None:
    """The background job: validate the resource of one run and record the result."""
    run = model.get(run_id, with_report=False)
    if run is None or run["status"] not in model.UNFINISHED:
        return
    model.update(run_id, status=model.RUNNING, started=model.now())
    ckan_model.Session.commit()
    try:
        _run(run, force)
    except Exception as error:
        ckan_model.Session.rollback()
        if type(error).__name__ == "JobTimeoutException":
            finish_with_error(run_id, "job-timeout", {"limit": settings.job_timeout()})
        else:
            log.exception("sipessut validation run %s failed", run_id)
            finish_with_error(run_id, "internal-error", {"detail": str(error)[:300]})
        if _in_worker():
            raise  # RQ records the failure too


def _in_worker() -> bool:
    import rq

    return rq.get_current_job() is not None


def _run(run: dict[str, Any], force: bool) -> None:
    try:
        resource = tk.get_action("resource_show")({"ignore_auth": True}, {"id": run["resource_id"]})
    except tk.ObjectNotFound:
        model.update(run["id"], status=model.SKIPPED, finished=model.now())
        ckan_model.Session.commit()
        return
    newest = model.latest(run["resource_id"])
    if newest and newest["id"] != run["id"]:  # a newer run will report
        model.update(run["id"], status=model.SKIPPED, finished=model.now())
        ckan_model.Session.commit()
        return
    try:
        with file_of(resource) as path:
            report, value = validate_path(path, resource)
    except readers.FileProblem as problem:
        report, value = engine.failure_report(problem.code, problem.params), None
    last = model.latest(run["resource_id"], model.FINISHED)
    if not force and value and last and last.get("fingerprint") == value:
        model.update(run["id"], status=model.SKIPPED, finished=model.now(), fingerprint=value)
        ckan_model.Session.commit()
        _publish(run["resource_id"], last["status"], last["finished"])
        return
    _record(run["id"], run["resource_id"], report, value, run.get("started"))
    ckan_model.Session.commit()
    if _publish(run["resource_id"], report["status"], model.now()):
        announce(run["resource_id"], report["status"], run["id"])


def _publish(resource_id: str, value: str, when: datetime.datetime | None) -> bool:
    """Write a finished run's status on the resource, unless a newer run will."""
    latest = model.latest(resource_id)
    if latest and latest["status"] in model.UNFINISHED:
        return False  # a newer run will write the status
    timestamp = when.isoformat(timespec="seconds") if when else None
    set_resource_status(resource_id, value, timestamp)
    return True


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


def finish_with_error(run_id: str, code: str, params: dict[str, Any]) -> None:
    run = model.get(run_id, with_report=False)
    if run is None or run["status"] not in model.UNFINISHED:
        return
    report = engine.failure_report(code, params)
    _record(run_id, run["resource_id"], report, None, run.get("started"))
    ckan_model.Session.commit()
    with contextlib.suppress(tk.ObjectNotFound):
        if _publish(run["resource_id"], status.ERROR, model.now()):
            announce(run["resource_id"], status.ERROR, run_id)


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


def sweep(resource_id: str | None = None) -> int:
    """End runs stuck as pending/running whose job is gone or over its time; returns how many."""
    from ckan.lib import jobs

    grace = datetime.timedelta(seconds=settings.job_timeout() + 60)
    ended = 0
    for run in model.unfinished(resource_id):
        state = None
        if run.get("job_id"):
            try:
                job_status = jobs.job_from_id(run["job_id"]).get_status()
                state = str(getattr(job_status, "value", job_status))
            except KeyError:
                state = "missing"
        started = run.get("started") or run["created"]
        stuck = state in ("failed", "stopped", "canceled", "missing")
        stuck = stuck or (run["status"] == model.RUNNING and model.now() - started > grace)
        stuck = stuck or (not run.get("job_id") and model.now() - run["created"] > grace)
        if stuck:
            finish_with_error(run["id"], "worker-lost", {})
            ended += 1
    return ended
