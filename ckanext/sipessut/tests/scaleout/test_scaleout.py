"""Scale-out, proven on one machine: two web servers and two validation workers share
one PostgreSQL, Redis, Solr and storage path, as processes of a larger portal on
several hosts would.

The servers are gunicorn with the project's dev/wsgi.py and dev/gunicorn.conf.py
(those of `make demo`), the workers `ckan jobs worker sipessut`, all with a
configuration derived from test.ini in which every upload is validated in the
background (sync_max_bytes = 0). Twenty resources are uploaded at once through
the HTTP API, spread over both servers; each must be validated exactly once,
by one of the two workers, and none may be left pending or running once the
queue has drained.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from ckan import model
from ckan.lib import jobs
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from rq import Worker
from rq.job import Job

from ckanext.sipessut.tests.factories import OPD, Dataset

UPLOADS = 20
START_TIMEOUT = 180  # seconds for the four processes to come up on a busy 2-core machine
DRAIN_TIMEOUT = 300  # seconds for the workers to validate every upload
REQUEST_TIMEOUT = 120

DICTIONARY = {
    "fields": [
        {
            "name": "kode_wilayah",
            "type": "string",
            "codelist": {"name": "wilayah", "where": {"level": "kecamatan"}},
        },
        {"name": "tahun", "type": "integer"},
        {"name": "jumlah", "type": "integer", "constraints": {"minimum": 0}},
    ]
}


def table(number: int) -> bytes:
    """An upload of its own for each resource; the odd ones with a negative count in row 3."""
    rows = ["kode_wilayah,tahun,jumlah"]
    for kecamatan in range(1, 11):
        count = -number if number % 2 and kecamatan == 2 else 1000 * number + kecamatan
        rows.append(f"64.72.{kecamatan:02d},2024,{count}")
    return ("\n".join(rows) + "\n").encode()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tagged(tag: str) -> list[int]:
    """Living processes whose environment carries the tag: all the stack forked."""
    marker = f"SIPESSUT_PROCESS={tag}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            environ = (entry / "environ").read_bytes().split(b"\0")
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        if marker in environ and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


@dataclass
class Stack:
    """Processes started in sessions of their own, all tagged, so none outlives the test."""

    directory: Path
    tag: str = field(default_factory=lambda: f"scaleout-{uuid.uuid4().hex}")
    processes: list[tuple[str, subprocess.Popen, Path]] = field(default_factory=list)

    def start(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = self.directory / f"{name}.log"
        process = subprocess.Popen(  # noqa: S603 (our own command lines)
            command,
            env={**os.environ, **env, "SIPESSUT_PROCESS": self.tag},
            stdin=subprocess.DEVNULL,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append((name, process, log))

    def check_running(self) -> None:
        for name, process, log in self.processes:
            if process.poll() is not None:
                pytest.fail(f"{name} exited with {process.returncode}:\n{self.tail(log)}")

    @staticmethod
    def tail(log: Path) -> str:
        return log.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        """SIGTERM to every process and what it forked, SIGKILL to what is left after 20 s."""
        for _name, process, _log in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        while _tagged(self.tag) and time.monotonic() < deadline:
            time.sleep(0.2)
        for pid in _tagged(self.tag):
            os.kill(pid, signal.SIGKILL)
        for _name, process, _log in self.processes:
            process.wait(timeout=10)


@pytest.fixture
def stack(
    tmp_path, ckan_config, clean_db, clean_index, clean_redis
) -> Iterator[tuple[Stack, list[str]]]:
    """Two gunicorn servers (one worker each) and two RQ workers on the validation queue,
    started on an empty database, search index and Redis db."""
    root = Path(ckan_config["__file__"]).resolve().parent
    dev = root / "dev"
    if not (dev / "wsgi.py").exists() or not (dev / "gunicorn.conf.py").exists():
        pytest.fail(f"no dev/wsgi.py and dev/gunicorn.conf.py beside {ckan_config['__file__']}")
    ini = tmp_path / "scaleout.ini"
    # Inherits test.ini (and, through CKAN_* variables, the database, Solr core, Redis
    # db and storage path of the line under test); CKAN 2.11 reads logging from here.
    ini.write_text(
        "[app:main]\n"
        f"use = config:{Path(ckan_config['__file__']).resolve()}\n"
        "ckanext.sipessut.validation.sync_max_bytes = 0\n"
        "[loggers]\nkeys = root\n[handlers]\nkeys = console\n[formatters]\nkeys = plain\n"
        "[logger_root]\nlevel = WARNING\nhandlers = console\n"
        "[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\nformatter = plain\n"
        "[formatter_plain]\nformat = %%(asctime)s %%(levelname)s [%%(name)s] %%(message)s\n"
    )
    bin_dir = Path(sys.executable).parent
    queue = tk.config.get("ckanext.sipessut.validation.queue") or "sipessut"
    processes = Stack(tmp_path)
    urls = []
    try:
        for n in (1, 2):
            port = _free_port()
            processes.start(
                f"web-{n}",
                [str(bin_dir / "gunicorn"), "--config", str(dev / "gunicorn.conf.py"),
                 "--pythonpath", str(dev), "--workers", "1", "--bind", f"127.0.0.1:{port}",
                 "wsgi:application"],
                {"CKAN_INI": str(ini)},
            )  # fmt: skip
            urls.append(f"http://127.0.0.1:{port}")
        for n in (1, 2):
            processes.start(
                f"worker-{n}", [str(bin_dir / "ckan"), "-c", str(ini), "jobs", "worker", queue], {}
            )
        _wait_until_up(processes, urls, jobs.get_queue(queue))
        yield processes, urls
    finally:
        processes.stop()


def _wait_until_up(processes: Stack, urls: list[str], queue) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    waiting = set(urls)
    while waiting or len(Worker.all(queue=queue)) < 2:
        processes.check_running()
        if time.monotonic() > deadline:
            pytest.fail(f"the stack was not up within {START_TIMEOUT}s (waiting for {waiting})")
        for url in list(waiting):
            try:
                if requests.get(f"{url}/api/3/action/status_show", timeout=5).ok:
                    waiting.discard(url)
            except requests.RequestException:
                pass
        time.sleep(0.5)


def _upload(url: str, token: str, dataset_id: str, number: int) -> dict[str, Any]:
    response = requests.post(
        f"{url}/api/3/action/resource_create",
        headers={"Authorization": token},
        data={
            "package_id": dataset_id,
            "name": f"Tabel {number}",
            "format": "CSV",
            "url": "",
            "data_dictionary": json.dumps(DICTIONARY),
        },
        files={"upload": (f"tabel-{number}.csv", table(number), "text/csv")},
        timeout=REQUEST_TIMEOUT,
    )
    assert response.status_code == 200, response.text[:2000]
    return response.json()["result"]


def _history(url: str, token: str, resource_id: str) -> list[dict[str, Any]]:
    response = requests.get(
        f"{url}/api/3/action/sipessut_validation_history",
        params={"id": resource_id},
        headers={"Authorization": token},
        timeout=REQUEST_TIMEOUT,
    )
    assert response.status_code == 200, response.text[:2000]
    return response.json()["result"]


def test_twenty_uploads_at_once_are_each_validated_exactly_once(stack):
    processes, urls = stack
    editor = factories.UserWithToken()
    opd = OPD(users=[{"name": editor["name"], "capacity": "editor"}])
    datasets = [Dataset(owner_org=opd["id"], user=editor) for _ in range(UPLOADS)]

    # All at once, half through each web server.
    with concurrent.futures.ThreadPoolExecutor(max_workers=UPLOADS) as pool:
        futures = [
            pool.submit(_upload, urls[n % 2], editor["token"], datasets[n]["id"], n)
            for n in range(UPLOADS)
        ]
        resources = [future.result() for future in futures]
    assert len({r["id"] for r in resources}) == UPLOADS

    deadline = time.monotonic() + DRAIN_TIMEOUT
    while True:
        processes.check_running()
        histories = [_history(urls[0], editor["token"], r["id"]) for r in resources]
        unfinished = [h for h in histories if not h or h[0]["status"] in ("pending", "running")]
        if not unfinished:
            break
        if time.monotonic() > deadline:
            pytest.fail(f"{len(unfinished)} of {UPLOADS} uploads not validated in {DRAIN_TIMEOUT}s")
        time.sleep(1)

    for number, runs in enumerate(histories):
        assert len(runs) == 1, runs  # validated exactly once
        expected = "invalid" if number % 2 else "valid"
        assert runs[0]["status"] == expected, (number, runs[0])
        assert runs[0]["started"] <= runs[0]["finished"]
    # Read back through the other server: the resources carry their final status.
    for number, resource in enumerate(resources):
        shown = requests.get(
            f"{urls[1]}/api/3/action/resource_show",
            params={"id": resource["id"]},
            headers={"Authorization": editor["token"]},
            timeout=REQUEST_TIMEOUT,
        ).json()["result"]
        assert shown["validation_status"] == ("invalid" if number % 2 else "valid")

    # In the table itself: one run per resource, each run by one of the two workers
    # that share the queue, and nothing left in the queue.
    model.Session.remove()
    rows = model.Session.execute(
        sa.text("SELECT resource_id, status, job_id FROM sipessut_validation_run")
    ).all()
    assert sorted(row.resource_id for row in rows) == sorted(r["id"] for r in resources)
    # (A valid table's DataStore load follows on the same queue: the workers drain it.)
    queue = jobs.get_queue(tk.config.get("ckanext.sipessut.validation.queue") or "sipessut")
    drained_by = time.monotonic() + 120
    while queue.count and time.monotonic() < drained_by:
        time.sleep(1)
    assert queue.count == 0
    workers = {Job.fetch(row.job_id, connection=queue.connection).worker_name for row in rows}
    assert len(workers) == 2, workers
