"""Template helpers of the validation domain: badges and labels."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut.validation import messages, status


def validation_badge(resource: dict[str, Any]) -> dict[str, Any] | None:
    """What the badge of a resource shows, or None for resources that are not tables."""
    if not resource or not status.is_tabular(resource):
        return None
    value = status.status_of(resource)
    return {
        "status": value,
        "label": status.label(value),
        "timestamp": resource.get(status.TIMESTAMP_FIELD),
        "url": tk.url_for(
            "sipessut_validation.report",
            id=resource.get("package_id"),
            resource_id=resource.get("id"),
        ),
    }


def validation_status_label(value: str | None) -> str:
    return status.label(value)


def validation_notice(notice: dict[str, Any]) -> str:
    return messages.notice_message(notice)


def validation_reason(reason: dict[str, Any] | None) -> str:
    return messages.reason_message(reason)


def validation_column(number: int | None) -> str:
    return messages.column_letter(number)


def validation_column_name(error: dict[str, Any]) -> str:
    """A finding's column as the file names it ("" for a column without a name)."""
    return messages.column_name(error)


def validation_limit(limit: dict[str, Any]) -> str:
    return messages.reason_message(limit)


def validation_type_title(kind: str) -> str:
    return messages.type_title(kind)


def validation_trigger(trigger: str | None) -> str:
    labels = {
        "create": tk._("New resource"),
        "update": tk._("Resource changed"),
        "manual": tk._("Requested"),
        "cli": tk._("Bulk run"),
    }
    return labels.get(trigger or "", trigger or "")


HELPERS = {
    "sipessut_validation_type_title": validation_type_title,
    "sipessut_validation_trigger": validation_trigger,
    "sipessut_validation_badge": validation_badge,
    "sipessut_validation_status_label": validation_status_label,
    "sipessut_validation_notice": validation_notice,
    "sipessut_validation_reason": validation_reason,
    "sipessut_validation_column": validation_column,
    "sipessut_validation_column_name": validation_column_name,
    "sipessut_validation_limit": validation_limit,
}
