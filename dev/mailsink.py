"""The demo's mail sink: an SMTP server on loopback that keeps every message it is given.

    python dev/mailsink.py --port 2525 --dir .work/demo/mail

Built on aiosmtpd. Nothing is relayed: each message is written to DIR as one
file, `YYYYmmdd-HHMMSS-NNNN.eml` (UTC, numbered in order of arrival), exactly
as CKAN's mailer sent it, after two headers that name the SMTP envelope
(`X-Envelope-From`, `X-Envelope-To`); any mail client opens it. Beside it,
`...-NNNN.txt` is the same message for a person with a text editor: sender,
recipients, subject and date, then the text decoded (CKAN sends it base64).
Each file is written under a temporary name and then renamed, so a reader never
sees half a message. SIGTERM or SIGINT stops the server.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import itertools
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

# CKAN's review emails are a few kilobytes; anything much larger is refused.
MAX_MESSAGE_BYTES = 10 * 1024 * 1024


class SaveToDirectory:
    """aiosmtpd handler: one .eml file a message."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.numbers = itertools.count(len(list(directory.glob("*.eml"))) + 1)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        number = next(self.numbers)
        name = f"{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{number:04d}.eml"
        envelope_headers = (
            f"X-Envelope-From: {envelope.mail_from}\r\n"
            f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n"
        ).encode()
        self._write(name, envelope_headers + envelope.original_content)
        self._write(name[: -len(".eml")] + ".txt", readable(envelope).encode())
        print(f"{name}: from {envelope.mail_from} to {', '.join(envelope.rcpt_tos)}", flush=True)
        return "250 Message accepted for delivery"

    def _write(self, name: str, content: bytes) -> None:
        partial = self.directory / f".{name}.part"
        partial.write_bytes(content)
        os.replace(partial, self.directory / name)


def readable(envelope: Any) -> str:
    """The message as a person reads it: who, what, when, then its text."""
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain", "html"))
    text = body.get_content() if body is not None else "(no text part)"
    return (
        f"From: {message.get('From', envelope.mail_from)}\n"
        f"To: {', '.join(envelope.rcpt_tos)}\n"
        f"Subject: {message.get('Subject', '')}\n"
        f"Date: {message.get('Date', '')}\n\n{text}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", type=Path, required=True, help="where messages are written")
    args = parser.parse_args()
    controller = Controller(
        SaveToDirectory(args.dir),
        hostname="127.0.0.1",
        port=args.port,
        data_size_limit=MAX_MESSAGE_BYTES,
    )
    controller.start()
    print(f"mail sink on 127.0.0.1:{args.port}, writing to {args.dir}", flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()
    return 0


if __name__ == "__main__":
    # Blocked in every thread, so that sigwait in the main thread receives them.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    sys.exit(main())
