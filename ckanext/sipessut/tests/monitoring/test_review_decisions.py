"""The review made easier to decide: the queue's state filter, the checklist, the
confirmed approval and the explicit second choice for invalid tables."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk

from ckanext.sipessut.tests.monitoring.conftest import act
from ckanext.sipessut.tests.review.conftest import review_state, set_validation_statuses


def _as(user):
    return {"Authorization": user["token"]}


def test_the_queue_shows_returned_and_published_datasets_by_state(app, portal):
    waiting = portal.in_state("diajukan", title="Menunggu")
    returned = portal.in_state("dikembalikan", title="Dikembalikan")
    published = portal.in_state("ditayangkan", title="Tayang")

    def names(state):
        return [
            r["name"] for r in act("sipessut_review_queue", portal.reviewer, state=state)["results"]
        ]

    assert names("diajukan") == [waiting["name"]]
    assert names("dikembalikan") == [returned["name"]]
    assert names("ditayangkan") == [published["name"]]
    with pytest.raises(tk.ValidationError):
        act("sipessut_review_queue", portal.reviewer, state="draf")
    page = app.get("/walidata/queue?state=dikembalikan", headers=_as(portal.reviewer)).body
    assert 'id="filter-state"' in page
    assert returned["name"] in page
    assert waiting["name"] not in page


def test_the_review_tab_lists_the_checks_before_the_buttons(app, portal):
    dataset = portal.in_state(
        "diajukan",
        resources=[
            {"url": "http://example.com/a.csv", "format": "CSV", "name": "Tabel A"},
            {"url": "http://example.com/b.pdf", "format": "PDF"},
        ],
    )
    set_validation_statuses(dataset["id"], ["invalid"])

    page = app.get(f"/dataset/review/{dataset['name']}", headers=_as(portal.reviewer)).body

    assert page.index("Daftar periksa") < page.index("Setujui dan tayangkan")
    assert "Metadata lengkap (100.0% isian wajib)" in page
    assert 'data-status="invalid"' in page
    assert "Tabel A" in page
    assert f"/dataset/{dataset['name']}/resource/" in page
    assert "laporan validasi" in page
    assert "belum ada kamus data" in page
    assert "Tetap tayangkan walaupun 1 tabel tidak lolos validasi" in page


def test_approving_asks_for_a_confirmation_and_invalid_tables_for_a_second_choice(app, portal):
    dataset = portal.in_state("diajukan")
    set_validation_statuses(dataset["id"], ["invalid"])
    url = f"/dataset/review/{dataset['name']}/approve"

    unconfirmed = app.post(url, headers=_as(portal.reviewer), status=409)
    assert "Tegaskan bahwa Anda sudah memeriksa daftar di atas" in unconfirmed.body
    first_choice = app.post(url, data={"confirm": "1"}, headers=_as(portal.reviewer), status=409)
    assert "Tabel berikut tidak lolos validasi" in first_choice.body
    assert review_state(dataset["id"]) == "diajukan"
    with pytest.raises(tk.ValidationError) as raised:
        act("sipessut_review_approve", portal.reviewer, id=dataset["id"])
    assert "confirm_invalid" in raised.value.error_dict

    app.post(url, data={"confirm": "1", "confirm_invalid": "1"}, headers=_as(portal.reviewer))
    assert review_state(dataset["id"]) == "ditayangkan"


def test_with_require_valid_tabular_an_invalid_table_is_refused(portal, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.sipessut.review.require_valid_tabular", True)
    dataset = portal.in_state("diajukan")
    set_validation_statuses(dataset["id"], ["invalid"])

    with pytest.raises(tk.ValidationError) as raised:
        act("sipessut_review_approve", portal.reviewer, id=dataset["id"], confirm_invalid=True)
    assert "validation" in raised.value.error_dict
    assert review_state(dataset["id"]) == "diajukan"
