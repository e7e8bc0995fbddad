"""Review emails go through CKAN's mailer to a real SMTP server on loopback."""

from __future__ import annotations

import email
import email.policy
import socket

import pytest
from ckan.lib import jobs

from ckanext.sipessut.tests.factories import Dataset
from ckanext.sipessut.tests.review.conftest import act, review_state


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sink:
    """aiosmtpd handler keeping what arrives: one entry per message."""

    def __init__(self):
        self.messages: list[dict] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(
            {
                "to": sorted(envelope.rcpt_tos),
                "subject": str(message["Subject"]),
                "body": message.get_body(("plain",)).get_content(),
            }
        )
        return "250 Message accepted"

    def recipients(self) -> list[str]:
        return sorted(address for m in self.messages for address in m["to"])


@pytest.fixture
def smtp_sink(ckan_config, monkeypatch):
    from aiosmtpd.controller import Controller

    sink = Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{port}")
    jobs.get_queue().empty()
    yield sink
    controller.stop()
    jobs.get_queue().empty()


def run_jobs() -> None:
    """Run the queued jobs with a real rq worker, in this process."""
    from rq import SimpleWorker

    queue = jobs.get_queue()
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def _emails(*users):
    return sorted(user["email"] for user in users)


@pytest.mark.usefixtures("with_request_context")
def test_a_submission_reaches_the_walidata_in_indonesian(portal, smtp_sink):
    dataset = portal.dataset(title="Jumlah Puskesmas per Kecamatan")

    act("sipessut_review_submit", portal.opd_editor, id=dataset["id"], note="Data 2024")
    run_jobs()

    assert smtp_sink.recipients() == sorted(
        [*_emails(portal.reviewer, portal.walidata_admin), "walidata@samarindakota.example"]
    )
    message = smtp_sink.messages[0]
    assert message["subject"] == (
        "[SiPessut (test)] Dataset diajukan untuk ditinjau: Jumlah Puskesmas per Kecamatan"
    )
    assert "dari Dinas Kesehatan mengajukan dataset" in message["body"]
    assert f"/dataset/review/{dataset['name']}" in message["body"]
    assert "Catatan dari pengaju:\nData 2024" in message["body"]


@pytest.mark.usefixtures("with_request_context")
def test_an_approval_reaches_the_opds_editors_and_admins(portal, smtp_sink):
    dataset = portal.in_state("diajukan", title="Jumlah Puskesmas per Kecamatan")
    jobs.get_queue().empty()

    act("sipessut_review_approve", portal.reviewer, id=dataset["id"])
    run_jobs()

    assert smtp_sink.recipients() == _emails(portal.opd_editor, portal.opd_admin)
    message = smtp_sink.messages[0]
    assert "Dataset disetujui dan ditayangkan: Jumlah Puskesmas" in message["subject"]
    assert "telah menyetujui dataset" in message["body"]
    assert f"/dataset/{dataset['name']}" in message["body"]


@pytest.mark.usefixtures("with_request_context")
def test_a_return_carries_the_walidatas_note(portal, smtp_sink):
    dataset = portal.in_state("diajukan")
    jobs.get_queue().empty()

    act(
        "sipessut_review_return",
        portal.reviewer,
        id=dataset["id"],
        note="Kolom satuan belum diisi.\nLengkapi metadata MS-Var.",
    )
    run_jobs()

    assert smtp_sink.recipients() == _emails(portal.opd_editor, portal.opd_admin)
    message = smtp_sink.messages[0]
    assert "Dataset dikembalikan untuk diperbaiki" in message["subject"]
    assert (
        "Catatan dari Walidata:\nKolom satuan belum diisi.\nLengkapi metadata MS-Var."
        in (message["body"])
    )
    assert "tidak lagi ditayangkan" not in message["body"]


@pytest.mark.usefixtures("with_request_context")
def test_taking_a_published_dataset_down_says_so(portal, smtp_sink):
    dataset = portal.in_state("ditayangkan")
    jobs.get_queue().empty()

    act("sipessut_review_return", portal.reviewer, id=dataset["id"], note="Ada data pribadi")
    run_jobs()

    assert "tidak lagi ditayangkan" in smtp_sink.messages[0]["body"]


@pytest.mark.usefixtures("with_request_context")
def test_whoever_acts_is_not_told_about_it(portal, smtp_sink):
    """The Walidata's own dataset, submitted by one of its reviewers."""
    dataset = Dataset(
        owner_org=portal.walidata["id"],
        user=portal.reviewer,
        resources=[{"url": "http://example.com/a.csv", "format": "CSV"}],
    )

    act("sipessut_review_submit", portal.reviewer, id=dataset["id"])
    run_jobs()

    assert portal.reviewer["email"] not in smtp_sink.recipients()
    assert portal.walidata_admin["email"] in smtp_sink.recipients()


@pytest.mark.usefixtures("with_request_context")
@pytest.mark.parametrize(
    ("option", "value"),
    [("smtp.server", ""), ("ckanext.sipessut.review.email_notifications", "false")],
)
def test_no_mail_when_switched_off(portal, smtp_sink, monkeypatch, ckan_config, option, value):
    monkeypatch.setitem(ckan_config, option, value)
    dataset = portal.dataset()

    act("sipessut_review_submit", portal.opd_editor, id=dataset["id"])

    assert jobs.get_queue().count == 0
    run_jobs()
    assert smtp_sink.messages == []


@pytest.mark.usefixtures("with_request_context")
def test_a_mail_server_that_is_down_does_not_stop_the_review(
    portal, smtp_sink, ckan_config, monkeypatch
):
    # Nothing listens on this port: the mailer cannot connect.
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{_free_port()}")
    dataset = portal.dataset()
    failed_before = jobs.get_queue().failed_job_registry.count

    act("sipessut_review_submit", portal.opd_editor, id=dataset["id"])
    run_jobs()

    assert review_state(dataset["id"]) == "diajukan"
    assert smtp_sink.messages == []
    assert jobs.get_queue().failed_job_registry.count == failed_before + 1
