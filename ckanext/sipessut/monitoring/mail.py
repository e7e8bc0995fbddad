"""Email of the monitoring (reminders, data requests), through CKAN's mailer in a job.

CKAN's mailer opens its SMTP connection without a timeout: messages are composed in the
request (in the portal's default language) and sent by a background job on CKAN's default
queue, whose timeout bounds a slow mail server. Run `ckan jobs worker`.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.sipessut import mail as shared_mail
from ckanext.sipessut.monitoring import settings

in_default_language = shared_mail.in_default_language


def queue(messages: list[dict[str, str]], title: str) -> bool:
    """Queue messages ({name, email, subject, body}); False when mail is off or none."""
    if not settings.email_notifications():
        return False
    return shared_mail.queue(messages, title)


def footer() -> list[str]:
    return [
        "",
        "--",
        tk._("Sent automatically by {site}.").format(site=tk.config.get("ckan.site_title")),
    ]
