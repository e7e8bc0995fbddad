"""Bukti EPSS (page, XLSX, the indicator file a portal may replace) and who may see what."""

from __future__ import annotations

import io

import openpyxl
import pytest
from ckan.plugins import toolkit as tk

from ckanext.sipessut.monitoring import epss
from ckanext.sipessut.tests.factories import Kegiatan
from ckanext.sipessut.tests.monitoring.conftest import act, days, public


def _as(user):
    return {"Authorization": user["token"]} if user else {}


def test_the_evidence_gives_live_figures_per_opd_and_region(app, portal):
    public(portal, title="Berkode SDS", kode_sds="SP00001.00.01", tanggal_rilis_berikutnya=days(30))
    public(portal, title="Tanpa kode")
    Kegiatan(owner_org=portal.opd["id"])
    act(
        "sipessut_data_request_create",
        None,
        name="A",
        email="a@example.org",
        title="Data X",
        purpose="Riset",
    )

    found = act("sipessut_epss_evidence", portal.reviewer)
    by_code = {i["code"]: i for i in found["indicators"]}
    sds = by_code["10101"]["region"][0]
    assert (sds["figure"], sds["value"], sds["total"]) == ("tables_with_sds", 1, 2)
    keg = next(f for f in by_code["10201"]["region"] if f["figure"] == "kegiatan_complete")
    assert (keg["value"], keg["total"]) == (1, 1)
    assert by_code["20102"]["region"][0]["value"] == 1
    # Outside a request labels are English (codelists.current_language); the API speaks the
    # portal's language.
    assert by_code["20403"]["name"] == "Accessibility (CSV, XLSX, JSON formats)"
    through_api = app.get(
        "/api/3/action/sipessut_epss_evidence", headers=_as(portal.reviewer)
    ).json["result"]
    named = {i["code"]: i["name"] for i in through_api["indicators"]}
    assert named["20403"] == "Aksesibilitas Data (format CSV, XLSX, JSON)"
    assert any(link.endswith("/jadwal-rilis") for link in by_code["20302"]["links"])
    ours = next(
        o for o in by_code["10101"]["organizations"] if o["organization"] == portal.opd["name"]
    )
    assert ours["figures"][0]["value"] == 1

    page = app.get("/walidata/bukti-epss", headers=_as(portal.reviewer)).body
    assert "Bukti EPSS" in page
    assert "Penerapan Standar Data Statistik" in page
    assert "1/2 (50.0%)" in page
    workbook = openpyxl.load_workbook(
        io.BytesIO(app.get("/walidata/bukti-epss.xlsx", headers=_as(portal.reviewer)).data)
    )
    assert workbook.sheetnames == ["Bukti EPSS", "Tautan", "Tentang"]
    rows = list(workbook["Bukti EPSS"].iter_rows(min_row=2, values_only=True))
    assert (
        "10101",
        "Penerapan Standar Data Statistik",
        "Tabel data dengan kode Standar Data",
        "Seluruh daerah",
        1,
        2,
        50.0,
    ) in rows


def test_a_portal_replaces_the_indicator_file_and_a_bad_one_is_named(
    tmp_path, portal, ckan_config, monkeypatch
):
    own = tmp_path / "epss.yaml"
    own.write_text(
        'indicators:\n  - code: "99901"\n    name: {id: Indikator Baru, en: New}\n'
        "    figures: [releases_on_time]\n    links: [calendar]\n"
    )
    monkeypatch.setitem(ckan_config, "ckanext.sipessut.monitoring.epss_indicators", str(own))
    assert [i["code"] for i in act("sipessut_epss_evidence", portal.reviewer)["indicators"]] == [
        "99901"
    ]

    own.write_text('indicators:\n  - code: "1"\n    name: X\n    figures: [tidak_ada]\n')
    with pytest.raises(epss.IndicatorFileError) as raised:
        epss.load()
    assert "unknown figures tidak_ada" in str(raised.value)
    with pytest.raises(tk.ValidationError):
        act("sipessut_epss_evidence", portal.reviewer)


PAGES = [
    "/walidata/monitoring",
    "/walidata/monitoring/ekspor.xlsx",
    "/walidata/monitoring/ekspor.csv",
    "/walidata/bukti-epss",
    "/walidata/bukti-epss.xlsx",
    "/permintaan-data/kelola",
]


def test_who_may_see_each_page_and_call_each_action(app, portal):
    public(portal, tanggal_rilis_berikutnya=days(3))
    token = act(
        "sipessut_data_request_create",
        None,
        name="A",
        email="a@example.org",
        title="Data X",
        purpose="Riset",
    )["token"]
    request_id = act("sipessut_data_request_list", portal.sysadmin)["results"][0]["id"]
    people = {
        "anonymous": None,
        "other OPD": portal.other_editor,
        "OPD editor": portal.opd_editor,
        "Walidata reviewer": portal.reviewer,
        "sysadmin": portal.sysadmin,
    }
    walidata = {"Walidata reviewer", "sysadmin"}
    for who, user in people.items():
        # the public's pages
        for url in (
            "/jadwal-rilis",
            "/jadwal-rilis.ics",
            "/permintaan-data",
            f"/permintaan-data/status/{token}",
        ):
            assert app.get(url, headers=_as(user)).status_code == 200, (who, url)
        act("sipessut_release_calendar_show", user)
        act("sipessut_data_request_status", user, token=token)
        # the Walidata's
        for url in PAGES[:-1] + [f"/walidata/monitoring/opd/{portal.opd['name']}"]:
            response = app.get(url, headers=_as(user), follow_redirects=False)
            assert response.data is not None  # a streamed export is read to its end
            expected = 200 if who in walidata else (302 if user is None else 403)
            assert response.status_code == expected, (who, url, response.status_code)
        for action, data in (
            ("sipessut_monitoring_show", {}),
            ("sipessut_monitoring_datasets", {"organization": portal.opd["name"]}),
            ("sipessut_reminder_run", {"dry_run": True}),
            ("sipessut_epss_evidence", {}),
            (
                "sipessut_data_request_assign",
                {"id": request_id, "organization": portal.opd["name"]},
            ),
        ):
            if who in walidata:
                continue  # allowed: exercised in the other tests
            with pytest.raises(tk.NotAuthorized):
                act(action, user, **data)
        # an unassigned request: the Walidata only
        if who not in walidata:
            with pytest.raises(tk.NotAuthorized):
                act("sipessut_data_request_show", user, id=request_id)
            with pytest.raises(tk.NotAuthorized):
                act("sipessut_data_request_answer", user, id=request_id, reason="Tidak ada")
        else:
            assert (
                act("sipessut_data_request_show", user, id=request_id)["email"] == "a@example.org"
            )
    # the OPD's editor sees the requests forwarded to its OPD, the other OPD does not
    act(
        "sipessut_data_request_assign",
        portal.reviewer,
        id=request_id,
        organization=portal.opd["name"],
    )
    assert app.get("/permintaan-data/kelola", headers=_as(portal.opd_editor)).status_code == 200
    assert act("sipessut_data_request_list", portal.opd_editor)["count"] == 1
    assert act("sipessut_data_request_list", portal.other_editor)["count"] == 0
    with pytest.raises(tk.NotAuthorized):
        act("sipessut_data_request_answer", portal.other_editor, id=request_id, reason="Tidak")
    act(
        "sipessut_data_request_answer", portal.opd_editor, id=request_id, reason="Belum dikumpulkan"
    )
    # the public never sees the requester's address
    status = app.get(f"/permintaan-data/status/{token}").body
    assert "a@example.org" not in status
    assert "Belum dikumpulkan" in status


def test_the_menu_links_for_everyone_and_the_monitoring_for_the_walidata(app, portal):
    visitor = app.get("/dataset/").body
    assert 'href="/jadwal-rilis"' in visitor
    assert 'href="/permintaan-data"' in visitor
    assert 'href="/walidata/monitoring"' not in visitor
    reviewer = app.get("/dataset/", headers=_as(portal.reviewer)).body
    assert 'href="/walidata/monitoring"' in reviewer
