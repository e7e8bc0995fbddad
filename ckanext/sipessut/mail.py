"""Email through CKAN's mailer, sent by a background job (one place for every domain).

CKAN's mailer opens its SMTP connection without a timeout, so a slow mail server must not
hold up a request: the domains compose their messages in the request and `queue` them;
the job `send` delivers them on CKAN's default queue (run `ckan jobs worker`), its RQ
timeout bounding the whole delivery.
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib import mailer

log = logging.getLogger(__name__)

SEND_TIMEOUT = 120  # seconds for the whole job, whatever the mail server does

Message = dict[str, str]  # {name, email, subject, body}


def in_default_language(compose: Any, *args: Any) -> Any:
    """Run `compose` with the portal's default language: an email goes to people, not to
    the visitor whose request sent it."""
    from flask_babel import force_locale

    with force_locale(tk.config.get("ckan.locale_default") or "en"):
        return compose(*args)


def queue(messages: list[Message], title: str) -> bool:
    """Queue one job delivering these messages; False when there is none to send."""
    if not messages:
        return False
    tk.enqueue_job(send, [messages], title=title, rq_kwargs={"timeout": SEND_TIMEOUT})
    return True


def send(messages: list[Message]) -> int:
    """The background job: each message on its own, so that one bad address does not stop
    the others; the failures are reported at the end (the job fails, naming them)."""
    failed = []
    for message in messages:
        try:
            mailer.mail_recipient(
                message["name"], message["email"], message["subject"], message["body"]
            )
        except mailer.MailerException as error:
            log.error("sipessut: mail to %s failed: %s", message["email"], error)
            failed.append(message["email"])
    if failed:
        raise mailer.MailerException(f"not delivered to {', '.join(failed)}")
    return len(messages)
