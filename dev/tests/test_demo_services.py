# ruff: noqa: S603 (the tests start the project's own scripts)
"""What `make demo` promises beside CKAN itself: a mail sink that keeps every message,
and uploads as large as validation handles."""

from __future__ import annotations

import re
import signal
import smtplib
import socket
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mail_sink(tmp_path):
    port = _free_port()
    mail = tmp_path / "mail"
    sink = subprocess.Popen(
        [sys.executable, ROOT / "dev" / "mailsink.py", "--port", str(port), "--dir", mail],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        if sink.poll() is not None or time.monotonic() > deadline:
            sink.kill()
            pytest.fail(f"the mail sink did not listen: {sink.communicate()[0]!r}")
        time.sleep(0.1)
    yield sink, port, mail
    if sink.poll() is None:
        sink.kill()
        sink.wait()


def test_every_message_is_kept_as_an_eml_file(mail_sink):
    sink, port, mail = mail_sink
    for number in (1, 2):
        message = EmailMessage()
        message["From"] = "sipessut-demo@localhost"
        message["To"] = "walidata@samarindakota.example"
        message["Subject"] = f"Dataset menunggu telaah {number}"
        # Base64, as CKAN's mailer sends its text.
        message.set_content(
            f"Dataset nomor {number} diajukan untuk ditelaah — mohon ditinjau.", cte="base64"
        )
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.send_message(
                message, to_addrs=["walidata@samarindakota.example", "reviewer@localhost"]
            )

    files = sorted(mail.glob("*.eml"))
    assert [re.sub(r"^\d{8}-\d{6}-", "", f.name) for f in files] == ["0001.eml", "0002.eml"]
    # The same message for a person with a text editor: the text decoded.
    text = files[0].with_suffix(".txt").read_text()
    assert text.startswith(
        "From: sipessut-demo@localhost\n"
        "To: walidata@samarindakota.example, reviewer@localhost\n"
        "Subject: Dataset menunggu telaah 1\n"
    )
    assert text.rstrip().endswith("Dataset nomor 1 diajukan untuk ditelaah — mohon ditinjau.")
    first = files[0].read_bytes().decode()
    assert first.startswith(
        "X-Envelope-From: sipessut-demo@localhost\r\n"
        "X-Envelope-To: walidata@samarindakota.example, reviewer@localhost\r\n"
    )
    assert "Subject: Dataset menunggu telaah 1" in first
    assert "Content-Transfer-Encoding: base64" in first  # the message exactly as it was sent
    assert "diajukan untuk ditelaah" not in first
    assert list(mail.glob(".*")) == []  # no half-written message left behind

    sink.send_signal(signal.SIGTERM)
    assert sink.wait(timeout=15) == 0


def test_the_demo_accepts_uploads_as_large_as_validation_handles():
    demo = (ROOT / "dev" / "demo.sh").read_text()
    megabytes = int(re.search(r"^DEMO_MAX_RESOURCE_MB=(\d+)$", demo, re.MULTILINE).group(1))
    assert '"ckan.max_resource_size=$DEMO_MAX_RESOURCE_MB"' in demo
    declaration = yaml.safe_load(
        (ROOT / "ckanext" / "sipessut" / "config_declaration.yaml").read_text()
    )
    options = {o["key"]: o for group in declaration["groups"] for o in group["options"]}
    max_bytes = int(options["ckanext.sipessut.validation.max_bytes"]["default"])
    # CKAN multiplies ckan.max_resource_size by 1024 * 1024 (uploader and files API alike).
    assert megabytes * 1024 * 1024 == max_bytes
