"""A real CKAN server and a real headless Chromium for browser journeys.

The server is `ckan run` on test.ini (with CSRF protection back on), in its
own process, on the same database, Solr core and Redis as the test process, so
that data made with the factories is what the browser sees. The browser is
Debian's /usr/bin/chromium driven by Playwright; no browser is downloaded.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path

import pytest
from ckan.plugins.toolkit import config
from ckan.tests import factories
from playwright.sync_api import expect

from ckanext.sipessut.tests import servers
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


class _LiveServers:
    """One `ckan run` at a time, kept for every module that asks for the same
    settings: starting CKAN costs seconds, and most modules ask for none."""

    def __init__(self, tmp_path_factory):
        self._tmp_path_factory = tmp_path_factory
        self._settings = None
        self._running = contextlib.ExitStack()
        self.url = config["ckan.site_url"].rstrip("/")

    def serving(self, settings: dict) -> str:
        """The base URL of a server running with `settings` on top of test.ini."""
        if self._settings is not None and settings == self._settings:
            return self.url
        self.stop()
        ini = self._tmp_path_factory.mktemp("live-server") / "server.ini"
        ini.write_text(_server_ini(settings))
        self._running.enter_context(servers.served(ini, self.url, own=False))
        self._settings = dict(settings)
        return self.url

    def stop(self) -> None:
        self._running.close()
        self._settings = None


def _server_ini(settings: dict) -> str:
    # Inherits test.ini; CKAN 2.11 reads logging settings from this file itself.
    return (
        "[app:main]\n"
        f"use = config:{Path(config['__file__']).resolve()}\n"
        "WTF_CSRF_ENABLED = true\n"
        + "".join(f"{key} = {value}\n" for key, value in settings.items())
        + servers.LOGGING
    )


# Package scope: the server stops when the browser tests end, freeing ckan.site_url's
# port for the other tests that serve the portal there (the harvests).
@pytest.fixture(scope="package")
def _live_servers(tmp_path_factory):
    running = _LiveServers(tmp_path_factory)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def live_server(_live_servers, request):
    """Base URL of a CKAN server with the module's `LIVE_SERVER_SETTINGS` (a dict
    of ini options) on top of test.ini; modules asking for the same settings share one."""
    return _live_servers.serving(getattr(request.module, "LIVE_SERVER_SETTINGS", {}))


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
