"""A table too slow to check inside the request: the steward's save stands, the check
moves to the background, and the steward is told, after the form and on the report."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ckanext.sipessut.tests.browser.resource_form import (
    BAD,
    choose_file,
    fill_title,
    fill_variables,
    screenshots,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clean_db", "clean_index")]

# Every table is "too slow" for this server: the budget runs out at the first rows.
LIVE_SERVER_SETTINGS = {"ckanext.sipessut.validation.sync_max_seconds": "0.000001"}
MOVED = re.compile(r"dilanjutkan di latar belakang\. Perubahan Anda sudah tersimpan")


def test_a_slow_table_moves_to_the_background_and_the_steward_is_told(live_server, page, steward):
    page.goto(f"{live_server}/dataset/new")
    fill_title(page, "Penduduk per Kecamatan 2024", "penduduk-per-kecamatan-2024")
    page.locator("#dataset-edit button[name=save]").click()
    expect(page).to_have_url(re.compile(r"/resource/new"))  # the resource form, loaded
    choose_file(page, BAD)
    page.fill("#field-name", "Penduduk 2024")
    fill_variables(page)
    page.locator("button[name=save][value=go-metadata]").click()
    page.wait_for_load_state()

    expect(page.get_by_text(MOVED)).to_be_visible()  # the flash after the form
    screenshots(page, "moved-flash")
    badge = page.locator("a.sipessut-badge").first
    expect(badge).to_have_text("Menunggu validasi")
    badge.click()
    expect(page.locator("p.sipessut-moved")).to_have_text(MOVED)
    screenshots(page, "moved-report")
