"""The forms as a steward fills them, for the browser journeys: a dataset's title (and its
URL), the resource's file, the five variables of the issue's table in the dictionary block,
and screenshots to look at."""

from __future__ import annotations

import os

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from ckanext.sipessut.tests.validation.conftest import ISSUE_CORRECTED_CSV, ISSUE_CSV

BAD, CORRECTED = ISSUE_CSV, ISSUE_CORRECTED_CSV
# Where to write screenshots of the pages (to look at them), when set.
SCREENSHOTS = os.environ.get("SIPESSUT_SCREENSHOTS")

# The five variables as a steward types them: (name, type, code list, minimum, maximum,
# Indonesian numbers)
VARIABLES = [
    ("kode_wilayah", "string", "wilayah:kecamatan", "", "", False),
    ("kecamatan", "string", "", "", "", False),
    ("tahun", "integer", "", "2000", "2030", False),
    ("jumlah_penduduk", "integer", "", "0", "", False),
    ("luas_km2", "number", "", "", "", True),
]


def fill_title(page: Page, title: str, name: str) -> None:
    """The title of a new dataset, kegiatan or indikator. CKAN's script fills the URL from the
    title as it is typed; where it has not run yet (a busy machine, CKAN 2.11 at times), the
    URL is given as a person would, instead of the save failing on an empty URL."""
    page.fill("#field-title", title)
    url = page.locator("#field-name")
    if not url.input_value():
        url.evaluate("(field, value) => { field.value = value; }", name)


def choose_file(page: Page, content: str, name: str = "penduduk.csv") -> None:
    """Choose the table's file as a person does: the upload button of a new resource, or
    "Hapus Unggahan" then the file field when the resource already holds an upload."""
    remove = page.get_by_role("button", name="Hapus Unggahan")
    if remove.count():
        remove.click()
        target = "#field-resource-upload"
    else:
        target = "#resource-upload-button"
    with page.expect_file_chooser() as chooser:
        page.click(target)
    chooser.value.set_files({"name": name, "mimeType": "text/csv", "buffer": content.encode()})


def fill_variables(page: Page) -> None:
    # "Tambah kolom" works once CKAN has started the page's modules, which it does after
    # fetching its translations: on a busy machine that comes after the page has loaded.
    page.wait_for_load_state("networkidle")
    for index, (name, kind, codelist, minimum, maximum, decimal_comma) in enumerate(VARIABLES):
        prefix = f"data_dictionary-{index}-"
        add_row(page, page.locator(f"[name='{prefix}name']"))
        page.fill(f"[name='{prefix}name']", name)
        page.select_option(f"[name='{prefix}type']", kind)
        if codelist:
            page.select_option(f"[name='{prefix}codelist']", codelist)
        # the limits are folded under "more about this column": opened as a person does
        more = page.locator(f"details.sipessut-variable-more:has([name='{prefix}minimum'])")
        if not more.evaluate("details => details.open"):
            more.locator("summary").click()
        page.fill(f"[name='{prefix}minimum']", minimum)
        page.fill(f"[name='{prefix}maximum']", maximum)
        if decimal_comma:
            page.check(f"[name='{prefix}decimal_comma']")


def add_row(page: Page, field) -> None:
    """Adds a variable row until `field` is there, as a person clicks again when the first
    click did nothing (a button whose script had not started yet)."""
    for _attempt in range(3):
        if field.count():
            return
        page.get_by_role("button", name="Tambah kolom").click()
        try:
            field.wait_for(timeout=5_000)
        except PlaywrightTimeoutError:
            continue
    field.wait_for()  # fails, naming the field, if it never came


def screenshots(page: Page, name: str) -> None:
    for width in (1366, 390) if SCREENSHOTS else ():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SCREENSHOTS}/{name}-{width}.png", full_page=True)
