"""A real CKAN server and a real headless Chromium for browser journeys.

The server is `ckan run` on test.ini (with CSRF protection back on), in its
own process, on the same database, Solr core and Redis as the test process, so
that data made with the factories is what the browser sees. The browser is
Debian's /usr/bin/chromium driven by Playwright; no browser is downloaded.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests
from ckan.plugins.toolkit import config
from ckan.tests import factories
from playwright.sync_api import expect

from ckanext.sipessut.tests.factories import OPD

CHROMIUM = os.environ.get("SIPESSUT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_TIMEOUT = 60  # seconds


def _port_is_taken(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


class _LiveServers:
    """One `ckan run` at a time, kept for every module that asks for the same
    settings: starting CKAN costs seconds, and most modules ask for none."""

    def __init__(self, tmp_path_factory):
        self._tmp_path_factory = tmp_path_factory
        self._settings = None
        self._server = None
        self._log = None
        self.url = config["ckan.site_url"].rstrip("/")

    def serving(self, settings: dict) -> str:
        """The base URL of a server running with `settings` on top of test.ini."""
        if self._server is not None and settings == self._settings:
            return self.url
        self.stop()
        port = int(self.url.rsplit(":", 1)[1])
        if _port_is_taken(port):
            pytest.fail(f"port {port} of ckan.site_url is already taken; stop what listens there")
        ini = self._tmp_path_factory.mktemp("live-server") / "server.ini"
        ini.write_text(_server_ini(settings))
        ckan_cli = str(Path(sys.executable).with_name("ckan"))
        command = [ckan_cli, "-c", str(ini), "run", "--host", "127.0.0.1", "--port", str(port)]
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop())
        self._server = subprocess.Popen(
            [*command, "--disable-reloader"], stdout=self._log, stderr=self._log
        )
        self._settings = dict(settings)
        try:
            _wait_until_ready(self._server, self.url, self._log)
        except BaseException:
            self.stop()
            raise
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.terminate()
            try:
                self._server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._server.kill()
                self._server.wait()
            self._log.close()
        self._server = self._log = self._settings = None


def _server_ini(settings: dict) -> str:
    # Inherits test.ini; CKAN 2.11 reads logging settings from this file itself.
    return (
        "[app:main]\n"
        f"use = config:{Path(config['__file__']).resolve()}\n"
        "WTF_CSRF_ENABLED = true\n"
        + "".join(f"{key} = {value}\n" for key, value in settings.items())
        + "[loggers]\nkeys = root\n[handlers]\nkeys = console\n[formatters]\nkeys = plain\n"
        "[logger_root]\nlevel = WARNING\nhandlers = console\n"
        "[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\nformatter = plain\n"
        "[formatter_plain]\nformat = %%(levelname)s [%%(name)s] %%(message)s\n"
    )


# Package scope: the server stops when the browser tests end, freeing ckan.site_url's
# port for the other tests that serve the portal there (the harvests).
@pytest.fixture(scope="package")
def _live_servers(tmp_path_factory):
    servers = _LiveServers(tmp_path_factory)
    yield servers
    servers.stop()


@pytest.fixture(scope="module")
def live_server(_live_servers, request):
    """Base URL of a CKAN server with the module's `LIVE_SERVER_SETTINGS` (a dict
    of ini options) on top of test.ini; modules asking for the same settings share one."""
    return _live_servers.serving(getattr(request.module, "LIVE_SERVER_SETTINGS", {}))


def _wait_until_ready(server: subprocess.Popen, url: str, log) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            output = log.read().decode()[-3000:]
            pytest.fail(f"ckan run exited with {server.returncode}:\n{output}")
        try:
            if requests.get(f"{url}/api/3/action/status_show", timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    log.seek(0)
    output = log.read().decode()[-3000:]
    pytest.fail(f"ckan run did not answer within {SERVER_START_TIMEOUT}s:\n{output}")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (cookies, storage) for each test."""
    context = browser.new_context(locale="id-ID")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def log_in(page, live_server: str, name: str, password: str) -> None:
    """Log in through CKAN's own login form, as a person would."""
    page.goto(f"{live_server}/user/login")
    page.fill("#field-login", name)
    page.fill("#field-password", password)
    page.locator("#field-password").press("Enter")
    page.wait_for_load_state()


STEWARD_PASSWORD = "Sandi-Kuat-2024"


@pytest.fixture
def steward(live_server, page):
    """An editor of an OPD (Disdukcapil), logged in: {"user", "org"}."""
    user = factories.User(name="steward-disdukcapil", password=STEWARD_PASSWORD)
    org = OPD(title="Disdukcapil", users=[{"name": user["name"], "capacity": "editor"}])
    log_in(page, live_server, user["name"], STEWARD_PASSWORD)
    expect(page).not_to_have_url(re.compile(r"/user/login"))
    return {"user": user, "org": org}
