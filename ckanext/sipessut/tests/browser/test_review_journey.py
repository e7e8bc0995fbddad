"""The Walidata review in a real browser: submit, return with a note, fix, resubmit,
approve, and the public finds the dataset."""

from __future__ import annotations

import re

import pytest
from ckan.tests import factories
from playwright.sync_api import expect

from ckanext.sipessut.tests.factories import OPD, Dataset

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clean_db", "clean_index")]

PASSWORD = "Rahasia-Walidata-2024"
TITLE = "Jumlah Penduduk Miskin per Kecamatan"


def _logged_in(browser, live_server, user):
    context = browser.new_context(locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server}/user/login")
    page.fill("#field-login", user["name"])
    page.fill("#field-password", PASSWORD)
    page.locator("#field-password").press("Enter")
    expect(page).to_have_url(re.compile(r"/dashboard"))
    return page


def _search_as_visitor(page, live_server, word):
    page.goto(f"{live_server}/dataset/?q={word}")
    return page.get_by_role("link", name=TITLE)


def test_submit_return_fix_resubmit_approve_and_the_public_finds_it(live_server, browser, page):
    editor = factories.User(name="editor-dinsos", password=PASSWORD)
    reviewer = factories.User(name="walidata-kominfo", password=PASSWORD)
    OPD(
        title="Dinas Komunikasi dan Informatika",
        peran="walidata",
        users=[{"name": reviewer["name"], "capacity": "editor"}],
    )
    dinsos = OPD(
        title="Dinas Sosial",
        peran="produsen_data",
        users=[{"name": editor["name"], "capacity": "editor"}],
    )
    dataset = Dataset(
        owner_org=dinsos["id"],
        user=editor,
        title=TITLE,
        notes="Penduduk miskin menurut kecamatan.",
        resources=[{"url": "http://example.com/miskin.csv", "format": "CSV"}],
    )
    dataset_url = f"{live_server}/dataset/{dataset['name']}"

    # Before the review nobody outside finds it.
    expect(_search_as_visitor(page, live_server, "Miskin")).to_have_count(0)

    # The OPD's editor submits it.
    opd = _logged_in(browser, live_server, editor)
    opd.goto(dataset_url)
    expect(opd.locator('[data-review-state="draf"]').first).to_be_visible()
    opd.get_by_role("button", name="Ajukan ke Walidata").click()
    expect(opd.get_by_text("Dataset telah diajukan ke Walidata")).to_be_visible()
    expect(opd.locator('[data-review-state="diajukan"]').first).to_be_visible()

    # The Walidata finds it in its queue and returns it with a note.
    walidata = _logged_in(browser, live_server, reviewer)
    walidata.get_by_role("link", name="Antrean Walidata").click()
    row = walidata.locator(f'tr[data-dataset="{dataset["name"]}"]')
    expect(row).to_contain_text("Dinas Sosial")
    row.get_by_role("link", name="Periksa dan putuskan").click()
    expect(walidata.locator('[data-check="metadata"]')).to_be_visible()
    walidata.get_by_label("Apa yang harus diperbaiki OPD?").fill(
        "Kolom satuan belum diisi; lengkapi sumber data."
    )
    walidata.get_by_role("button", name="Kembalikan ke OPD").click()
    expect(walidata.get_by_text("Dataset telah dikembalikan ke OPD")).to_be_visible()

    # The editor reads the note, fixes the dataset and submits it again.
    opd.goto(dataset_url)
    expect(opd.locator('[data-review-state="dikembalikan"]').first).to_be_visible()
    expect(opd.get_by_text("Kolom satuan belum diisi; lengkapi sumber data.")).to_be_visible()
    opd.goto(f"{live_server}/dataset/edit/{dataset['name']}")
    opd.fill("#field-notes", "Penduduk miskin menurut kecamatan, dalam jiwa. Sumber: DTKS.")
    opd.locator('button.btn-primary[name="save"]').click()
    expect(opd).to_have_url(dataset_url)
    opd.get_by_role("button", name="Ajukan ke Walidata").click()
    expect(opd.locator('[data-review-state="diajukan"]').first).to_be_visible()

    # The Walidata opens it from the queue, checks the list and confirms the approval.
    walidata.goto(f"{live_server}/walidata/queue")
    walidata.locator(f'tr[data-dataset="{dataset["name"]}"]').get_by_role(
        "link", name="Periksa dan putuskan"
    ).click()
    expect(walidata.locator(".sipessut-review-checklist")).to_be_visible()
    walidata.get_by_label("Saya sudah memeriksa daftar di atas: dataset boleh ditayangkan").check()
    walidata.get_by_role("button", name="Setujui dan tayangkan").click()
    expect(walidata.get_by_text("Dataset telah disetujui dan kini ditayangkan")).to_be_visible()
    walidata.goto(f"{live_server}/walidata/queue")
    expect(walidata.get_by_text("Tidak ada yang menunggu tinjauan.")).to_be_visible()

    # A visitor finds it by search and reads the corrected description.
    found = _search_as_visitor(page, live_server, "Miskin")
    expect(found).to_have_count(1)
    found.click()
    expect(page.get_by_text("dalam jiwa. Sumber: DTKS.")).to_be_visible()
    expect(page.locator("[data-review-state]")).to_have_count(0)

    # The editor's review tab tells the whole story.
    opd.goto(f"{live_server}/dataset/review/{dataset['name']}")
    history = opd.locator("table.sipessut-review-history tbody tr")
    expect(history).to_have_count(4)
    expect(history.first).to_contain_text("Disetujui dan ditayangkan")
