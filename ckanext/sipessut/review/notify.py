"""Email notifications through CKAN's mailer.

On submit the Walidata hears about it; on approve and return the OPD's editors and admins
(and whoever submitted) do. Messages are written in the portal's default language when
the transition happens, then sent by a background job: CKAN's mailer opens its SMTP
connection without a timeout, and a slow mail server must not hold up the request. The
job's timeout bounds it instead. Run a worker on CKAN's default queue
(`ckan jobs worker`) for mail to go out.
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model as ckan_model

from ckanext.sipessut import mail
from ckanext.sipessut.review import model, settings, states, walidata
from ckanext.sipessut.review.model import Event

log = logging.getLogger(__name__)


def notify(package: ckan_model.Package, event: Event) -> None:
    """Queue the messages a transition calls for; never fails the transition."""
    if not settings.email_notifications():
        return
    try:
        recipients = _recipients(package, event)
        if not recipients:
            return
        subject, body = _compose(package, event)
        messages = [
            {"name": name, "email": email, "subject": subject, "body": body}
            for name, email in recipients
        ]
        mail.queue(messages, title=f"sipessut review: {event.action} {package.name}")
    except Exception:
        log.exception("Could not queue the review notification for %s", package.id)


def _recipients(package: ckan_model.Package, event: Event) -> list[tuple[str, str]]:
    people: list[tuple[str, str | None]] = []
    if event.action == "submit":
        people += [(u.display_name, u.email) for u in walidata.reviewers()]
        organization = walidata.organization()
        if organization is not None:
            # The Walidata's own address from its organization page, when it has one.
            people.append((organization.title, organization.extras.get("email")))
    elif event.action in ("approve", "return"):
        people += [(u.display_name, u.email) for u in walidata.producers(package.owner_org)]
        submission = model.last_event(package.id, "submit")
        submitter = ckan_model.User.get(submission.actor_id or "") if submission else None
        if submitter is not None and submitter.state == "active":
            people.append((submitter.display_name, submitter.email))
    actor = ckan_model.User.get(event.actor_id) if event.actor_id else None
    skip = {(actor.email or "").strip().lower()} if actor else set()
    found: list[tuple[str, str]] = []
    for name, email in people:
        address = (email or "").strip()
        if address and address.lower() not in skip:
            skip.add(address.lower())
            found.append((name, address))
    return found


def _compose(package: ckan_model.Package, event: Event) -> tuple[str, str]:
    return mail.in_default_language(_texts, package, event)


def _texts(package: ckan_model.Package, event: Event) -> tuple[str, str]:
    actor = ckan_model.User.get(event.actor_id) if event.actor_id else None
    organization = ckan_model.Group.get(package.owner_org) if package.owner_org else None
    values: dict[str, Any] = {
        "site": tk.config.get("ckan.site_title"),
        "title": package.title or package.name,
        "actor": actor.display_name if actor else "",
        "organization": (organization.title or organization.name) if organization else "",
        "url": tk.url_for(f"{package.type}.read", id=package.name, _external=True),
        "review_url": tk.url_for("sipessut_review.dataset", id=package.name, _external=True),
        "queue_url": tk.url_for("sipessut_review.queue", _external=True),
    }
    if event.action == "submit":
        subject = tk._("[{site}] Dataset submitted for review: {title}")
        lines = [
            tk._('{actor} of {organization} has submitted the dataset "{title}" to the Walidata.'),
            "",
            tk._("Review it here: {review_url}"),
            tk._("All submissions waiting for review: {queue_url}"),
        ]
    elif event.action == "approve":
        subject = tk._("[{site}] Dataset approved and published: {title}")
        lines = [
            tk._('The Walidata ({actor}) has approved the dataset "{title}" of {organization}.'),
            tk._("It is now public at: {url}"),
        ]
    else:
        subject = tk._("[{site}] Dataset returned for correction: {title}")
        lines = [
            tk._(
                'The Walidata ({actor}) has returned the dataset "{title}" of {organization}'
                " for correction."
            )
        ]
        if event.from_state == states.DITAYANGKAN:
            lines.append(tk._("It is no longer public until the Walidata approves it again."))
        lines += ["", tk._("Correct the dataset and submit it again: {url}")]
    body = [line.format(**values) for line in lines]
    if event.note:
        label = (
            tk._("Note from the submitter:")
            if event.action == "submit"
            else tk._("Note from the Walidata:")
        )
        body += ["", label, event.note]
    body += ["", "--", tk._("Sent automatically by {site}.").format(**values)]
    # A title with a line break must not break the Subject header.
    return " ".join(subject.format(**values).split()), "\n".join(body) + "\n"
