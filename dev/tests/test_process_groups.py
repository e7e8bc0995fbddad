# ruff: noqa: S603, S607 (the tests start bash, sleep and CKAN, with arguments of their own)
"""The stack's process handling (dev/lib.sh), tested on real processes.

`make demo` starts each long-running process with `start_group` and `make stop`
stops it with `stop_pid`. These tests start a real `ckan jobs worker` the way
the demo does, kill its main process as a crash would, and check that
`dev/stop.sh` still stops what it had forked (RQ's work horse and scheduler),
and that a pid file never leads to a dead or foreign process.

Run by `make test` (dev/test.sh) with the CKAN 2.12 virtualenv, on the running
Redis, with CKAN_REDIS_URL and the other CKAN_* variables of a test run set.
Each test works in a directory of its own (SIPESSUT_WORK), so it never touches
the pid files of the demo or of the suite.
"""

from __future__ import annotations

import configparser
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CKAN = Path(sys.executable).with_name("ckan")
DEADLINE = 90  # seconds for anything to happen


def bash(work: Path, script: str) -> subprocess.CompletedProcess:
    """Runs `script` after sourcing dev/lib.sh, with the stack's work directory at `work`."""
    return subprocess.run(
        ["bash", "-c", f'source "{ROOT}/dev/lib.sh"\n{script}'],
        env={**os.environ, "SIPESSUT_WORK": str(work)},
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def _processes():
    """(pid, state, pgid, environ) of every process, as /proc shows them."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                environ = (entry / "environ").read_bytes().split(b"\0")
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                continue
            yield int(entry.name), fields[0], int(fields[2]), environ


def group_members(pgid: int) -> list[int]:
    """Living processes of the process group."""
    return sorted(p for p, state, g, _ in _processes() if g == pgid and state not in "ZX")


def tagged(tag: str) -> list[int]:
    """Living processes that carry the tag start_group gave: all that the process forked."""
    marker = f"SIPESSUT_PROCESS={tag}".encode()
    return sorted(p for p, state, _, env in _processes() if marker in env and state not in "ZX")


def recorded(work: Path, name: str) -> tuple[int, str]:
    """The pid and the tag of $RUN/NAME.pid."""
    pid, _start, tag = (work / "run" / f"{name}.pid").read_text().split()
    return int(pid), tag


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {DEADLINE}s")
        time.sleep(0.2)


def ckan_queue(name: str):
    """The RQ queue CKAN calls `name` (CKAN prefixes it with the site id), on the test Redis."""
    from redis import Redis
    from rq import Queue

    ini = configparser.ConfigParser(interpolation=None)
    ini.read(ROOT / "test.ini")
    site_id = ini["app:main"]["ckan.site_id"]
    url = os.environ.get("CKAN_REDIS_URL") or ini["app:main"]["ckan.redis.url"]
    return Queue(f"ckan:{site_id}:{name}", connection=Redis.from_url(url))


def listening(queue) -> bool:
    """True once a worker has registered itself in Redis for `queue`."""
    from rq import Worker

    return bool(Worker.all(queue=queue))


@pytest.fixture
def work(tmp_path):
    """A work directory of its own; whatever a test leaves running is killed at the end."""
    yield tmp_path
    for pid_file in (tmp_path / "run").glob("*.pid"):
        fields = pid_file.read_text().split()
        for pid in tagged(fields[2]) if len(fields) == 3 else []:
            os.kill(pid, signal.SIGKILL)


def test_stop_stops_the_whole_group_after_the_worker_died(work):
    queue = f"pgtest-{uuid.uuid4().hex[:8]}"  # its own: no other worker takes the job
    started = bash(
        work,
        f'start_group ckan-worker "$LOGS/ckan-worker.log" "{CKAN}" -c "{ROOT}/test.ini" '
        f"jobs worker {queue}",
    )
    assert started.returncode == 0, started.stderr
    main_pid, tag = recorded(work, "ckan-worker")
    assert group_members(main_pid) == tagged(tag) == [main_pid]
    jobs = ckan_queue(queue)
    wait_for(lambda: listening(jobs), "the worker's start")
    jobs.enqueue("time.sleep", 300, job_timeout=360)
    # The work horse running the job is in a session of its own (RQ calls setsid
    # in it); on CKAN 2.12 (RQ 2) the scheduler is a child in the worker's group.
    wait_for(
        lambda: any(pid not in group_members(main_pid) for pid in tagged(tag)),
        "the work horse's fork",
    )
    children = [pid for pid in tagged(tag) if pid != main_pid]

    os.kill(main_pid, signal.SIGKILL)
    wait_for(lambda: not alive(main_pid), "the worker's death")
    # What the kill leaves behind: orphans the pid file must still lead to.
    assert all(alive(pid) for pid in children)
    assert bash(work, "pid_of ckan-worker").stdout.strip() == str(main_pid)

    stopped = subprocess.run(
        ["bash", str(ROOT / "dev" / "stop.sh")],
        env={**os.environ, "SIPESSUT_WORK": str(work)},
        capture_output=True,
        text=True,
        timeout=DEADLINE,
        check=False,
    )
    assert stopped.returncode == 0, stopped.stderr
    assert f"stopped ckan-worker (pid {main_pid})" in stopped.stdout
    assert group_members(main_pid) == []
    assert tagged(tag) == []
    assert not any(alive(pid) for pid in children)
    assert not (work / "run" / "ckan-worker.pid").exists()


def test_a_pid_file_never_leads_to_another_process(work):
    """A pid whose start time is not the recorded one belongs to another process."""
    stranger = subprocess.Popen(["sleep", "60"])
    try:
        (work / "run").mkdir()
        (work / "run" / "ckan.pid").write_text(f"{stranger.pid} 12345\n")
        looked_up = bash(work, "pid_of ckan || echo none")
        assert looked_up.stdout.strip() == "none"
        assert not (work / "run" / "ckan.pid").exists()

        (work / "run" / "ckan.pid").write_text(f"{stranger.pid} 12345\n")
        assert bash(work, "stop_pid ckan").returncode == 0
        assert stranger.poll() is None  # not ours: left alone
    finally:
        stranger.kill()
        stranger.wait()


def test_a_pid_file_of_a_process_that_is_gone_is_removed(work):
    started = bash(work, 'start_group mailsink "$LOGS/mailsink.log" sleep 60')
    assert started.returncode == 0, started.stderr
    pid, _tag = recorded(work, "mailsink")
    assert bash(work, "pid_of mailsink").stdout.strip() == str(pid)

    os.kill(pid, signal.SIGKILL)
    wait_for(lambda: not alive(pid), "the process's death")
    assert bash(work, "pid_of mailsink || echo gone").stdout.strip() == "gone"
    assert not (work / "run" / "mailsink.pid").exists()
