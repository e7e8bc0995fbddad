"""Releases recorded, and every figure of the monitoring page against datasets built for it."""

from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import helpers

from ckanext.sipessut.monitoring import measures
from ckanext.sipessut.tests.monitoring.conftest import (
    DICTIONARY,
    act,
    days,
    file_storage,
    public,
    show,
)
from ckanext.sipessut.tests.review.conftest import set_validation_statuses
from ckanext.sipessut.tests.validation.conftest import GOOD_CSV


def _headers(user):
    return {"Authorization": user["token"]}


def _upload(user, dataset, data, name="tabel.csv"):
    return helpers.call_action(
        "resource_create",
        {"user": user["name"]},
        package_id=dataset["id"],
        upload=file_storage(data, name),
        url="",
        name=name,
        data_dictionary=json.dumps(DICTIONARY),
    )


def _patch(resource_id, **fields):
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    tk.get_action("resource_patch")(
        {"ignore_auth": True, "user": site_user["name"]}, {"id": resource_id, **fields}
    )


def _releases(dataset_id):
    return act("sipessut_release_history", None, id=dataset_id)["releases"]


def test_an_approval_and_a_new_file_are_releases_a_revalidation_is_not(portal):
    dataset = portal.dataset(
        title="Jumlah Penduduk", resources=[], tanggal_rilis_berikutnya=days(-4)
    )
    first = _upload(portal.opd_editor, dataset, GOOD_CSV)
    act("sipessut_review_submit", portal.opd_editor, id=dataset["id"])
    act("sipessut_review_approve", portal.reviewer, id=dataset["id"], confirm_invalid=True)

    releases = _releases(dataset["id"])
    assert [(r["trigger"], r["days_late"], r["punctuality"]) for r in releases] == [
        ("approve", 4, "terlambat")
    ]
    assert releases[0]["due"] == days(-4)

    # Validating the same file again (on demand) publishes nothing new.
    act("sipessut_validation_run", portal.opd_editor, id=first["id"], sync=True, force=True)
    assert len(_releases(dataset["id"])) == 1
    # A new table on the published dataset is a new version; the same day: the same release.
    _upload(portal.opd_editor, dataset, GOOD_CSV.replace("61234", "61300"), "tabel-2025.csv")
    assert len(_releases(dataset["id"])) == 1

    # The next release moved on: a year after today (tahunan), no longer overdue.
    calendar = act("sipessut_release_calendar_show", None)["results"]
    entry = next(e for e in calendar if e["name"] == dataset["name"])
    assert entry["overdue"] is False
    assert entry["next_release"] > days(360)


@pytest.fixture
def catalogue(portal):
    """The OPD's data tables, each built for one figure (every one has one CSV table except
    "overdue", made without resources)."""
    late = portal.dataset(title="Rilis terlambat", tanggal_rilis_berikutnya=days(-6))
    act("sipessut_review_submit", portal.opd_editor, id=late["id"])
    act("sipessut_review_approve", portal.reviewer, id=late["id"])
    on_time = portal.dataset(title="Rilis tepat waktu", tanggal_rilis_berikutnya=days(30))
    act("sipessut_review_submit", portal.opd_editor, id=on_time["id"])
    act("sipessut_review_approve", portal.reviewer, id=on_time["id"])
    overdue = public(
        portal, title="Lewat jadwal", tanggal_rilis_berikutnya=days(-2), kode_sds="SP00001.00.01"
    )
    incomplete = portal.dataset(title="Draf belum lengkap", sumber_data="", tingkat_penyajian=[])
    invalid = portal.dataset(
        title="Tabel tidak valid",
        resources=[
            {"url": "http://example.com/a.csv", "format": "CSV"},
            {"url": "http://example.com/b.csv", "format": "CSV"},
        ],
    )
    set_validation_statuses(invalid["id"], ["invalid", "valid"])
    act("sipessut_review_submit", portal.opd_editor, id=invalid["id"])
    returned = portal.in_state("dikembalikan", title="Dikembalikan")
    loaded = portal.dataset(title="Di DataStore")
    resource = show(loaded["id"])["resources"][0]
    _patch(resource["id"], datastore_active=True)
    coded = portal.dataset(title="Pakai kode wilayah")
    resource = show(coded["id"])["resources"][0]
    _patch(resource["id"], data_dictionary=json.dumps(DICTIONARY))
    public(portal, portal.other_opd, title="OPD lain")
    return {
        "late": late,
        "on_time": on_time,
        "overdue": overdue,
        "incomplete": incomplete,
        "invalid": invalid,
        "returned": returned,
        "loaded": loaded,
        "coded": coded,
    }


EXPECTED = {
    "datasets": 8,
    "draf": 3,
    "diajukan": 1,
    "dikembalikan": 1,
    "ditayangkan": 3,
    "complete": 7,
    "incomplete": 1,
    "tables": 8,
    "valid": 1,
    "invalid": 1,
    "not_validated": 6,
    "datastore": 1,
    "on_time": 1,
    "late": 1,
    "overdue": 1,
    "kode_sds": 1,
    "kode_referensi": 1,
}
# datasets behind each figure (a table count lists the datasets having such tables)
BEHIND = {
    "tables": 7,
    "valid": 1,
    "invalid": 1,
    "not_validated": 6,
    "datastore": 1,
}


def test_each_figure_counts_the_datasets_built_for_it_and_the_drill_down_lists_them(
    portal, catalogue
):
    result = act("sipessut_monitoring_show", portal.reviewer)
    ours = next(
        r for r in result["organizations"] if r["organization"]["name"] == portal.opd["name"]
    )
    other = next(
        r for r in result["organizations"] if r["organization"]["name"] == portal.other_opd["name"]
    )

    assert {key: ours[key] for key in EXPECTED} == EXPECTED
    assert other["datasets"] == 1
    assert result["region"]["datasets"] == 9
    assert ours["median_days"] is not None
    assert ours["median_days"] < 1
    assert [m["field"] for m in ours["missing"]][:2] == sorted(["sumber_data", "tingkat_penyajian"])
    assert ours["reference_codes"] == [{"codelist": "wilayah", "datasets": 1}]
    assert 90 < ours["completeness"] < 100

    for measure in measures.MEASURES:
        if measure.matches is None or measure.key == "datasets":
            continue
        listed = act(
            "sipessut_monitoring_datasets",
            portal.reviewer,
            organization=portal.opd["name"],
            measure=measure.key,
        )
        assert listed["count"] == BEHIND.get(measure.key, ours[measure.key]), measure.key
    late = act(
        "sipessut_monitoring_datasets",
        portal.reviewer,
        organization=portal.opd["name"],
        measure="late",
    )
    assert [d["name"] for d in late["results"]] == [catalogue["late"]["name"]]
    assert late["results"][0]["max_days_late"] == 6
    incomplete = act(
        "sipessut_monitoring_datasets",
        portal.reviewer,
        organization=portal.opd["name"],
        measure="incomplete",
    )
    assert incomplete["results"][0]["missing"] == ["sumber_data", "tingkat_penyajian"]


def test_the_page_sorts_charts_drills_down_and_exports(app, portal, catalogue):
    page = app.get(
        "/walidata/monitoring?sort=datasets&dir=desc", headers=_headers(portal.reviewer)
    ).body
    assert page.index(portal.opd["title"]) < page.index(portal.other_opd["title"])
    assert "Pemantauan per OPD" in page
    assert 'class="sipessut-chart"' in page
    assert "<svg" in page
    assert f"/walidata/monitoring/opd/{portal.opd['name']}?measure=late" in page
    # numbers as Indonesian writes them: "95,8", not "95.8"
    completeness = page.split('data-measure="completeness">', 1)[1].split("<", 1)[0]
    assert re.fullmatch(r"\d{1,3},\d", completeness.strip()), completeness

    drill = app.get(
        f"/walidata/monitoring/opd/{portal.opd['name']}?measure=overdue",
        headers=_headers(portal.reviewer),
    ).body
    assert catalogue["overdue"]["name"] in drill
    assert catalogue["late"]["name"] not in drill

    response = app.get("/walidata/monitoring/ekspor.csv", headers=_headers(portal.reviewer))
    rows = list(csv.reader(io.StringIO(response.body.lstrip("\ufeff"))))
    assert rows[0][0] == "OPD"
    assert "Rilis terlambat" in rows[0]
    row = next(r for r in rows if r[1] == portal.opd["name"])
    assert row[rows[0].index("Tabel data")] == "8"
    assert rows[-1][0] == "Seluruh daerah"

    response = app.get("/walidata/monitoring/ekspor.xlsx", headers=_headers(portal.reviewer))
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    values = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert values[portal.opd["name"]][header.index("Rilis lewat jadwal")] == 1
    assert workbook.sheetnames[1] == "Tentang"


def test_the_public_summary_is_off_by_default_and_shows_public_datasets_only(
    app, portal, catalogue, ckan_config, monkeypatch
):
    app.get("/monitoring", status=404)
    with pytest.raises(tk.NotAuthorized):
        act("sipessut_monitoring_show", None, public=True)
    monkeypatch.setitem(ckan_config, "ckanext.sipessut.monitoring.public_summary", True)

    summary = act("sipessut_monitoring_show", None, public=True)
    ours = next(
        r for r in summary["organizations"] if r["organization"]["name"] == portal.opd["name"]
    )
    assert ours["datasets"] == 3
    assert "draf" not in ours
    assert "median_days" not in ours
    page = app.get("/monitoring").body
    assert "Ringkasan pemantauan per OPD" in page
    assert "Draf belum lengkap" not in page
    with pytest.raises(tk.NotAuthorized):
        act("sipessut_monitoring_show", None)
