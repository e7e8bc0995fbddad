"""Recording releases: when a new version of a table is published, and how punctual it was.

The event, precisely. A release of a data table (dataset type `dataset`) is recorded
- when the Walidata approves it (`review.transition_signal`, action `approve`): the table
  becomes public, first published or published again; the SHA-256 of each of its table
  files, as validation last read them, is kept with the release;
- when, on a published dataset, validation finishes reading a table file
  (`validation.finished_signal`, any result but pending) whose SHA-256 differs from the one
  the last recorded release published for that resource (a new file, or a new table):
  re-validating the same file, or a changed data dictionary, is not a release.
At most one release per dataset and day (a second one that day adds its files to the
first). The release's due date is the dataset's next release as it stood just before
(schedule.py), so its lateness is measured, not guessed. Recording re-indexes the dataset:
its next release moves on.
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model as ckan_model
from ckan.lib import search

from ckanext.sipessut import review, validation
from ckanext.sipessut.monitoring import model, schedule, settings

log = logging.getLogger(__name__)

DATASET_TYPE = "dataset"
APPROVE = "approve"
NEW_FILE = "new_file"


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": site_user["name"]}


def _file_sha256(resource_id: str, run_id: str | None = None) -> str | None:
    """The SHA-256 validation read for the resource (its latest run, or a given one)."""
    data = {"id": resource_id, **({"run_id": run_id} if run_id else {})}
    try:
        shown = tk.get_action("sipessut_validation_show")(_site_context(), data)
    except (tk.ObjectNotFound, tk.ValidationError):
        return None
    source = (shown.get("report") or {}).get("source") or {}
    return source.get("sha256") or None


def record(pkg: dict[str, Any], trigger: str, actor_id: str | None, files: dict[str, str]) -> bool:
    """Record a release of the dataset today; returns whether a new release was written."""
    today = settings.today()
    last = model.last_release_dates([pkg["id"]]).get(pkg["id"])
    due = schedule.schedule_of(pkg, last).next_release
    written = model.record_release(
        pkg["id"], today, due, schedule.days_late(today, due), trigger, actor_id, files
    )
    ckan_model.Session.commit()
    # The next release moves on: the calendar and the monitoring read it from the index.
    search.rebuild(pkg["id"])
    return written


def on_review_transition(sender: str, **kwargs: Any) -> None:
    """review.transition_signal: an approval publishes a release."""
    if kwargs.get("action") != APPROVE:
        return
    try:
        pkg = tk.get_action("package_show")(_site_context(), {"id": sender})
        if pkg.get("type") != DATASET_TYPE:
            return
        files = {}
        for resource in pkg.get("resources", []):
            if validation.is_tabular(resource):
                sha = _file_sha256(resource["id"])
                if sha:
                    files[resource["id"]] = sha
        record(pkg, APPROVE, kwargs.get("actor_id"), files)
    except Exception:  # the approval stands whatever happens here
        ckan_model.Session.rollback()
        log.exception("sipessut monitoring: could not record the release of %s", sender)


def on_validation_finished(sender: str, **kwargs: Any) -> None:
    """validation.finished_signal: a new file on a published table is a release."""
    if kwargs.get("status") == validation.PENDING:
        return
    try:
        resource = ckan_model.Resource.get(sender)
        package = resource.package if resource is not None else None
        if (
            package is None
            or package.type != DATASET_TYPE
            or package.state != "active"
            or package.private
            or review.state(package.id) != review.DITAYANGKAN
        ):
            return
        sha = _file_sha256(sender, kwargs.get("run_id"))
        if not sha or model.known_file(package.id, sender) == sha:
            return
        pkg = tk.get_action("package_show")(_site_context(), {"id": package.id})
        record(pkg, NEW_FILE, None, {sender: sha})
    except Exception:  # the validation result stands whatever happens here
        ckan_model.Session.rollback()
        log.exception("sipessut monitoring: could not record a release for resource %s", sender)


def signal_subscriptions() -> dict[Any, list[Any]]:
    """For plugin.py's ISignal."""
    return {
        review.transition_signal: [on_review_transition],
        validation.finished_signal: [on_validation_finished],
    }
