"""Is a validation job still alive? What RQ and the operating system know of it.

A job whose worker and work horse were killed together (SIGKILL, an OOM kill, a
host that went away) stays `started` in RQ until its registry entry expires and
the worker's key until its TTL (7 minutes by default): nothing calls back. The
sweep asks here instead, from the facts a live job leaves:

- the job's own process (the work horse), which `run_job` records in the job's
  meta: on this host the kernel says at once whether it is still running;
- otherwise the worker that started it (`job.worker_name`): gone from RQ's
  registry, or silent for longer than a working worker's heartbeat allows (RQ
  beats every `job_monitoring_interval`, 30 s, while a job runs).
"""

from __future__ import annotations

import contextlib
import datetime
import os
import socket
from typing import Any

# A working worker beats every 30 s (rq's DEFAULT_JOB_MONITORING_INTERVAL); one missed
# beat and some slack later it is taken for dead.
HEARTBEAT_SECONDS = 60
WAITING = ("queued", "deferred", "scheduled")
HOST_KEY = "sipessut_host"
PID_KEY = "sipessut_pid"


def _connection() -> Any:
    from ckan.lib.redis import connect_to_redis

    return connect_to_redis()


def current_job() -> Any:
    """The RQ job this process is running, or None outside a work horse."""
    import rq

    return rq.get_current_job()


def record_horse(job: Any) -> None:
    """Write down which process runs `job`, so that its death can be seen at once."""
    job.meta[HOST_KEY] = socket.gethostname()
    job.meta[PID_KEY] = os.getpid()
    job.save_meta()


def job_alive(job_id: str) -> bool:
    """Whether the job will still end by itself: waiting for a worker, or started by a
    process that is alive. False when it is gone from Redis, over (failed, stopped,
    finished) or its process or worker is dead."""
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        job = Job.fetch(job_id, connection=_connection())
    except NoSuchJobError:
        return False
    state = job.get_status(refresh=False)
    state = str(getattr(state, "value", state) or "")
    if state in WAITING:
        return True
    if state != "started":
        return False
    horse = _process_alive(job.meta.get(HOST_KEY), job.meta.get(PID_KEY))
    if horse is not None:
        return horse
    return _worker_alive(job.worker_name)


def _worker_alive(name: str | None) -> bool:
    from rq import Worker

    if not name:
        return True  # started by a worker that did not say who it is: RQ's expiry decides
    worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + name, _connection())
    if worker is None or getattr(worker, "death_date", None):
        return False
    process = _process_alive(worker.hostname, worker.pid)
    if process is False:
        return False
    beat = worker.last_heartbeat
    if beat is None:
        return True
    if beat.tzinfo is not None:
        beat = beat.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    age = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) - beat
    return age.total_seconds() <= HEARTBEAT_SECONDS


def _process_alive(host: Any, pid: Any) -> bool | None:
    """Whether a process of this host is running (a zombie is not); None for another host."""
    if not host or not pid or host != socket.gethostname():
        return None
    try:
        pid = int(pid)
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (TypeError, ValueError):
        return None
    with contextlib.suppress(OSError):
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            # "pid (name) S ...": the state follows the last parenthesis
            state = stat.read().rpartition(")")[2].split()[0]
        return state not in ("Z", "X")
    return True
