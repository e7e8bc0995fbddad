"""Dates in Indonesian order and in WITA by default; periods and release dates as a reader
says them."""

from __future__ import annotations

import datetime

import pytest
from ckan.plugins import toolkit as tk
from flask_babel import force_locale

from ckanext.sipessut.portal import helpers, update_config

UTC_MORNING = datetime.datetime(2026, 12, 1, 6, 3)  # 14.03 in Samarinda


def test_the_portal_shows_times_in_wita_by_default():
    assert tk.config.get("ckan.display_timezone") == "Asia/Makassar"


def test_a_zone_the_portal_sets_itself_is_kept():
    config = {
        "ckan.display_timezone": "Asia/Jakarta",
        "ckanext.sipessut.timezone": "Asia/Makassar",
    }
    update_config(config)
    assert config["ckan.display_timezone"] == "Asia/Jakarta"

    config = {"ckan.display_timezone": "UTC", "ckanext.sipessut.timezone": "Asia/Jayapura"}
    update_config(config)
    assert config["ckan.display_timezone"] == "Asia/Jayapura"


def test_date_and_time_in_indonesian_order_and_wita(app):
    with app.flask_app.test_request_context("/"), force_locale("id"):
        assert tk.h.render_datetime(UTC_MORNING, with_hours=True) == "1 Desember 2026, 14.03 WITA"
        assert tk.h.render_datetime(UTC_MORNING) == "1 Desember 2026"
        # an explicit format is CKAN's business
        assert tk.h.render_datetime(UTC_MORNING, date_format="%Y-%m-%d") == "2026-12-01"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2024", None, "2024"),
        ("2024-06", "", "Juni 2024"),
        ("2024-06-30", None, "30 Juni 2024"),
        ("2020", "2024", "2020\u20132024"),
        ("2024-01", "2024-06", "Januari 2024\u2013Juni 2024"),
        ("bukan periode", None, "bukan periode"),
    ],
)
def test_periods_read_as_a_reader_says_them(app, start, end, expected):
    with app.flask_app.test_request_context("/"), force_locale("id"):
        assert helpers.period(start, end) == expected


def test_release_dates_on_a_dataset_page_are_indonesian(app, catalogue):
    page = app.get(f"/dataset/{catalogue.table['name']}").body
    english = app.get(f"/en/dataset/{catalogue.table['name']}").body

    assert "31 Maret 2025" in page
    assert "2025-03-31" not in page.split("additional-info", 1)[1]
    assert "March 31, 2025" in english
