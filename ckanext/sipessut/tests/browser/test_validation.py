"""An OPD editor uploads a broken table through the resource form, in a real browser,
and finds out what to fix: the badge, the report, the highlighted cell, in Indonesian."""

from __future__ import annotations

import re

import pytest
from ckan.tests import factories
from playwright.sync_api import expect

from ckanext.sipessut.tests.factories import OPD, Dataset

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clean_db", "clean_index")]

PASSWORD = "Sandi-Kuat-2024"
# Row 3 has one cell more than the header has columns: a typical Excel export slip.
BROKEN_CSV = (
    "kode_wilayah;kecamatan;jumlah_penduduk\r\n"
    "64.72.01;Palaran;61234\r\n"
    "64.72.02;Samarinda Seberang;70456;catatan lepas\r\n"
    "64.72.03;Samarinda Ulu;131902\r\n"
)


def test_editor_uploads_an_invalid_csv_and_reads_the_report(live_server, page):
    editor = factories.User(name="editor-dinkes", password=PASSWORD)
    org = OPD(title="Dinas Kesehatan", users=[{"name": editor["name"], "capacity": "editor"}])
    dataset = Dataset(
        owner_org=org["id"], name="penduduk-kecamatan", title="Penduduk per Kecamatan"
    )

    page.goto(f"{live_server}/user/login")
    page.fill("#field-login", editor["name"])
    page.fill("#field-password", PASSWORD)
    page.locator("form").filter(has=page.locator("#field-password")).locator(
        "button[type=submit]"
    ).click()
    expect(page).not_to_have_url(re.compile(r"/user/login"))

    page.goto(f"{live_server}/dataset/{dataset['name']}/resource/new")
    with page.expect_file_chooser() as chooser:
        page.click("#resource-upload-button")
    chooser.value.set_files(
        {"name": "penduduk.csv", "mimeType": "text/csv", "buffer": BROKEN_CSV.encode()}
    )
    page.fill("#field-name", "Penduduk 2024")
    page.click("button[name=save][value=go-dataset-complete]")

    page.goto(f"{live_server}/dataset/{dataset['name']}")
    badge = page.locator("a.sipessut-badge")
    expect(badge).to_have_text("Tidak valid")
    badge.click()

    expect(page.get_by_role("heading", name=re.compile("Laporan validasi"))).to_be_visible()
    expect(page.get_by_text("Sel di luar kolom tabel").first).to_be_visible()
    expect(
        page.get_by_text("Baris ini memiliki lebih banyak sel daripada jumlah kolom di header.")
    ).to_be_visible()
    bad_cell = page.locator("td.sipessut-bad")
    expect(bad_cell).to_have_count(1)
    expect(bad_cell).to_have_text("catatan lepas")
    expect(bad_cell).to_have_attribute("title", "Sel di luar kolom tabel")
