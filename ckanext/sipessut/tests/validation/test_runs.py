"""The life of a validation run: its true start, the newest run's word on the resource
whatever order runs end in, runs of dead workers ended at once, and time limits that
hold (the request's budget, the job's limit, a download's total time).

Real parts only: PostgreSQL, Redis, RQ workers started as processes of their own and
killed with SIGKILL together with their work horse, HTTP servers on loopback.
"""

from __future__ import annotations

import contextlib
import html
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from ckan import model as ckan_model
from ckan.lib import jobs
from ckan.plugins.toolkit import config
from ckan.tests import helpers

from ckanext.sipessut.tests.validation.conftest import BAD_CSV, DICTIONARY, GOOD_CSV, file_storage
from ckanext.sipessut.tests.validation.test_access import as_user
from ckanext.sipessut.tests.validation.test_pages import post_resource_form
from ckanext.sipessut.validation import deadline, model, readers, runner, sources, workers

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "clean_redis")

WAIT_SECONDS = 120  # for a worker process to start and take its job on a busy machine


def shown_status(resource_id: str) -> str | None:
    return helpers.call_action("resource_show", id=resource_id).get("validation_status")


def latest(resource_id: str) -> dict[str, Any]:
    run = model.latest(resource_id)
    assert run is not None
    return run


def wait_for(condition, what: str) -> Any:
    end = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"{what} did not happen within {WAIT_SECONDS} s")


# --- the start of a run ------------------------------------------------------------------


@pytest.mark.ckan_config("ckanext.sipessut.validation.sync_max_bytes", "0")
def test_a_background_run_records_when_it_started(upload_resource, run_jobs):
    resource = upload_resource(BAD_CSV)
    queued = latest(resource["id"])
    assert queued["started"] is None

    run_jobs()

    run = latest(resource["id"])
    assert run["status"] == "invalid"
    assert queued["created"] < run["started"] < run["finished"]


# --- the newest run has the last word ---------------------------------------------------------


def upload_bad_file(resource: dict[str, Any], opd_editor: dict[str, Any]) -> None:
    helpers.call_action(
        "resource_update",
        {"user": opd_editor["user"]["name"]},
        id=resource["id"],
        upload=file_storage(BAD_CSV, "tabel.csv"),
        url="",
        data_dictionary=DICTIONARY,
    )


@pytest.fixture
def older_and_newer(upload_resource, opd_editor):
    """An older run waiting for its job, then a newer run that ended `invalid`."""
    resource = upload_resource(GOOD_CSV)
    older = helpers.call_action(
        "sipessut_validation_run", {"user": opd_editor["user"]["name"]}, id=resource["id"]
    )
    upload_bad_file(resource, opd_editor)
    newer = latest(resource["id"])
    assert newer["id"] != older["id"]
    assert newer["status"] == "invalid"
    assert shown_status(resource["id"]) == "invalid"
    return resource, older, newer


def test_a_stranded_older_run_ending_late_does_not_overwrite_a_newer_result(older_and_newer):
    resource, older, _ = older_and_newer
    model.update(older["id"], status=model.RUNNING, started=model.now())
    ckan_model.Session.commit()
    jobs.job_from_id(f"sipessut-validation-{older['id']}").delete()  # its job is gone

    helpers.call_action("sipessut_validation_show", id=resource["id"])  # sweeps

    assert model.get(older["id"])["status"] == "error"
    assert shown_status(resource["id"]) == "invalid"


def test_an_older_job_running_after_a_newer_run_leaves_its_result(older_and_newer, run_jobs):
    resource, older, _ = older_and_newer

    run_jobs()  # the older run's job comes last

    assert model.get(older["id"])["status"] == "skipped"
    assert shown_status(resource["id"]) == "invalid"


@pytest.mark.ckan_config("ckanext.sipessut.validation.sync_max_bytes", "0")
@pytest.mark.parametrize("newer_first", [True, False], ids=["newer-ends-first", "older-first"])
def test_whatever_order_jobs_end_in_the_newest_run_decides(
    upload_resource, opd_editor, newer_first
):
    resource = upload_resource(GOOD_CSV)
    older = latest(resource["id"])
    upload_bad_file(resource, opd_editor)
    newer = latest(resource["id"])

    order = [newer, older] if newer_first else [older, newer]
    for run in order:
        runner.run_job(run["id"])

    assert model.get(newer["id"])["status"] == "invalid"
    assert shown_status(resource["id"]) == "invalid"


def test_an_error_of_an_older_run_does_not_overwrite_a_newer_result(older_and_newer):
    resource, older, _ = older_and_newer

    assert runner.finish_with_error(older["id"], "job-failed", {"detail": "late"})

    assert shown_status(resource["id"]) == "invalid"
    assert not runner.finish_with_error(older["id"], "job-failed", {})  # a run ends once


# --- workers that die -------------------------------------------------------------------


@pytest.fixture
def worker_processes(tmp_path):
    """Start real `ckan jobs worker sipessut` processes; SIGKILL what is left at the end."""
    started: list[subprocess.Popen] = []
    ini = tmp_path / "worker.ini"
    ini.write_text(
        "[app:main]\n"
        f"use = config:{Path(config['__file__']).resolve()}\n"
        "ckanext.sipessut.validation.url_allow_private = true\n"
        "ckanext.sipessut.validation.url_timeout = 300\n"
        "ckanext.sipessut.validation.job_timeout = 600\n"
        "[loggers]\nkeys = root\n[handlers]\nkeys = console\n[formatters]\nkeys = plain\n"
        "[logger_root]\nlevel = WARNING\nhandlers = console\n"
        "[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\nformatter = plain\n"
        "[formatter_plain]\nformat = %%(levelname)s [%%(name)s] %%(message)s\n"
    )
    log = (tmp_path / "worker.log").open("wb")

    def start() -> subprocess.Popen:
        command = [str(Path(sys.executable).with_name("ckan")), "-c", str(ini)]
        process = subprocess.Popen(
            [*command, "jobs", "worker", "sipessut"],
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        for pid in [*children(process.pid), process.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=30)
    log.close()


def children(pid: int) -> list[int]:
    with contextlib.suppress(OSError):
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return []


class Drip(http.server.BaseHTTPRequestHandler):
    """Headers at once (or, at /headers, the headers themselves), then a byte every tenth of
    a second for a minute; records whether the client went away before the end."""

    events: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        try:
            if self.path.startswith("/headers"):
                self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            else:
                self.send_response(200)
                self.send_header("Content-Type", "text/csv")
                self.end_headers()
            for _ in range(600):
                self.wfile.write(b"a")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            self.events.append("client-gone")
            return
        self.events.append("dripped-to-the-end")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def drip_server():
    events: list[str] = []
    handler = type("Handler", (Drip,), {"events": events})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    server.events = events
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def running_job(dataset, opd_editor, drip_server, worker_processes):
    """A linked table whose job a real worker process is running (downloading, slowly)."""
    resource = helpers.call_action(
        "resource_create",
        {"user": opd_editor["user"]["name"]},
        package_id=dataset["id"],
        url=drip_server.base_url + "/tabel.csv",
        format="CSV",
    )
    worker = worker_processes()
    wait_for(lambda: latest(resource["id"])["status"] == model.RUNNING, "the job's start")
    horse = wait_for(lambda: children(worker.pid), "the work horse")
    return resource, worker, horse


def test_a_run_whose_worker_and_work_horse_were_killed_ends_as_error(running_job):
    resource, worker, horse = running_job
    job_id = latest(resource["id"])["job_id"]
    assert runner.sweep() == 0  # alive: nothing to end

    for pid in [*horse, worker.pid]:
        os.kill(pid, signal.SIGKILL)
    worker.wait(timeout=30)

    assert jobs.job_from_id(job_id).get_status() == "started"  # RQ has not noticed
    shown = helpers.call_action("sipessut_validation_show", id=resource["id"])
    assert shown["status"] == "error"
    assert shown["report"]["reason"] == {"code": "worker-lost"}
    assert shown_status(resource["id"]) == "error"


def test_a_remote_worker_that_stopped_beating_is_taken_for_dead(running_job):
    resource, worker, horse = running_job
    job = jobs.job_from_id(latest(resource["id"])["job_id"])
    connection = job.connection
    worker_key = "rq:worker:" + job.worker_name
    os.kill(worker.pid, signal.SIGSTOP)  # the worker stops beating; so does the horse
    for pid in horse:
        os.kill(pid, signal.SIGSTOP)
    # As the same job looks from another host: the machine running it is not this one.
    job.meta[workers.HOST_KEY] = "elsewhere"
    job.save_meta()
    connection.hset(worker_key, "hostname", "elsewhere")
    assert runner.sweep() == 0  # its last heartbeat is recent

    an_hour_ago = "2000-01-01T00:00:00.000000Z"
    connection.hset(worker_key, "last_heartbeat", an_hour_ago)
    assert runner.sweep() == 1

    assert model.get(latest(resource["id"])["id"])["status"] == "error"
    assert shown_status(resource["id"]) == "error"


def test_workers_sweep_when_they_start_a_job(upload_resource, worker_processes, ckan_config):
    # A run left running by a worker that died before this one started...
    stranded = upload_resource(GOOD_CSV)
    run = latest(stranded["id"])
    model.update(run["id"], status=model.RUNNING, job_id="sipessut-validation-gone")
    ckan_model.Session.commit()
    # ...then a table for the new worker.
    ckan_config["ckanext.sipessut.validation.sync_max_bytes"] = 0
    queued = upload_resource(BAD_CSV)

    worker_processes()

    wait_for(lambda: latest(queued["id"])["status"] == "invalid", "the new job's end")
    assert model.get(run["id"])["status"] == "error"
    assert shown_status(stranded["id"]) == "error"


# --- time limits ------------------------------------------------------------------------------


@pytest.mark.ckan_config("ckanext.sipessut.validation.sync_max_seconds", "0.000001")
@pytest.mark.parametrize("mode", ["warn", "block"])
def test_past_the_request_budget_the_run_moves_to_a_job(
    upload_resource, run_jobs, ckan_config, mode
):
    ckan_config["ckanext.sipessut.validation.mode"] = mode
    resource = upload_resource(BAD_CSV)  # small enough for the request, but too slow

    assert resource["validation_status"] == "pending"
    assert resource["url_type"] == "upload"  # the save stands
    run = latest(resource["id"])
    assert run["job_id"]
    assert runner.moved_seconds(run) == 0.000001

    run_jobs()

    assert shown_status(resource["id"]) == "invalid"
    assert latest(resource["id"])["summary"]["errors"] == 2


@pytest.mark.ckan_config("ckanext.sipessut.validation.sync_max_seconds", "0.000001")
def test_validate_again_past_the_budget_moves_to_a_job(upload_resource, opd_editor, run_jobs):
    resource = upload_resource(BAD_CSV)
    run_jobs()

    run = helpers.call_action(
        "sipessut_validation_run",
        {"user": opd_editor["user"]["name"]},
        id=resource["id"],
        sync=True,
    )

    assert run["status"] == "pending"
    assert shown_status(resource["id"]) == "pending"
    run_jobs()
    assert model.get(run["id"])["status"] == "invalid"
    assert shown_status(resource["id"]) == "invalid"


@pytest.mark.ckan_config("ckanext.sipessut.validation.sync_max_seconds", "0.000001")
def test_the_form_and_the_report_page_say_the_run_moved_to_the_background(app, dataset, opd_editor):
    user = opd_editor["user"]
    response = post_resource_form(app, dataset, user, BAD_CSV)
    assert response.status_code == 302
    resource = helpers.call_action("package_show", id=dataset["id"])["resources"][0]

    report = app.get(
        f"/en/dataset/{dataset['name']}/resource/{resource['id']}/validation",
        headers=as_user(user),
    )

    assert resource["validation_status"] == "pending"
    # The flash after the form is checked in a real browser (browser/test_validation_budget.py):
    # CKAN 2.11's test client does not carry it to the next page with token auth.
    assert "continues in the background. Your changes are saved" in html.unescape(report.body)


@pytest.mark.parametrize("path", ["/body.csv", "/headers.csv"])
def test_a_slow_drip_cannot_stretch_a_download_past_its_time(drip_server, path):
    with (
        pytest.raises(readers.FileProblem) as raised,
        sources.from_url(
            drip_server.base_url + path, max_bytes=1_000_000, timeout=1, allow_private=True
        ),
    ):
        pass

    assert raised.value.code == "url-timeout"
    wait_for(lambda: drip_server.events, "the server's end of the request")
    assert drip_server.events == ["client-gone"]  # long before its minute of bytes


def test_a_download_stops_at_the_run_s_own_limit(drip_server):
    with (
        pytest.raises(deadline.Exceeded),
        deadline.limit(1),
        sources.from_url(
            drip_server.base_url + "/body.csv", max_bytes=1_000_000, timeout=300, allow_private=True
        ),
    ):
        pass

    wait_for(lambda: drip_server.events, "the server's end of the request")
    assert drip_server.events == ["client-gone"]


@pytest.mark.ckan_config("ckanext.sipessut.validation.url_allow_private", "true")
@pytest.mark.ckan_config("ckanext.sipessut.validation.url_timeout", "300")
@pytest.mark.ckan_config("ckanext.sipessut.validation.job_timeout", "2")
def test_the_job_limit_holds_for_the_download(dataset, opd_editor, drip_server, run_jobs):
    resource = helpers.call_action(
        "resource_create",
        {"user": opd_editor["user"]["name"]},
        package_id=dataset["id"],
        url=drip_server.base_url + "/tabel.csv",
        format="CSV",
    )

    run_jobs()

    shown = helpers.call_action("sipessut_validation_show", id=resource["id"])
    assert shown["report"]["reason"] == {"code": "job-timeout", "limit": 2}
    wait_for(lambda: drip_server.events, "the server's end of the request")
    assert drip_server.events == ["client-gone"]
