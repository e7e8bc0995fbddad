"""Who may do what in the review, on the real stack (auth functions, labels, Solr)."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk

from ckanext.sipessut.tests.review.conftest import act, review_state

ROLES = (
    "anonymous",
    "other_editor",
    "opd_editor",
    "opd_admin",
    "walidata_member",
    "reviewer",
    "sysadmin",
)

# Expected answers; the Walidata "member" role is not a reviewer role by default.
ALLOWED = {
    "submit": {"opd_editor", "opd_admin", "sysadmin"},
    "approve": {"reviewer", "sysadmin"},
    "return": {"reviewer", "sysadmin"},
    "see queue": {"reviewer", "sysadmin"},
    "read submitted private dataset": {"opd_editor", "opd_admin", "reviewer", "sysadmin"},
}


def _user(portal, role):
    return None if role == "anonymous" else getattr(portal, role)


def _do(portal, operation, user):
    if operation == "submit":
        dataset = portal.in_state("draf")
        act("sipessut_review_submit", user, id=dataset["id"])
        assert review_state(dataset["id"]) == "diajukan"
    elif operation in ("approve", "return"):
        dataset = portal.in_state("diajukan")
        act(f"sipessut_review_{operation}", user, id=dataset["id"], note="Mohon dilengkapi")
        assert review_state(dataset["id"]) != "diajukan"
    elif operation == "see queue":
        dataset = portal.in_state("diajukan")
        queue = act("sipessut_review_queue", user)
        assert [item["id"] for item in queue["results"]] == [dataset["id"]]
    else:
        dataset = portal.in_state("diajukan", title="Angka Kematian Bayi Samarinda")
        shown = act("package_show", user, id=dataset["id"])
        assert shown["title"] == "Angka Kematian Bayi Samarinda"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", list(ALLOWED))
def test_auth_matrix(portal, operation, role):
    user = _user(portal, role)

    if role in ALLOWED[operation]:
        _do(portal, operation, user)
    else:
        with pytest.raises(tk.NotAuthorized):
            _do(portal, operation, user)


@pytest.mark.parametrize("role", ROLES)
def test_search_finds_a_submission_for_exactly_those_who_may_read_it(portal, role):
    """The permission labels hold in Solr too, not only in package_show."""
    dataset = portal.in_state("diajukan", title="Prevalensi Stunting Kecamatan")

    found = act("package_search", _user(portal, role), q="Stunting", include_private=True)

    expected = [dataset["id"]] if role in ALLOWED["read submitted private dataset"] else []
    assert [d["id"] for d in found["results"]] == expected


@pytest.mark.parametrize("state", ["draf", "dikembalikan"])
def test_the_walidata_does_not_see_what_is_not_submitted(portal, state):
    dataset = portal.in_state(state, title="Data Internal Dinas")

    with pytest.raises(tk.NotAuthorized):
        act("package_show", portal.reviewer, id=dataset["id"])
    found = act("package_search", portal.reviewer, q="Internal", include_private=True)
    assert found["count"] == 0


def test_a_withdrawn_submission_disappears_from_the_walidata(portal):
    dataset = portal.in_state("diajukan", title="Data Ditarik Kembali")
    act("sipessut_review_withdraw", portal.opd_editor, id=dataset["id"])

    with pytest.raises(tk.NotAuthorized):
        act("package_show", portal.reviewer, id=dataset["id"])
    assert act("sipessut_review_queue", portal.reviewer)["count"] == 0


def test_an_opd_cannot_submit_another_opds_dataset(portal):
    dataset = portal.in_state("draf")

    with pytest.raises(tk.NotAuthorized):
        act("sipessut_review_submit", portal.other_editor, id=dataset["id"])
    assert review_state(dataset["id"]) == "draf"


@pytest.mark.parametrize("role", ["opd_member", "other_editor", "reviewer"])
def test_withdrawing_is_for_the_opds_editors(portal, role):
    dataset = portal.in_state("diajukan")

    with pytest.raises(tk.NotAuthorized):
        act("sipessut_review_withdraw", getattr(portal, role), id=dataset["id"])
    assert review_state(dataset["id"]) == "diajukan"


@pytest.mark.usefixtures("ckan_config")
@pytest.mark.ckan_config("ckanext.sipessut.review.reviewer_roles", "admin")
def test_which_walidata_roles_review_is_configurable(portal):
    dataset = portal.in_state("diajukan")

    with pytest.raises(tk.NotAuthorized):
        act("sipessut_review_approve", portal.reviewer, id=dataset["id"])  # an editor
    act("sipessut_review_approve", portal.walidata_admin, id=dataset["id"])

    assert review_state(dataset["id"]) == "ditayangkan"


def test_an_opd_cannot_make_itself_the_walidata(portal):
    """An OPD that could label itself walidata would gain the power to review itself: a second
    Walidata is refused, and only sysadmins set an organization's peran."""
    from ckanext.sipessut.tests.factories import OPD

    with pytest.raises(tk.ValidationError) as refused:
        OPD(peran="walidata")
    assert "is already the Walidata" in refused.value.error_dict["peran"][0]

    with pytest.raises((tk.ValidationError, tk.NotAuthorized)):
        act("organization_patch", portal.opd_admin, id=portal.opd["id"], peran="walidata")
    assert tk.get_action("organization_show")({}, {"id": portal.opd["id"]}).get("peran") != (
        "walidata"
    )


@pytest.mark.parametrize(
    ("role", "history_visible"),
    [
        ("anonymous", False),
        ("other_editor", False),
        ("opd_member", False),
        ("opd_editor", True),
        ("opd_admin", True),
        ("reviewer", True),
        ("sysadmin", True),
    ],
)
def test_who_sees_the_review_history_of_a_submission(portal, role, history_visible):
    dataset = portal.in_state("diajukan")
    user = _user(portal, role)

    if history_visible:
        history = act("sipessut_review_history", user, id=dataset["id"])
        assert [e["action"] for e in history["events"]] == ["submit"]
    else:
        with pytest.raises(tk.NotAuthorized):
            act("sipessut_review_history", user, id=dataset["id"])


def test_the_api_refuses_in_indonesian_with_403(app, portal):
    dataset = portal.in_state("diajukan")

    response = app.post(
        "/api/3/action/sipessut_review_approve",
        json={"id": dataset["id"]},
        headers={"Authorization": portal.opd_editor["token"]},
        status=403,
    )

    error = response.json["error"]
    assert error["__type"] == "Authorization Error"
    assert "Hanya peninjau Walidata" in error["message"]


def test_the_api_answers_409_in_indonesian_when_the_state_forbids_it(app, portal):
    dataset = portal.in_state("draf")

    response = app.post(
        "/api/3/action/sipessut_review_approve",
        json={"id": dataset["id"]},
        headers={"Authorization": portal.reviewer["token"]},
        status=409,
    )

    assert "Hanya dataset yang diajukan" in response.json["error"]["state"][0]


def test_the_api_answers_409_in_indonesian_when_the_note_is_missing(app, portal):
    dataset = portal.in_state("diajukan")

    response = app.post(
        "/api/3/action/sipessut_review_return",
        json={"id": dataset["id"], "note": " "},
        headers={"Authorization": portal.reviewer["token"]},
        status=409,
    )

    assert "catatan wajib diisi" in response.json["error"]["note"][0]
