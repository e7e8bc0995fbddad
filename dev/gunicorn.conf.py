"""gunicorn settings for CKAN: the demo's (`make demo`), the load benchmark's and the
scale-out test's web servers, and a starting point for a real portal.

Options given on the command line win over these: the scripts pass --bind and
the log files; SIPESSUT_WEB_WORKERS changes the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os

# Sync workers, one request per process at a time, as CKAN (Flask, a scoped
# SQLAlchemy session) is written for. gunicorn's rule of thumb, 2 x cores + 1:
# 5 on a 2-core machine, so that a slow request (an upload validated in the
# request) holds one worker while the others go on serving.
workers = int(os.environ.get("SIPESSUT_WEB_WORKERS") or 2 * multiprocessing.cpu_count() + 1)
worker_class = "sync"

# A request still running after this many seconds is killed and its worker
# restarted: the longest legitimate one is an upload of ckan.max_resource_size
# (100 MB) plus the validation done in the request, well under it.
timeout = 120
# On SIGTERM (`make stop`, systemctl stop) the workers finish their requests.
graceful_timeout = 30
keepalive = 5

# Workers are replaced after about this many requests, so that a slow leak in
# a plugin cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200

# The workers' heartbeat files on tmpfs: a busy disk must not look like a hung
# worker (gunicorn creates them with mkstemp, unlinked at once).
SHM = "/dev/shm"  # noqa: S108
worker_tmp_dir = SHM if os.path.isdir(SHM) else None

# Each worker loads CKAN itself, after the fork (see wsgi.py).
preload_app = False
proc_name = "ckan"
