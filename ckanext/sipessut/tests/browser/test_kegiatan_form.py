"""A steward fills the MS-Keg form in a real browser."""

from __future__ import annotations

import pytest
from ckan.tests import factories
from playwright.sync_api import expect

from ckanext.sipessut.tests.browser.conftest import log_in
from ckanext.sipessut.tests.browser.resource_form import fill_title
from ckanext.sipessut.tests.factories import OPD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clean_db", "clean_index")]

PASSWORD = "Rahasia-Samarinda-2025"


def test_steward_fills_ms_keg_with_the_survei_block_and_a_corrected_error(live_server, page):
    user = factories.User(password=PASSWORD)
    OPD(title="Dinas Kesehatan", users=[{"name": user["name"], "capacity": "editor"}])
    log_in(page, live_server, user["name"], PASSWORD)

    page.goto(f"{live_server}/kegiatan/new")
    sample_design = page.locator("legend", has_text="Blok V. Desain Sampel")
    expect(sample_design).to_be_hidden()

    page.select_option("#field-cara_pengumpulan_data", "2")  # Survei
    expect(sample_design).to_be_visible()
    page.select_option("#field-cara_pengumpulan_data", "3")  # Kompilasi Produk Administrasi
    expect(sample_design).to_be_hidden()

    fill_title(
        page,
        "Survei Kepuasan Masyarakat Dinas Kesehatan Kota Samarinda",
        "survei-kepuasan-masyarakat-dinas-kesehatan-kota-samarinda",
    )
    page.fill("#field-tahun", "25")
    page.select_option("#field-sektor_kegiatan", "9")
    page.fill("#field-unit_eselon1", "Sekretariat Daerah")
    page.check("#field-metode_pengumpulan_data-8")
    page.locator("#dataset-edit button[name=save]").click()

    expect(page.get_by_text("25 bukan tahun: tulis empat angka, mis. 2024").first).to_be_visible()
    expect(page.locator("#field-title")).to_have_value(
        "Survei Kepuasan Masyarakat Dinas Kesehatan Kota Samarinda"
    )
    expect(page.locator("#field-sektor_kegiatan")).to_have_value("9")
    expect(page.locator("#field-unit_eselon1")).to_have_value("Sekretariat Daerah")
    expect(page.locator("#field-metode_pengumpulan_data-8")).to_be_checked()

    page.fill("#field-tahun", "2025")
    page.locator("#dataset-edit button[name=save]").click()
    page.locator("button[name=save][value=go-metadata]").click()

    expect(page).to_have_url(
        f"{live_server}/kegiatan/survei-kepuasan-masyarakat-dinas-kesehatan-kota-samarinda"
    )
    info = page.locator("section.additional-info")
    expect(info.get_by_text("Identitas Kegiatan")).to_be_visible()
    expect(info.get_by_text("Kesehatan", exact=True)).to_be_visible()
    expect(info.get_by_text("Blok IV. Desain Kegiatan")).to_be_visible()
    expect(info.get_by_text("Pengumpulan Data Sekunder")).to_be_visible()
