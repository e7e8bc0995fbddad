"""Email of the monitoring (reminders, data requests), through CKAN's mailer in a job.

CKAN's mailer opens its SMTP connection without a timeout: messages are composed in the
request (in the portal's default language) and sent by a background job on CKAN's default
queue, whose timeout bounds a slow mail server. Run `ckan jobs worker`.
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib import mailer

from ckanext.sipessut.monitoring import settings

log = logging.getLogger(__name__)

SEND_TIMEOUT = 120  # seconds for the whole job


def in_default_language(compose: Any, *args: Any) -> Any:
    """Run `compose` with the portal's default language (emails are not per visitor)."""
    from flask_babel import force_locale

    with force_locale(tk.config.get("ckan.locale_default") or "en"):
        return compose(*args)


def queue(messages: list[dict[str, str]], title: str) -> bool:
    """Queue messages ({name, email, subject, body}); False when mail is off or none."""
    if not settings.email_notifications() or not messages:
        return False
    tk.enqueue_job(send, [messages], title=title, rq_kwargs={"timeout": SEND_TIMEOUT})
    return True


def send(messages: list[dict[str, str]]) -> int:
    """The background job: each message on its own; failures reported at the end."""
    failed = []
    for message in messages:
        try:
            mailer.mail_recipient(
                message["name"], message["email"], message["subject"], message["body"]
            )
        except mailer.MailerException as error:
            log.error("sipessut monitoring: mail to %s failed: %s", message["email"], error)
            failed.append(message["email"])
    if failed:
        raise mailer.MailerException(f"not delivered to {', '.join(failed)}")
    return len(messages)


def footer() -> list[str]:
    return [
        "",
        "--",
        tk._("Sent automatically by {site}.").format(site=tk.config.get("ckan.site_title")),
    ]
