"""A visitor opens a validated table in a real browser: filters the preview, reads the
chart with the kecamatan names, and downloads the XLSX (three sheets: the rows, the data
dictionary, the metadata)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from ckan.lib import jobs
from ckan.tests import factories, helpers
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from ckanext.sipessut.tests.factories import OPD, Dataset
from ckanext.sipessut.tests.publicdata.conftest import (
    DICTIONARY,
    GOOD_CSV,
    drop_datastore_tables,
    file_storage,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("clean_db", "clean_index", "clean_redis"),
]

# Set to a directory to keep screenshots of the pages at 1366 and 390 px (not in git).
SCREENSHOTS = os.environ.get("SIPESSUT_SCREENSHOT_DIR")


def _shoot(page, name: str) -> None:
    if not SCREENSHOTS:
        return
    Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(400)
        page.screenshot(path=f"{SCREENSHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


@pytest.fixture
def dataset():
    drop_datastore_tables()
    editor = factories.User()
    org = OPD(title="Dinas Kependudukan", users=[{"name": editor["name"], "capacity": "editor"}])
    dataset = Dataset(owner_org=org["id"], title="Jumlah Penduduk per Kecamatan 2024")
    helpers.call_action(
        "resource_create",
        {"user": editor["name"]},
        package_id=dataset["id"],
        upload=file_storage(GOOD_CSV, "penduduk.csv"),
        url="",
        name="Penduduk per kecamatan",
        data_dictionary=json.dumps(DICTIONARY),
    )
    jobs.Worker(["sipessut"]).work(burst=True)  # the load job
    return helpers.call_action("package_show", id=dataset["id"])


def test_the_public_previews_filters_charts_and_downloads_a_table(
    live_server, page, dataset, tmp_path
):
    loaded_table = dataset["resources"][0]
    assert loaded_table["datastore_active"] is True
    views = helpers.call_action("resource_view_list", id=loaded_table["id"])
    resource_url = f"{live_server}/dataset/{dataset['name']}/resource/{loaded_table['id']}"

    # The preview (CKAN's datatables_view, completed from the dictionary).
    page.goto(resource_url)
    preview = page.frame_locator("iframe").first
    first_row = preview.locator("#dtprv tbody tr").first
    expect(first_row).to_contain_text("Kecamatan Palaran")
    expect(first_row).to_contain_text("61.234")  # Indonesian thousands separator
    expect(first_row).to_contain_text("221,29")  # and decimal comma
    expect(preview.locator("#dtprv thead").first).to_contain_text("(jiwa)")
    search = preview.locator("input[type=search]").first
    search.fill("Seberang")
    search.press("Enter")
    expect(preview.locator("#dtprv tbody tr")).to_have_count(1)
    expect(preview.locator("#dtprv tbody tr").first).to_contain_text("Samarinda Seberang")
    _shoot(page, "resource-page")

    # The chart, with the kecamatan names on its axis.
    chart_view = next(v for v in views if v["view_type"] == "sipessut_chart")
    page.goto(f"{resource_url}?view_id={chart_view['id']}")
    figure = page.locator("figure.sipessut-chart")
    expect(figure).to_have_attribute("data-chart-ready", "true")
    # The kecamatan names on the axis, their shared first word as the axis name.
    axis = figure.locator(".sipessut-chart-canvas svg")
    expect(axis).to_contain_text("PalaranSamarinda SeberangSamarinda Ulu")
    expect(axis).to_contain_text("Kecamatan")
    expect(figure.locator(".sipessut-chart-canvas")).to_have_attribute(
        "aria-label", re.compile("Grafik: Jumlah Penduduk \\(jiwa\\) menurut Kode Wilayah")
    )
    with page.expect_download() as svg:
        figure.get_by_role("button", name="Unduh SVG").click()
    assert svg.value.suggested_filename.endswith(".svg")
    _shoot(page, "chart-view")

    # The XLSX from the Unduh menu.
    page.get_by_role("button", name="Unduh").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Excel \\(XLSX\\)")).click()
    path = tmp_path / "tabel.xlsx"
    download.value.save_as(path)
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["Data", "Kamus Data", "Metadata"]
    rows = book.get_sheet_by_name("Data").to_python()
    assert len(rows) == 4
    assert rows[1][:2] == ["64.72.01", "Palaran"]
    dictionary = book.get_sheet_by_name("Kamus Data").to_python()
    assert dictionary[1][:2] == ["kode_wilayah", "Kode Wilayah"]
    assert "nik_petugas" not in {row[0] for row in dictionary}

    # The dataset page offers the same menu for the table.
    page.goto(f"{live_server}/dataset/{dataset['name']}")
    expect(page.locator(".sipessut-download").first).to_be_visible()
    _shoot(page, "dataset-page")
