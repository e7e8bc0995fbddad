"""The monitoring tests' portal: an OPD with its people, another OPD, the Walidata (the
review tests' fixture), a real SMTP sink and a real RQ worker."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from ckan.lib import jobs
from ckan.plugins import toolkit as tk

from ckanext.sipessut.monitoring import settings
from ckanext.sipessut.tests.review.conftest import Portal, act, portal  # noqa: F401
from ckanext.sipessut.tests.review.test_notifications import Sink, _free_port
from ckanext.sipessut.tests.validation.conftest import DICTIONARY, file_storage

__all__ = ["DICTIONARY", "Portal", "act", "file_storage"]


def days(n: int) -> str:
    """Today (in the portal's time zone) plus n days, as a date field holds it."""
    return (settings.today() + datetime.timedelta(days=n)).isoformat()


def publish(site: Portal, **fields: Any) -> dict[str, Any]:
    """A data table of the OPD brought through the review to the public (the approval
    records a release today)."""
    return site.in_state("ditayangkan", **fields)


def public(
    site: Portal, organization: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    """A public data table that never went through the review (as on a portal that adopted
    the extension with its catalogue): no release recorded yet."""
    from ckanext.sipessut.tests.factories import Dataset

    return Dataset(owner_org=(organization or site.opd)["id"], **fields)


def show(dataset_id: str) -> dict[str, Any]:
    return tk.get_action("package_show")({"ignore_auth": True}, {"id": dataset_id})


@pytest.fixture
def smtp_sink(ckan_config, monkeypatch):
    from aiosmtpd.controller import Controller

    sink = Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    sink.server = f"127.0.0.1:{port}"
    monkeypatch.setitem(ckan_config, "smtp.server", sink.server)
    jobs.get_queue().empty()
    yield sink
    controller.stop()
    jobs.get_queue().empty()


def run_jobs() -> None:
    """Run the queued jobs of CKAN's default queue with a real rq worker, in this process."""
    from rq import SimpleWorker

    queue = jobs.get_queue()
    SimpleWorker([queue], connection=queue.connection).work(burst=True)
