"""OPD users cannot publish (or unpublish) on their own, through any door CKAN offers."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk

from ckanext.sipessut.tests.factories import Dataset
from ckanext.sipessut.tests.review.conftest import act, events, is_private, review_state


def test_an_opd_dataset_created_without_a_visibility_starts_private(portal):
    dataset = act("package_create", portal.opd_editor, name="data-baru", owner_org=portal.opd["id"])

    assert dataset["private"] is True
    assert review_state(dataset["id"]) == "draf"


@pytest.mark.parametrize("private", [False, "False", "false", "", 0])
def test_an_opd_cannot_create_a_public_dataset(portal, private):
    with pytest.raises(tk.ValidationError) as refused:
        act(
            "package_create",
            portal.opd_editor,
            name="data-publik",
            owner_org=portal.opd["id"],
            private=private,
        )

    assert list(refused.value.error_dict) == ["private"]


@pytest.mark.parametrize("action", ["package_patch", "package_update"])
def test_an_opd_cannot_publish_its_draft(portal, action):
    dataset = portal.dataset()
    data = {"id": dataset["id"], "private": False}
    if action == "package_update":
        data = {**dataset, "private": False}

    with pytest.raises(tk.ValidationError) as refused:
        act(action, portal.opd_admin, **data)

    assert list(refused.value.error_dict) == ["private"]
    assert is_private(dataset["id"])


def test_an_opd_cannot_publish_through_package_revise(portal):
    dataset = portal.dataset()

    with pytest.raises(tk.ValidationError):
        act(
            "package_revise",
            portal.opd_admin,
            match={"id": dataset["id"]},
            update={"private": False},
        )

    assert is_private(dataset["id"])


def test_an_opd_cannot_hide_a_published_dataset_either(portal):
    dataset = portal.in_state("ditayangkan")

    with pytest.raises(tk.ValidationError):
        act("package_patch", portal.opd_admin, id=dataset["id"], private=True)

    assert not is_private(dataset["id"])


@pytest.mark.parametrize("bulk", ["bulk_update_public", "bulk_update_private"])
def test_the_organization_bulk_buttons_are_closed_to_opd_admins(portal, bulk):
    dataset = portal.dataset()

    with pytest.raises(tk.NotAuthorized):
        act(bulk, portal.opd_admin, datasets=[dataset["id"]], org_id=portal.opd["id"])

    assert is_private(dataset["id"])


def test_ordinary_edits_of_a_draft_are_untouched(portal):
    dataset = portal.dataset()

    act("package_patch", portal.opd_editor, id=dataset["id"], notes="Deskripsi baru")
    act("package_patch", portal.opd_editor, id=dataset["id"], private=True)

    shown = act("package_show", portal.opd_editor, id=dataset["id"])
    assert shown["notes"] == "Deskripsi baru"
    assert shown["private"] is True


def test_a_sysadmin_may_publish_directly_and_it_is_recorded(portal):
    dataset = portal.in_state("diajukan")

    act("package_patch", portal.sysadmin, id=dataset["id"], private=False)

    assert review_state(dataset["id"]) == "ditayangkan"
    last = events(dataset["id"])[-1]
    assert (last["action"], last["from_state"], last["to_state"]) == (
        "visibility",
        "diajukan",
        "ditayangkan",
    )
    assert last["actor"]["name"] == portal.sysadmin["name"]


def test_a_sysadmin_publishing_a_dataset_that_never_moved_is_recorded(portal):
    dataset = portal.dataset()

    act("package_patch", portal.sysadmin, id=dataset["id"], private=False)

    assert [(e["from_state"], e["to_state"]) for e in events(dataset["id"])] == [
        ("draf", "ditayangkan")
    ]


@pytest.mark.parametrize(
    ("bulk", "start", "end"),
    [
        ("bulk_update_public", "draf", "ditayangkan"),
        ("bulk_update_private", "ditayangkan", "draf"),
    ],
)
def test_sysadmin_bulk_changes_are_recorded(portal, bulk, start, end):
    first, second = portal.in_state(start), portal.in_state(start)

    act(bulk, portal.sysadmin, datasets=[first["id"], second["id"]], org_id=portal.opd["id"])

    for dataset in (first, second):
        assert review_state(dataset["id"]) == end
        assert events(dataset["id"])[-1]["action"] == "visibility"
        assert is_private(dataset["id"]) is (end == "draf")


def test_a_public_dataset_made_by_a_sysadmin_is_published(portal):
    dataset = Dataset(owner_org=portal.opd["id"], private=False)

    assert review_state(dataset["id"]) == "ditayangkan"
    assert act("package_show", None, id=dataset["id"])["id"] == dataset["id"]


@pytest.mark.usefixtures("ckan_config")
@pytest.mark.ckan_config("ckanext.sipessut.review.approval_required", "false")
def test_without_required_approval_an_opd_publishes_itself_and_it_is_recorded(portal):
    dataset = portal.dataset(private=True)

    act("package_patch", portal.opd_editor, id=dataset["id"], private=False)

    assert review_state(dataset["id"]) == "ditayangkan"
    last = events(dataset["id"])[-1]
    assert (last["action"], last["actor"]["name"]) == ("visibility", portal.opd_editor["name"])
    created = Dataset(owner_org=portal.opd["id"], user=portal.opd_editor, name="langsung-publik")
    assert created["private"] is False


# The lock: what the Walidata reviews does not change under its eyes.


def test_a_submitted_dataset_is_locked_for_its_opd(portal):
    dataset = portal.in_state("diajukan", notes="Versi yang diajukan")

    with pytest.raises(tk.NotAuthorized):
        act("package_patch", portal.opd_editor, id=dataset["id"], notes="Diam-diam diubah")
    with pytest.raises(tk.NotAuthorized):
        act(
            "resource_create",
            portal.opd_admin,
            package_id=dataset["id"],
            url="http://example.com/baru.csv",
        )
    with pytest.raises(tk.NotAuthorized):
        act("package_delete", portal.opd_admin, id=dataset["id"])

    shown = act("package_show", portal.reviewer, id=dataset["id"])
    assert shown["notes"] == "Versi yang diajukan"
    assert len(shown["resources"]) == 1


def test_withdrawing_unlocks_it(portal):
    dataset = portal.in_state("diajukan")
    act("sipessut_review_withdraw", portal.opd_editor, id=dataset["id"])

    act("package_patch", portal.opd_editor, id=dataset["id"], notes="Diperbaiki")

    assert act("package_show", portal.opd_editor, id=dataset["id"])["notes"] == "Diperbaiki"


def test_a_sysadmin_can_still_correct_a_submitted_dataset(portal):
    dataset = portal.in_state("diajukan")

    act("package_patch", portal.sysadmin, id=dataset["id"], notes="Koreksi admin")

    assert act("package_show", portal.reviewer, id=dataset["id"])["notes"] == "Koreksi admin"
    assert review_state(dataset["id"]) == "diajukan"


def test_the_lock_refuses_in_indonesian_through_the_api(app, portal):
    dataset = portal.in_state("diajukan")

    response = app.post(
        "/api/3/action/package_patch",
        json={"id": dataset["id"], "notes": "x"},
        headers={"Authorization": portal.opd_editor["token"]},
        status=403,
    )

    assert "sedang ditinjau Walidata" in response.json["error"]["message"]


def test_by_default_a_published_dataset_is_edited_live(portal):
    dataset = portal.in_state("ditayangkan")

    act("package_patch", portal.opd_editor, id=dataset["id"], notes="Pembaruan data")

    assert act("package_show", None, id=dataset["id"])["notes"] == "Pembaruan data"
    assert review_state(dataset["id"]) == "ditayangkan"


@pytest.mark.usefixtures("ckan_config")
@pytest.mark.ckan_config("ckanext.sipessut.review.published_edits", "locked")
def test_locked_published_datasets_change_only_after_the_walidata_returns_them(portal):
    dataset = portal.in_state("ditayangkan", notes="Versi disetujui")

    with pytest.raises(tk.NotAuthorized):
        act("package_patch", portal.opd_editor, id=dataset["id"], notes="Belum ditinjau")
    assert act("package_show", None, id=dataset["id"])["notes"] == "Versi disetujui"

    act("sipessut_review_return", portal.reviewer, id=dataset["id"], note="Silakan perbarui")
    act("package_patch", portal.opd_editor, id=dataset["id"], notes="Versi baru")
    act("sipessut_review_submit", portal.opd_editor, id=dataset["id"])
    act("sipessut_review_approve", portal.reviewer, id=dataset["id"])

    assert act("package_show", None, id=dataset["id"])["notes"] == "Versi baru"


def test_returning_a_published_dataset_takes_it_off_the_portal(portal):
    dataset = portal.in_state("ditayangkan", title="Data Dengan Kesalahan")

    act("sipessut_review_return", portal.reviewer, id=dataset["id"], note="Ada data pribadi")

    with pytest.raises(tk.NotAuthorized):
        act("package_show", None, id=dataset["id"])
    assert act("package_search", None, q="Kesalahan")["count"] == 0
