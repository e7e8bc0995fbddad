"""A steward describes a table in the resource form's dictionary block, in a real browser,
and the report checks the file against that dictionary, whatever the form door: a new
dataset and its first table, an edit with a corrected file, an edit of only the
dictionary, the same file uploaded again (issue 11, point 1)."""

from __future__ import annotations

import re

import pytest
from ckan.tests import helpers
from playwright.sync_api import Page, expect

from ckanext.sipessut.tests.browser.resource_form import (
    BAD,
    CORRECTED,
    choose_file,
    fill_title,
    fill_variables,
    screenshots,
)
from ckanext.sipessut.tests.factories import Dataset
from ckanext.sipessut.tests.validation.conftest import DICTIONARY, file_storage

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clean_db", "clean_index")]


def findings(page: Page) -> set[tuple[str, str, str]]:
    """(row, column, error type) of every finding the report page shows."""
    found = set()
    for group in page.locator("section.sipessut-group").all():
        kind = group.get_attribute("data-error-type") or ""
        for row in group.locator("tbody tr").all():
            cells = [c.inner_text().strip() for c in row.locator("td").all()]
            found.add((cells[0], cells[1], kind))
    return found


ISSUE_FINDINGS = {
    ("3", "A kode_wilayah", "constraint-error"),
    ("4", "D jumlah_penduduk", "constraint-error"),
}


def open_report(page: Page, live_server: str, dataset: str) -> None:
    page.goto(f"{live_server}/dataset/{dataset}")
    page.locator("a.sipessut-badge").first.click()
    expect(page.get_by_role("heading", name=re.compile("Laporan validasi"))).to_be_visible()


def stored_resource(user, org, content: str, **fields):
    dataset = Dataset(owner_org=org["id"], user=user, name="penduduk-kecamatan-2024")
    resource = helpers.call_action(
        "resource_create",
        {"user": user["name"]},
        package_id=dataset["id"],
        upload=file_storage(content, "penduduk.csv"),
        url="",
        name="Penduduk per kecamatan",
        **fields,
    )
    return dataset, resource


def save_edit(page: Page) -> None:
    page.locator("#resource-edit button[name=save][value=go-metadata]").click()
    page.wait_for_load_state()


def test_a_new_dataset_and_its_table_with_five_variables(live_server, page, steward):
    page.goto(f"{live_server}/dataset/new")
    fill_title(page, "Penduduk per Kecamatan 2024", "penduduk-per-kecamatan-2024")
    page.locator("#dataset-edit button[name=save]").click()
    expect(page).to_have_url(re.compile(r"/resource/new"))
    choose_file(page, BAD)
    page.fill("#field-name", "Penduduk 2024")
    fill_variables(page)
    page.locator("button[name=save][value=go-metadata]").click()
    page.wait_for_load_state()

    open_report(page, live_server, "penduduk-per-kecamatan-2024")

    assert findings(page) == ISSUE_FINDINGS
    expect(page.get_by_text("belum memiliki kamus data")).to_have_count(0)
    expect(page.get_by_text("Tabel sesuai dengan kamus datanya")).to_have_count(0)
    screenshots(page, "report-form-upload")


def test_an_edit_with_the_corrected_file_is_valid(live_server, page, steward):
    dataset, resource = stored_resource(
        steward["user"], steward["org"], BAD, data_dictionary=DICTIONARY
    )
    page.goto(f"{live_server}/dataset/{dataset['name']}/resource/{resource['id']}/edit")

    choose_file(page, CORRECTED)
    save_edit(page)
    open_report(page, live_server, dataset["name"])

    assert findings(page) == set()
    expect(page.get_by_text("Tabel sesuai dengan kamus datanya")).to_be_visible()
    expect(page.get_by_text("belum memiliki kamus data")).to_have_count(0)


def test_an_edit_of_only_the_dictionary_checks_the_stored_file(live_server, page, steward):
    dataset, resource = stored_resource(steward["user"], steward["org"], BAD)
    open_report(page, live_server, dataset["name"])
    expect(page.get_by_text("belum memiliki kamus data")).to_be_visible()
    expect(page.get_by_text("Tabel sesuai dengan kamus datanya")).to_have_count(0)

    page.goto(f"{live_server}/dataset/{dataset['name']}/resource/{resource['id']}/edit")
    fill_variables(page)
    save_edit(page)
    open_report(page, live_server, dataset["name"])

    assert findings(page) == ISSUE_FINDINGS


def test_the_same_file_uploaded_again_keeps_the_findings(live_server, page, steward):
    dataset, resource = stored_resource(
        steward["user"], steward["org"], BAD, data_dictionary=DICTIONARY
    )
    page.goto(f"{live_server}/dataset/{dataset['name']}/resource/{resource['id']}/edit")

    choose_file(page, BAD)
    save_edit(page)
    open_report(page, live_server, dataset["name"])

    assert findings(page) == ISSUE_FINDINGS
    expect(page.get_by_text("belum memiliki kamus data")).to_have_count(0)
