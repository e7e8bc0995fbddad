"""Template helpers of the monitoring domain (also what the portal's home page and menu call)."""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut.monitoring import data_requests, queries, release_calendar, schedule

DATASET_TYPES = ("dataset", "kegiatan", "indikator")


def month(day: datetime.date | str) -> str:
    """ "Januari 2027" in the user's language."""
    from flask_babel import format_date

    if isinstance(day, str):
        day = datetime.date.fromisoformat(f"{day[:7]}-01")
    return format_date(day, "LLLL y").capitalize()


def date(value: datetime.date | str | None) -> str:
    """A date as the user reads it ("31 Januari 2027")."""
    from flask_babel import format_date

    day = schedule.parse_date(value)
    return format_date(day, "d MMMM y") if day else ""


def organizations() -> list[dict[str, str]]:
    return queries.organizations()


def field_labels() -> dict[str, str]:
    """The label of each metadata field (every dataset type), in the user's language."""
    labels: dict[str, str] = {}
    for dataset_type in DATASET_TYPES:
        schema = tk.h.scheming_get_dataset_schema(dataset_type) or {}
        for field in schema.get("dataset_fields", []):
            labels.setdefault(field["field_name"], tk.h.scheming_language_text(field.get("label")))
    return labels


def upcoming_releases(limit: int = 5) -> list[dict[str, Any]]:
    """The next public releases (for the portal's home page): [{"title", "name",
    "organization", "next_release", "url", ...}], earliest first."""
    return release_calendar.upcoming(limit)


def menu_items(with_calendar: bool = True) -> list[tuple[Any, ...]]:
    """The monitoring's entries of the main menu, as h.build_nav_main takes them
    (route, label, highlighted routes, auth function): the public's two, then the
    Walidata's monitoring for those who may see it. `with_calendar=False` leaves out the
    release calendar, for a menu that links it already (the portal's)."""
    calendar = [("sipessut_monitoring.calendar", tk._("Release calendar"))]
    return [
        *(calendar if with_calendar else []),
        ("sipessut_monitoring.request_form", tk._("Data requests")),
        ("sipessut_monitoring.overview", tk._("Monitoring"), None, "sipessut_monitoring_datasets"),
    ]


def request_state_label(state: str) -> str:
    return data_requests.state_label(state)


def sektor_label(code: str | None) -> str:
    return release_calendar.sektor_label(code)


def jadwal_label(code: str | None) -> str:
    return release_calendar.jadwal_label(code)


def bar_width(value: Any, largest: Any) -> float:
    """A bar's length in percent of the chart's width (0-100)."""
    try:
        return round(100 * float(value) / float(largest), 1) if largest else 0.0
    except (TypeError, ValueError):
        return 0.0


HELPERS = {
    "sipessut_monitoring_month": month,
    "sipessut_monitoring_date": date,
    "sipessut_monitoring_organizations": organizations,
    "sipessut_monitoring_field_labels": field_labels,
    "sipessut_monitoring_upcoming_releases": upcoming_releases,
    "sipessut_monitoring_menu_items": menu_items,
    "sipessut_monitoring_request_state_label": request_state_label,
    "sipessut_monitoring_sektor_label": sektor_label,
    "sipessut_monitoring_jadwal_label": jadwal_label,
    "sipessut_monitoring_bar_width": bar_width,
}
