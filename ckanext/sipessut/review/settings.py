"""The review domain's configuration, read when used (declared in config_declaration.yaml)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

PREFIX = "ckanext.sipessut.review."


def approval_required() -> bool:
    """Whether only the Walidata (or a sysadmin) may make an OPD's dataset public."""
    return tk.asbool(tk.config.get(PREFIX + "approval_required"))


def reviewer_roles() -> list[str]:
    """Member roles of the Walidata organization that may approve and return."""
    return list(tk.aslist(tk.config.get(PREFIX + "reviewer_roles")))


def require_valid_tabular() -> bool:
    return tk.asbool(tk.config.get(PREFIX + "require_valid_tabular"))


def published_edits_locked() -> bool:
    """`locked`: OPD users cannot edit a published dataset until the Walidata returns it."""
    return tk.config.get(PREFIX + "published_edits") == "locked"


def email_notifications() -> bool:
    """On unless switched off, or unless CKAN has no mail server (`smtp.server` empty)."""
    return tk.asbool(tk.config.get(PREFIX + "email_notifications")) and bool(
        tk.config.get("smtp.server")
    )
