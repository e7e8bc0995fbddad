"""The Walidata's queue: what waits, for how long, from whom, how far validated."""

from __future__ import annotations

import datetime

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk

from ckanext.sipessut.tests.factories import Dataset
from ckanext.sipessut.tests.review.conftest import act, set_validation_statuses


def _waited(dataset, days):
    """Pretend the submission was made `days` ago (the clock is the only thing we set)."""
    model.Session.execute(
        sa.text(
            "UPDATE sipessut_review_state"
            " SET submitted_at = submitted_at - make_interval(days => :d)"
            " WHERE package_id = :id"
        ),
        {"d": days, "id": dataset["id"]},
    )
    model.Session.commit()


def _submitted(portal, organization=None, **fields):
    organization = organization or portal.opd
    editor = portal.opd_editor if organization is portal.opd else portal.other_editor
    fields.setdefault("resources", [{"url": "http://example.com/a.csv", "format": "CSV"}])
    dataset = Dataset(owner_org=organization["id"], user=editor, **fields)
    act("sipessut_review_submit", editor, id=dataset["id"], note="Mohon ditinjau")
    return dataset


def _names(result):
    return [item["name"] for item in result["results"]]


def test_the_queue_lists_submissions_longest_waiting_first(portal):
    newest = _submitted(portal, name="baru")
    oldest = _submitted(portal, name="lama", title="Data Lama")
    _waited(oldest, 10)
    portal.in_state("draf")
    portal.in_state("ditayangkan")
    portal.in_state("dikembalikan")

    result = act("sipessut_review_queue", portal.reviewer)

    assert result["count"] == 2
    assert _names(result) == ["lama", "baru"]
    first = result["results"][0]
    assert first["title"] == "Data Lama"
    assert first["organization"]["title"] == "Dinas Kesehatan"
    assert first["waiting_days"] == 10
    assert first["submitted_by"]["name"] == portal.opd_editor["name"]
    assert first["note"] == "Mohon ditinjau"
    assert first["resources"] == 1
    assert newest["id"] == result["results"][1]["id"]


def test_filter_by_opd_and_count_per_opd(portal):
    _submitted(portal, name="kesehatan-1")
    _submitted(portal, name="kesehatan-2")
    _submitted(portal, organization=portal.other_opd, name="pendidikan-1")

    everything = act("sipessut_review_queue", portal.reviewer)
    by_name = act("sipessut_review_queue", portal.reviewer, organization=portal.other_opd["name"])
    by_id = act("sipessut_review_queue", portal.reviewer, organization=portal.opd["id"])

    assert {o["title"]: o["count"] for o in everything["organizations"]} == {
        "Dinas Kesehatan": 2,
        "Dinas Pendidikan": 1,
    }
    assert _names(by_name) == ["pendidikan-1"]
    assert sorted(_names(by_id)) == ["kesehatan-1", "kesehatan-2"]
    assert by_id["organizations"] == everything["organizations"]


def test_filter_by_waiting_time(portal):
    fresh = _submitted(portal, name="segar")
    week = _submitted(portal, name="seminggu")
    month = _submitted(portal, name="sebulan")
    _waited(week, 7)
    _waited(month, 31)

    assert _names(act("sipessut_review_queue", portal.reviewer, min_days=7)) == [
        "sebulan",
        "seminggu",
    ]
    assert _names(act("sipessut_review_queue", portal.reviewer, min_days="30")) == ["sebulan"]
    assert fresh["name"] in _names(act("sipessut_review_queue", portal.reviewer, min_days=0))


@pytest.mark.parametrize(
    ("statuses", "summary"),
    [
        (["valid", "valid"], "valid"),
        (["valid", "invalid"], "invalid"),
        (["valid", "error"], "error"),
        (["valid", "pending"], "pending"),
        (["valid", None], "not_validated"),
        (["invalid", "pending"], "invalid"),
    ],
)
def test_validation_summary_and_filter(portal, statuses, summary):
    resources = [
        {"url": f"http://example.com/{i}.csv", "format": "CSV"} for i in range(len(statuses))
    ]
    dataset = _submitted(portal, resources=[*resources, {"url": "http://e.com/x", "format": "PDF"}])
    set_validation_statuses(dataset["id"], statuses)
    _submitted(portal, name="tanpa-tabel", resources=[{"url": "http://e.com/y", "format": "PDF"}])

    result = act("sipessut_review_queue", portal.reviewer, validation=summary)

    assert _names(result) == [dataset["name"]]
    validation = result["results"][0]["validation"]
    assert validation["summary"] == summary
    assert validation["tables"] == 2
    assert _names(act("sipessut_review_queue", portal.reviewer, validation="none")) == [
        "tanpa-tabel"
    ]


def test_the_former_name_of_not_validated_is_still_accepted(portal):
    dataset = _submitted(portal, resources=[{"url": "http://example.com/a.csv", "format": "CSV"}])
    set_validation_statuses(dataset["id"], [None])

    result = act("sipessut_review_queue", portal.reviewer, validation="unchecked")

    assert _names(result) == [dataset["name"]]
    assert result["results"][0]["validation"]["summary"] == "not_validated"


def test_paging(portal):
    for i in range(5):
        dataset = _submitted(portal, name=f"data-{i}")
        _waited(dataset, 10 - i)

    page = act("sipessut_review_queue", portal.reviewer, limit=2, offset=2)

    assert page["count"] == 5
    assert _names(page) == ["data-2", "data-3"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 201}, "limit"),
        ({"limit": -1}, "limit"),
        ({"offset": "x"}, "offset"),
        ({"min_days": 100000}, "min_days"),
        ({"validation": "bagus"}, "validation"),
        ({"organization": "tidak-ada"}, "organization"),
    ],
)
def test_bad_filters_are_named(portal, params, field):
    with pytest.raises(tk.ValidationError) as refused:
        act("sipessut_review_queue", portal.reviewer, **params)

    assert field in refused.value.error_dict


def test_a_deleted_submission_leaves_the_queue(portal):
    dataset = _submitted(portal)
    tk.get_action("package_delete")({"user": portal.sysadmin["name"]}, {"id": dataset["id"]})

    assert act("sipessut_review_queue", portal.reviewer)["count"] == 0


def test_the_queue_page_shows_and_filters_the_submissions(app, portal):
    _submitted(portal, name="kesehatan", title="Cakupan Imunisasi")
    _submitted(
        portal, organization=portal.other_opd, name="pendidikan", title="Angka Putus Sekolah"
    )
    headers = {"Authorization": portal.reviewer["token"]}

    page = app.get("/walidata/queue", headers=headers)
    filtered = app.get(
        "/walidata/queue", params={"organization": portal.other_opd["name"]}, headers=headers
    )

    assert "Cakupan Imunisasi" in page.body
    assert "Angka Putus Sekolah" in page.body
    assert "2 dataset menunggu" in page.body
    assert "Angka Putus Sekolah" in filtered.body
    assert "Cakupan Imunisasi" not in filtered.body


@pytest.mark.parametrize("role", ["opd_admin", "walidata_member"])
def test_the_queue_page_is_closed_to_others(app, portal, role):
    response = app.get(
        "/walidata/queue", headers={"Authorization": getattr(portal, role)["token"]}, status=403
    )

    assert "Hanya peninjau Walidata" in response.body


def test_the_queue_page_is_closed_to_visitors(app, portal):
    app.get("/walidata/queue", status=403)


def test_reviewers_find_the_queue_in_the_menu(app, portal):
    reviewer_home = app.get("/dataset/", headers={"Authorization": portal.reviewer["token"]})
    editor_home = app.get("/dataset/", headers={"Authorization": portal.opd_editor["token"]})

    assert 'href="/walidata/queue"' in reviewer_home.body
    assert 'href="/walidata/queue"' not in editor_home.body


def test_waiting_days_are_whole_days(portal):
    dataset = _submitted(portal)
    _waited(dataset, 2)

    item = act("sipessut_review_queue", portal.reviewer)["results"][0]

    submitted_at = datetime.datetime.fromisoformat(item["submitted_at"])
    assert item["waiting_days"] == (datetime.datetime.utcnow() - submitted_at).days == 2
