"""axe-core's audit in Chromium: no serious or critical violation, on a laptop and on a
phone, on the pages of the public, of the OPD officer and of the Walidata."""

from __future__ import annotations

import io
import re

import pytest
from ckan.tests import factories, helpers
from playwright.sync_api import expect
from werkzeug.datastructures import FileStorage

from ckanext.sipessut.tests.browser.looking import (
    WIDTHS,
    axe_violations,
    horizontal_overflow,
    shoot,
)
from ckanext.sipessut.tests.factories import OPD, Dataset

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clean_db", "clean_index")]

PASSWORD = "Sandi-Audit-2024"
CSV = "kode_wilayah,kecamatan,jumlah\n64.72.01,Palaran,10\n64.72.02,Samarinda Seberang,12\n"
# The release calendar, when the portal has one (ckanext.sipessut.portal.calendar_endpoint).
CALENDAR_PATHS = ("/jadwal-rilis",)


def _portal():
    editor = factories.User(name="petugas-audit", password=PASSWORD)
    reviewer = factories.User(name="walidata-audit", password=PASSWORD)
    OPD(name="diskominfo", title="Dinas Komunikasi dan Informatika", peran="walidata",
        users=[{"name": reviewer["name"], "capacity": "editor"}])  # fmt: skip
    opd = OPD(name="disdukcapil", title="Dinas Kependudukan dan Pencatatan Sipil",
              users=[{"name": editor["name"], "capacity": "editor"}])  # fmt: skip
    table = Dataset(owner_org=opd["id"], name="penduduk-2024", title="Jumlah Penduduk, 2024",
                    license_id="cc-by")  # fmt: skip
    resource = helpers.call_action(
        "resource_create",
        {"user": editor["name"]},
        package_id=table["id"],
        url="",
        name="Tabel penduduk",
        format="CSV",
        upload=FileStorage(io.BytesIO(CSV.encode()), "penduduk.csv", "upload"),
    )
    submitted = Dataset(owner_org=opd["id"], user=editor, private=True, name="kelahiran-2024",
                        title="Jumlah Kelahiran, 2024",
                        resources=[{"url": "http://example.com/k.csv", "format": "CSV"}])  # fmt: skip
    helpers.call_action("sipessut_review_submit", {"user": editor["name"]}, id=submitted["id"])
    draft = Dataset(owner_org=opd["id"], user=editor, private=True, name="draf-2024",
                    title="Jumlah Kematian, 2024", sumber_data=None)  # fmt: skip
    return {
        "public": [
            ("home", "/"),
            ("search", "/dataset/"),
            ("empty-search", "/dataset/?q=pendudk"),
            ("dataset", "/dataset/penduduk-2024"),
            ("resource", f"/dataset/penduduk-2024/resource/{resource['id']}"),
            ("report", f"/dataset/penduduk-2024/resource/{resource['id']}/validation"),
            ("opd", "/organization/disdukcapil"),
            ("about", "/about"),
        ],
        editor["name"]: [
            ("dataset-form", "/dataset/new"),
            ("draft", f"/dataset/{draft['name']}"),
            ("dataset-edit-form", f"/dataset/edit/{draft['name']}"),
            ("resource-form", f"/dataset/{draft['name']}/resource/new"),
            ("resource-edit-form", f"/dataset/penduduk-2024/resource/{resource['id']}/edit"),
            ("kegiatan-form", "/kegiatan/new"),
            ("dashboard", "/dashboard/datasets"),
        ],
        reviewer["name"]: [
            ("review-tab", f"/dataset/review/{submitted['name']}"),
            ("review-queue", "/walidata/queue"),
            ("featured", "/walidata/unggulan"),
        ],
    }


def _log_in(page, live_server, name):
    page.goto(f"{live_server}/user/login")
    page.fill("#field-login", name)
    page.fill("#field-password", PASSWORD)
    page.locator("#field-password").press("Enter")
    expect(page).to_have_url(re.compile(r"/dashboard"))


@pytest.mark.parametrize("width", WIDTHS)
def test_no_serious_or_critical_violation_on_the_journeys_pages(live_server, browser, width):
    pages = _portal()
    problems: list[str] = []
    for who, visits in pages.items():
        context = browser.new_context(locale="id-ID", viewport={"width": width, "height": 900})
        context.set_default_timeout(20_000)
        page = context.new_page()
        if who != "public":
            _log_in(page, live_server, who)
        for name, path in visits:
            response = page.goto(live_server + path)
            assert response.ok, f"{path}: HTTP {response.status}"
            page.wait_for_load_state("networkidle")
            shoot(page, "accessibility", name)
            problems += [f"{name}: {violation}" for violation in axe_violations(page)]
            if horizontal_overflow(page) > 0:
                problems.append(f"{name}: {horizontal_overflow(page)}px wider than the screen")
        context.close()
    assert problems == []


def test_the_release_calendar_passes_too_when_the_portal_has_one(live_server, browser):
    """The calendar is the monitoring domain's; once a plugin serves it, it is audited here."""
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 900})
    page = context.new_page()
    found = [path for path in CALENDAR_PATHS if page.goto(live_server + path).ok]
    if not found:
        context.close()
        pytest.skip("this portal serves no release calendar (no monitoring domain yet)")
    problems = axe_violations(page)
    context.close()
    assert problems == []
