"""The monitoring domain's options, read when used (declared in config_declaration.yaml)."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk

from ckanext.sipessut import settings as portal_wide

PREFIX = "ckanext.sipessut.monitoring."


# The portal's time zone (portal-wide option ckanext.sipessut.timezone): what "today" and
# a release's date mean.
timezone = portal_wide.timezone


def today() -> datetime.date:
    return datetime.datetime.now(timezone()).date()


def public_summary() -> bool:
    """Whether visitors see the per-OPD summary (public datasets only) at /monitoring."""
    return tk.asbool(tk.config.get(PREFIX + "public_summary"))


def grace_days() -> int:
    """A release this many days after its due date still counts as on time."""
    return int(tk.config.get(PREFIX + "grace_days") or 0)


def reminder_days() -> int:
    """How many days before a due release the OPD's editors are reminded."""
    return int(tk.config.get(PREFIX + "reminder_days") or 0)


def calendar_months() -> int:
    """How many months ahead the calendar and its iCalendar feeds look."""
    return max(1, int(tk.config.get(PREFIX + "calendar_months") or 12))


def email_notifications() -> bool:
    """Reminders and data-request emails: on unless switched off or CKAN has no mail server."""
    return tk.asbool(tk.config.get(PREFIX + "email_notifications")) and bool(
        tk.config.get("smtp.server")
    )


def requests_per_hour() -> int:
    """Data requests accepted from one network address, or one email address, per hour."""
    return int(tk.config.get(PREFIX + "requests_per_hour") or 0)


def epss_indicators_file() -> str:
    return str(tk.config.get(PREFIX + "epss_indicators") or "")
