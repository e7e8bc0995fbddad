"""The public opens the portal in a real browser and reads a dataset."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ckanext.sipessut.tests.factories import OPD, Dataset

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clean_db", "clean_index")]


def test_visitor_reads_home_page_and_a_dataset_page(live_server, page):
    org = OPD(title="Dinas Komunikasi dan Informatika")
    dataset = Dataset(
        owner_org=org["id"],
        title="Jumlah Penduduk per Kecamatan",
        notes="Jumlah penduduk Kota Samarinda menurut kecamatan.",
    )

    page.goto(live_server + "/")
    expect(page).to_have_title(re.compile(r"SiPessut \(test\)"))

    page.goto(f"{live_server}/dataset/{dataset['name']}")
    title = page.get_by_role("article").get_by_role("heading", name="Jumlah Penduduk per Kecamatan")
    expect(title).to_be_visible()
    expect(page.get_by_text("Jumlah penduduk Kota Samarinda menurut kecamatan.")).to_be_visible()
    expect(page.get_by_text("Dinas Komunikasi dan Informatika").first).to_be_visible()
