"""The public's and the OPD officer's journeys in a real Chromium, on a laptop and on a phone.

Every page is screenshotted (see looking.py for where), read for English, checked for
sideways scrolling and audited by axe-core.

- The public: the home page, a sektor tile, the wilayah filter, a table, its kegiatan and
  its indikator.
- The officer: a new dataset, its dictionary from *Usulkan kamus data*, a submission
  refused for a missing field, the checklist that shows it, the fix, the submission.
"""

from __future__ import annotations

import re

import pytest
from ckan.tests import factories
from playwright.sync_api import expect

from ckanext.sipessut.tests.browser.looking import WIDTHS, look, recording
from ckanext.sipessut.tests.browser.resource_form import fill_title
from ckanext.sipessut.tests.factories import OPD, Dataset, Indikator, Kegiatan

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clean_db", "clean_index")]

PASSWORD = "Sandi-Petugas-2024"
CSV = (
    "kode_wilayah,kecamatan,tahun,jumlah_kelahiran\n"
    "64.72.01,Palaran,2024,1021\n"
    "64.72.02,Samarinda Seberang,2024,1187\n"
    "64.72.03,Samarinda Ulu,2024,2210\n"
)


def _catalogue():
    disdukcapil = OPD(name="disdukcapil", title="Dinas Kependudukan dan Pencatatan Sipil")
    dinkes = OPD(name="dinkes", title="Dinas Kesehatan")
    kegiatan = Kegiatan(
        owner_org=disdukcapil["id"],
        name="kompilasi-registrasi-penduduk-2025",
        title="Kompilasi Registrasi Penduduk 2025",
        notes="Kompilasi data registrasi penduduk Kota Samarinda.",
    )
    indikator = Indikator(
        owner_org=disdukcapil["id"],
        name="kepadatan-penduduk",
        title="Kepadatan Penduduk",
        notes="Banyaknya penduduk per kilometer persegi.",
        kegiatan=kegiatan["id"],
    )
    table = Dataset(
        owner_org=disdukcapil["id"],
        name="jumlah-penduduk-menurut-kecamatan-2024",
        title="Jumlah Penduduk Menurut Kecamatan, 2024",
        notes="Jumlah penduduk Kota Samarinda menurut kecamatan.",
        license_id="cc-by",
        kegiatan=kegiatan["id"],
        indikator=[indikator["id"]],
        tanggal_rilis_terakhir="2025-03-31",
        resources=[
            {
                "url": "http://example.com/penduduk.csv",
                "format": "CSV",
                "name": "Tabel penduduk 2024",
                "data_dictionary": {
                    "fields": [
                        {
                            "name": "kode_wilayah",
                            "title": "Kode Wilayah",
                            "codelist": {"name": "wilayah", "where": {"level": "kecamatan"}},
                        },
                        {"name": "jumlah_penduduk", "title": "Jumlah Penduduk", "type": "integer"},
                    ]
                },
            }
        ],
    )
    Dataset(
        owner_org=dinkes["id"],
        title="Jumlah Puskesmas, 2024",
        notes="Puskesmas dan puskesmas pembantu.",
        sektor="9",
        tingkat_penyajian=["4"],
        license_id="cc-by",
    )
    return table


@pytest.mark.parametrize("width", WIDTHS)
def test_a_citizen_finds_a_table_by_sektor_and_wilayah_and_reads_it(live_server, browser, width):
    _catalogue()
    context = browser.new_context(locale="id-ID", viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems: list[str] = []
    with recording(page, "public"):
        _citizen(page, live_server, width, problems)
    context.close()
    assert problems == []


def _citizen(page, live_server, width, problems):
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", name="Portal Satu Data Kota Samarinda")).to_be_visible()
    expect(page.locator(".sipessut-figures")).to_contain_text("2 tabel data")
    problems += look(page, "public", "1-home")

    page.get_by_role("link", name=re.compile("Demografi dan Kependudukan")).first.click()
    expect(page).to_have_url(re.compile(r"vocab_sektor=2"))
    problems += look(page, "public", "2-search-by-sektor")

    if width < 768:  # on a phone the filters open from a button
        page.get_by_text("Saring Hasil").click()
    page.get_by_role("link", name=re.compile(r"Kecamatan Samarinda Ulu")).first.click()
    expect(page).to_have_url(re.compile(r"vocab_wilayah=64\.72\.03"))
    if width < 768:
        # and close once the filter is chosen: the facet link is followed by htmx, the
        # drawer stays open, and its close button must work on the new content (on CKAN
        # 2.11 it did nothing until sipessut-filters.js)
        page.wait_for_load_state("networkidle")
        if page.locator("body.filters-modal").count():
            page.locator(".hide-filters").first.click()
        expect(page.locator("body.filters-modal")).to_have_count(0)
    result = page.locator(".dataset-item").filter(has_text="Jumlah Penduduk Menurut Kecamatan")
    expect(result).to_contain_text("Tabel data")
    expect(result).to_contain_text("Dinas Kependudukan dan Pencatatan Sipil")
    expect(page.locator(".dataset-item")).not_to_contain_text(["Jumlah Puskesmas"])
    problems += look(page, "public", "3-search-by-wilayah")

    result.get_by_role("link", name=re.compile("Jumlah Penduduk Menurut Kecamatan")).click()
    expect(page.get_by_text("Diperiksa Walidata")).to_be_visible()
    expect(page.get_by_text("31 Maret 2025")).to_be_visible()
    if width < 768:  # on a phone the data comes before the OPD's box
        data_top = page.get_by_role("heading", name="Data dan Sumber Daya").bounding_box()["y"]
        opd_top = page.locator("#organization-info").bounding_box()["y"]
        assert data_top < opd_top
    problems += look(page, "public", "4-table")

    page.get_by_role("link", name="Kompilasi Registrasi Penduduk 2025").first.click()
    # (CKAN 2.11 also heads the OPD's box with an h1)
    expect(page.locator("h1").filter(has_text="Kompilasi Registrasi Penduduk")).to_be_visible()
    expect(page.get_by_text("Kumpulan data ini belum berisi data")).to_have_count(0)
    problems += look(page, "public", "5-kegiatan")

    page.goto(live_server + "/indikator/kepadatan-penduduk")
    expect(page.get_by_text("Lisensi tidak disebutkan")).to_have_count(0)
    problems += look(page, "public", "6-indikator")


@pytest.mark.parametrize("width", WIDTHS)
def test_an_officer_describes_submits_is_told_what_is_missing_fixes_and_submits(
    live_server, browser, width
):
    editor = factories.User(name=f"petugas-{width}", password=PASSWORD)
    OPD(name="diskominfo", title="Dinas Komunikasi dan Informatika", peran="walidata")
    OPD(
        name="disdukcapil",
        title="Dinas Kependudukan dan Pencatatan Sipil",
        users=[{"name": editor["name"], "capacity": "editor"}],
    )
    context = browser.new_context(locale="id-ID", viewport={"width": width, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    problems: list[str] = []
    with recording(page, "officer"):
        _officer(page, live_server, editor, problems)
    context.close()
    assert problems == []


def _officer(page, live_server, editor, problems):
    page.goto(f"{live_server}/user/login")
    page.fill("#field-login", editor["name"])
    page.fill("#field-password", PASSWORD)
    page.locator("#field-password").press("Enter")
    expect(page).to_have_url(re.compile(r"/dashboard"))

    # A new table, its source left out.
    page.goto(f"{live_server}/dataset/new")
    fill_title(
        page, "Jumlah Kelahiran Menurut Kecamatan, 2024", "jumlah-kelahiran-menurut-kecamatan-2024"
    )
    page.get_by_label("Deskripsi").fill("Kelahiran yang tercatat di Disdukcapil.")
    page.locator("#field-sektor").select_option("2")
    page.get_by_label("Periode Data (awal)").fill("2024")
    page.locator("#field-jadwal_pemutakhiran").select_option("tahunan")
    page.get_by_label("Kecamatan", exact=True).check()
    problems += look(page, "officer", "1-new-dataset")
    page.get_by_role("button", name="Berikutnya: Tambah Data").click()
    expect(page).to_have_url(re.compile(r"/resource/new"))  # the resource form, loaded

    # Its file: the last button saves a draft (it does not publish).
    with page.expect_file_chooser() as chooser:
        page.click("#resource-upload-button")
    chooser.value.set_files(
        {"name": "kelahiran.csv", "mimeType": "text/csv", "buffer": CSV.encode()}
    )
    page.fill("#field-name", "Tabel kelahiran 2024")
    problems += look(page, "officer", "2-add-the-file")
    page.get_by_role("button", name="Simpan draf").click()
    expect(
        page.locator("h1").filter(has_text="Jumlah Kelahiran Menurut Kecamatan").first
    ).to_be_visible()

    # The dictionary from what the table shows.
    page.get_by_role("link", name=re.compile("Tabel kelahiran 2024")).first.click()
    page.get_by_role("link", name=re.compile("Edit sumber daya")).first.click()
    page.get_by_role("link", name=re.compile("Usulkan kamus data")).click()
    expect(page.get_by_text("Diusulkan dari isi tabel")).to_be_visible()
    expect(page.locator('input[name="data_dictionary-0-name"]')).to_have_value("kode_wilayah")
    expect(page.locator('select[name="data_dictionary-0-codelist"]')).to_have_value(
        "wilayah:kecamatan"
    )
    page.locator('input[name="data_dictionary-3-title"]').fill("Jumlah Kelahiran")
    page.locator('input[name="data_dictionary-3-satuan"]').fill("jiwa")
    problems += look(page, "officer", "3-dictionary-from-the-proposal")
    page.locator("button[name=save]").last.click()
    expect(page.get_by_text("Jumlah Kelahiran").first).to_be_visible()

    # Submitting without the source: one message naming it, and the checklist.
    page.get_by_role("link", name=re.compile("Jumlah Kelahiran Menurut Kecamatan")).first.click()
    checklist = page.locator("#sipessut-checklist")
    expect(checklist).to_contain_text("Sumber Data")
    page.get_by_role("button", name="Ajukan ke Walidata").first.click()
    refusal = page.locator(".flash-messages .alert").filter(has_text="Wajib diisi sebelum Walidata")
    expect(refusal).to_have_count(1)
    expect(refusal).to_contain_text("Sumber Data")
    problems += look(page, "officer", "4-submission-refused")

    # What is missing leads to the field; fixed; submitted.
    checklist.get_by_role("link", name="Sumber Data").click()
    expect(page).to_have_url(re.compile(r"#field-sumber_data$"))
    page.locator("#field-sumber_data").fill("Registrasi kelahiran (SIAK)")
    problems += look(page, "officer", "5-fix-the-missing-field")
    page.locator("button[name=save]").last.click()
    expect(page.get_by_text("Siap diajukan")).to_be_visible()
    page.get_by_role("button", name="Ajukan ke Walidata").first.click()
    expect(page.get_by_text("Dataset telah diajukan ke Walidata")).to_be_visible()
    expect(page.locator('[data-review-state="diajukan"]').first).to_be_visible()
    problems += look(page, "officer", "6-submitted")
