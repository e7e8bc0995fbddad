"""Real CKAN processes for the browser and harvest tests: `ckan run` servers and `ckan`
commands, each bounded in time, each stopped by the test that started it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

START_TIMEOUT = 90  # seconds for a server to answer
COMMAND_TIMEOUT = 300  # seconds for one `ckan` command (a harvest run included)
CKAN = str(Path(sys.executable).with_name("ckan"))
LOGGING = (
    "[loggers]\nkeys = root\n[handlers]\nkeys = console\n[formatters]\nkeys = plain\n"
    "[logger_root]\nlevel = WARNING\nhandlers = console\n"
    "[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\nformatter = plain\n"
    "[formatter_plain]\nformat = %%(levelname)s [%%(name)s] %%(message)s\n"
)


def port_is_taken(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def environment(ini: Path, own: bool) -> dict[str, str]:
    """The environment of a `ckan` process; `own`: without the CKAN_* settings make test
    exports for the test database (which would override the plain CKAN's ini)."""
    env = {k: v for k, v in os.environ.items() if not (own and k.startswith("CKAN_"))}
    env["CKAN_INI"] = str(ini)
    return env


def ckan(
    ini: Path, *args: str, timeout: int = COMMAND_TIMEOUT, check: bool = True, own: bool = True
) -> str:
    """Run `ckan -c INI ARGS...`; its output, or a test failure that shows it."""
    try:
        done = subprocess.run(
            [CKAN, "-c", str(ini), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=environment(ini, own),
        )
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"ckan {' '.join(args)} took more than {timeout}s:\n{expired.stdout}")
    if check and done.returncode != 0:
        pytest.fail(
            f"ckan {' '.join(args)} exited with {done.returncode}:\n"
            f"{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        )
    return done.stdout


@contextlib.contextmanager
def served(ini: Path, url: str, own: bool) -> Iterator[str]:
    """`ckan run` on INI at URL (127.0.0.1:port) until the block ends; `own` as for ckan()."""
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    if port_is_taken(port):
        pytest.fail(f"port {port} is already taken; stop what listens there")
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [
                CKAN,
                "-c",
                str(ini),
                "run",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--disable-reloader",
            ],
            stdout=log,
            stderr=log,
            env=environment(ini, own),
        )
        try:
            _wait_until_ready(server, url, log)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def _wait_until_ready(server: subprocess.Popen, url: str, log) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            pytest.fail(f"ckan run exited with {server.returncode}:\n{log.read().decode()[-3000:]}")
        try:
            if requests.get(f"{url}/api/3/action/status_show", timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    log.seek(0)
    pytest.fail(f"ckan run did not answer within {START_TIMEOUT}s:\n{log.read().decode()[-3000:]}")


def inherit_ini(directory: Path, base: Path) -> Path:
    """An ini that uses BASE (our test.ini) with CKAN 2.11's logging sections."""
    ini = directory / "portal.ini"
    ini.write_text(f"[app:main]\nuse = config:{base.resolve()}\n" + LOGGING)
    return ini


def plain_ini(directory: Path, *, db: str, solr: str, redis: str, port: int) -> Path:
    """The national portal's stand-in: plain CKAN, default schema, the two harvesters."""
    host, _, rest = redis.removeprefix("redis://").partition(":")
    redis_port, _, redis_db = rest.partition("/")
    ini = directory / "plain.ini"
    ini.write_text(
        "[app:main]\nuse = egg:ckan\n"
        f"sqlalchemy.url = {db}\nsolr_url = {solr}\nckan.redis.url = {redis}\n"
        f"ckan.site_url = http://127.0.0.1:{port}\nckan.site_id = sipessut_plain_harvester\n"
        "SECRET_KEY = plain-harvester-test-secret\nWTF_CSRF_ENABLED = false\n"
        f"ckan.storage_path = {directory / 'storage'}\n"
        "ckan.plugins = harvest ckan_harvester dcat dcat_rdf_harvester\n"
        "ckanext.dcat.rdf.profiles = euro_dcat_ap_3\n"
        f"ckan.harvest.mq.type = redis\nckan.harvest.mq.hostname = {host}\n"
        f"ckan.harvest.mq.port = {redis_port}\nckan.harvest.mq.redis_db = {redis_db or 0}\n"
        "ckan.harvest.timeout = 10\n" + LOGGING
    )
    return ini
