"""`ckan sipessut jadwal remind`: once per due date, through a real SMTP server."""

from __future__ import annotations

import pytest
from ckan.cli.cli import ckan as ckan_command

from ckanext.sipessut.tests.monitoring.conftest import days, public, run_jobs


def _env(sink):
    """The command loads CKAN's configuration anew: the mail server comes from the
    environment, as CKAN reads it (CKAN_SMTP_SERVER)."""
    return {"CKAN_SMTP_SERVER": sink.server}


@pytest.mark.usefixtures("with_request_context")
def test_editors_hear_of_due_and_overdue_releases_once_per_due_date(cli, portal, smtp_sink):
    soon = public(portal, title="Jumlah Puskesmas", tanggal_rilis_berikutnya=days(5))
    late = public(portal, title="Jumlah Bidan", tanggal_rilis_berikutnya=days(-1))
    public(portal, title="Masih lama", tanggal_rilis_berikutnya=days(60))

    dry = cli.invoke(
        ckan_command, ["sipessut", "jadwal", "remind", "--dry-run"], env=_env(smtp_sink)
    )
    assert dry.exit_code == 0, dry.output
    assert "would remind of 2 releases" in dry.output
    assert portal.opd_editor["email"] in dry.output
    run_jobs()
    assert smtp_sink.messages == []

    first = cli.invoke(ckan_command, ["sipessut", "jadwal", "remind"], env=_env(smtp_sink))
    assert first.exit_code == 0, first.output
    run_jobs()
    assert smtp_sink.recipients() == sorted([portal.opd_editor["email"], portal.opd_admin["email"]])
    message = smtp_sink.messages[0]
    assert "Rilis Dinas Kesehatan yang lewat jadwal" in message["subject"]
    assert "Lewat jadwal" in message["body"]
    assert "Segera jatuh tempo" in message["body"]
    assert f"/dataset/{late['name']}" in message["body"]
    assert f"/dataset/{soon['name']}" in message["body"]
    assert "Masih lama" not in message["body"]

    second = cli.invoke(ckan_command, ["sipessut", "jadwal", "remind"], env=_env(smtp_sink))
    run_jobs()
    assert "reminded of 0 releases (2 already reminded)" in second.output
    assert len(smtp_sink.messages) == 2  # the two of the first run only
