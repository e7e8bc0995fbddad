"""The monitoring in a real browser: the public browses the release calendar and files a
data request; the Walidata opens the monitoring, drills into a late OPD and returns a
dataset from the review tab's checklist.

With SIPESSUT_SCREENSHOTS=DIR every page of the journeys is also saved at 1366 and 390
pixels wide, to look at (they are not part of the assertions).
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from playwright.sync_api import expect

from ckanext.sipessut.tests.factories import OPD, Dataset

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clean_db", "clean_index")]

PASSWORD = "Rahasia-Walidata-2024"
SHOTS = os.environ.get("SIPESSUT_SCREENSHOTS")


def _day(n: int) -> str:
    from ckanext.sipessut.monitoring import settings

    return (settings.today() + datetime.timedelta(days=n)).isoformat()


def _shoot(page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


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


@pytest.fixture
def portal():
    editor = factories.User(password=PASSWORD)
    reviewer = factories.User(password=PASSWORD)
    dinkes = OPD(title="Dinas Kesehatan", users=[{"name": editor["name"], "capacity": "editor"}])
    disdik = OPD(title="Dinas Pendidikan")
    OPD(title="Dinas Komunikasi dan Informatika", peran="walidata",
        users=[{"name": reviewer["name"], "capacity": "editor"}])  # fmt: skip
    late = Dataset(owner_org=dinkes["id"], title="Jumlah Puskesmas per Kecamatan",
                   tanggal_rilis_berikutnya=_day(-12), sektor="9")  # fmt: skip
    Dataset(owner_org=dinkes["id"], title="Jumlah Tenaga Kesehatan", tanggal_rilis_berikutnya=_day(20),
            sektor="9")  # fmt: skip
    Dataset(owner_org=disdik["id"], title="Jumlah Sekolah Dasar", tanggal_rilis_berikutnya=_day(45),
            sektor="5")  # fmt: skip
    submitted = Dataset(
        owner_org=dinkes["id"], user=editor, title="Jumlah Bidan per Kelurahan",
        resources=[{"url": "http://example.com/bidan.csv", "format": "CSV", "name": "Tabel bidan"}],
    )  # fmt: skip
    tk.get_action("sipessut_review_submit")({"user": editor["name"]}, {"id": submitted["id"]})
    return {"editor": editor, "reviewer": reviewer, "dinkes": dinkes, "late": late,
            "submitted": submitted}  # fmt: skip


def test_the_public_browses_the_calendar_and_files_a_data_request(live_server, page, portal):
    page.goto(f"{live_server}/")
    page.get_by_role("link", name="Jadwal Rilis").first.click()
    expect(page.get_by_role("heading", name="Jadwal Rilis")).to_be_visible()
    late = page.locator(f'[data-dataset="{portal["late"]["name"]}"]')
    expect(late).to_contain_text("Lewat jadwal")
    _shoot(page, "calendar")

    page.get_by_label("OPD").select_option(label="Dinas Pendidikan")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator(".sipessut-calendar-entry")).to_have_count(1)
    page.get_by_role("link", name="Jumlah Sekolah Dasar").click()
    expect(page).to_have_url(re.compile(r"/dataset/"))

    page.get_by_role("link", name="Permintaan Data").first.click()
    _shoot(page, "request-form")
    page.get_by_label("Data apa yang Anda perlukan?").fill("Jumlah tenaga kesehatan per kecamatan")
    page.get_by_label("Untuk apa data itu akan dipakai?").fill("Penelitian layanan kesehatan.")
    page.get_by_label("Nama Anda").fill("Rina Wulandari")
    page.get_by_label("Alamat email Anda").fill("rina@example.org")
    page.get_by_role("button", name="Kirim permintaan").click()
    expect(page.get_by_text("Terima kasih: permintaan Anda telah diterima")).to_be_visible()
    _shoot(page, "request-sent")
    page.locator(".sipessut-request-status-link").click()
    expect(page.locator(".sipessut-request-state")).to_have_text("Diterima, menunggu Walidata")
    expect(page.get_by_text("rina@example.org")).to_have_count(0)
    _shoot(page, "request-status")


def test_the_walidata_drills_into_a_late_opd_and_returns_a_dataset(live_server, browser, portal):
    walidata = _logged_in(browser, live_server, portal["reviewer"])
    walidata.get_by_role("link", name="Pemantauan").first.click()
    expect(walidata.get_by_role("heading", name="Pemantauan per OPD")).to_be_visible()
    _shoot(walidata, "monitoring")
    row = walidata.locator(f'tr[data-organization="{portal["dinkes"]["name"]}"]')
    row.locator('td[data-measure="overdue"] a').click()
    expect(
        walidata.get_by_role("heading", name=re.compile("Dinas Kesehatan: Rilis lewat jadwal"))
    ).to_be_visible()
    expect(walidata.locator("tr[data-dataset]")).to_have_count(1)
    expect(walidata.locator(f'tr[data-dataset="{portal["late"]["name"]}"]')).to_be_visible()
    _shoot(walidata, "monitoring-drill")

    walidata.get_by_label("Tampilkan tabel data yang dihitung pada").select_option(
        label="Diajukan ke Walidata"
    )
    walidata.get_by_role("button", name="Tampilkan").click()
    item = walidata.locator(f'tr[data-dataset="{portal["submitted"]["name"]}"]')
    item.get_by_role("link", name="Tinjauan Walidata").click()
    checklist = walidata.locator(".sipessut-review-checklist")
    expect(checklist).to_contain_text("Metadata lengkap")
    expect(checklist).to_contain_text("Tabel bidan")
    expect(checklist).to_contain_text("belum ada kamus data")
    _shoot(walidata, "review-checklist")
    walidata.get_by_label("Apa yang harus diperbaiki OPD?").fill("Lengkapi kamus data tabel bidan.")
    walidata.get_by_role("button", name="Kembalikan ke OPD").click()
    expect(walidata.get_by_text("Dataset telah dikembalikan ke OPD")).to_be_visible()

    walidata.goto(f"{live_server}/walidata/queue?state=dikembalikan")
    expect(walidata.locator(f'tr[data-dataset="{portal["submitted"]["name"]}"]')).to_be_visible()
    _shoot(walidata, "queue-returned")
    walidata.goto(f"{live_server}/walidata/bukti-epss")
    expect(walidata.get_by_role("heading", name="Bukti EPSS")).to_be_visible()
    _shoot(walidata, "epss")
    walidata.goto(f"{live_server}/permintaan-data/kelola")
    _shoot(walidata, "request-list")
