"""Permintaan Data: the public asks, the Walidata forwards, the OPD answers, the requester
is told by email and follows it at its link; spam is kept out."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk

from ckanext.sipessut.tests.monitoring.conftest import act, public, run_jobs

ASK = {
    "name": "Rina Wulandari",
    "email": "rina@example.org",
    "organisation": "Universitas Mulawarman",
    "title": "Jumlah tenaga kesehatan per kecamatan",
    "purpose": "Penelitian skripsi tentang layanan kesehatan.",
}


def _token(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_the_lifecycle_with_its_emails(app, portal, smtp_sink):
    # (the form itself is tested below: its session cookie would outlive the visitor here)
    status_url = act("sipessut_data_request_create", None, **ASK)["status_url"]
    run_jobs()
    assert sorted(m["to"][0] for m in smtp_sink.messages) == sorted(
        ["rina@example.org", portal.reviewer["email"], portal.walidata_admin["email"]]
    )
    confirmation = next(m for m in smtp_sink.messages if m["to"] == ["rina@example.org"])
    assert status_url in confirmation["body"]

    listed = act("sipessut_data_request_list", portal.reviewer)
    request_id = listed["results"][0]["id"]
    assert listed["results"][0]["email"] == "rina@example.org"
    act(
        "sipessut_data_request_assign",
        portal.reviewer,
        id=request_id,
        organization=portal.opd["name"],
        note="Mohon dibantu",
    )
    run_jobs()
    to_opd = [m for m in smtp_sink.messages if m["to"] == [portal.opd_editor["email"]]]
    assert "Mohon dibantu" in to_opd[0]["body"]

    # The OPD sees it without the requester's address; another OPD does not see it.
    seen = act("sipessut_data_request_show", portal.opd_editor, id=request_id)
    assert "email" not in seen
    with pytest.raises(tk.NotAuthorized):
        act("sipessut_data_request_show", portal.other_editor, id=request_id)
    assert act("sipessut_data_request_list", portal.other_editor)["count"] == 0

    dataset = public(portal, title="Tenaga Kesehatan per Kecamatan 2024")
    manage = app.get(
        f"/permintaan-data/kelola/{request_id}",
        headers={"Authorization": portal.opd_editor["token"]},
    )
    assert "Jawab peminta data" in manage.body
    assert "rina@example.org" not in manage.body
    act(
        "sipessut_data_request_answer",
        portal.opd_editor,
        id=request_id,
        dataset=f"http://127.0.0.1:5050/dataset/{dataset['name']}",
    )
    run_jobs()
    answer = [m for m in smtp_sink.messages if m["to"] == ["rina@example.org"]][-1]
    assert f"/dataset/{dataset['name']}" in answer["body"]

    page = app.get(f"/permintaan-data/status/{_token(status_url)}")
    assert "Terjawab: data tersedia" in page.body
    assert "rina@example.org" not in page.body
    assert "Rina Wulandari" not in page.body
    assert page.headers["Referrer-Policy"] == "no-referrer"
    app.get("/permintaan-data/status/tebakan-acak", status=404)


def test_the_honeypot_and_the_hourly_limit_keep_spam_out(app, portal):
    robot = app.post("/permintaan-data", data={**ASK, "alamat_situs": "http://spam.example"})
    assert "Terima kasih" in robot.body
    assert act("sipessut_data_request_list", portal.reviewer)["count"] == 0

    for n in range(3):
        app.post("/permintaan-data", data={**ASK, "email": f"orang{n}@example.org"})
    refused = app.post("/permintaan-data", data={**ASK, "email": "lagi@example.org"}, status=409)
    assert "Terlalu banyak permintaan dari alamat ini" in refused.body
    assert ASK["title"] in refused.body  # what was typed is kept
    assert act("sipessut_data_request_list", portal.reviewer)["count"] == 3


def test_bad_input_is_refused_field_by_field(app, portal):
    refused = app.post(
        "/permintaan-data", data={**ASK, "email": "bukan-email", "title": ""}, status=409
    )
    assert "bukan-email bukan alamat email" in refused.body
    assert "Wajib diisi" in refused.body
    with pytest.raises(tk.ValidationError) as raised:
        act("sipessut_data_request_create", None, **{**ASK, "purpose": "x" * 5001})
    assert "purpose" in raised.value.error_dict
