"""The review as the OPD and the Walidata see it in their browser's pages (CKAN test app)."""

from __future__ import annotations

import pytest

from ckanext.sipessut.tests.review.conftest import act, events, is_private, review_state

REVIEWED = "sipessut reviewed package"


def _as(user):
    return {"Authorization": user["token"]}


def test_an_opd_editor_sees_the_draft_badge_and_the_submit_button(app, portal):
    dataset = portal.dataset()

    page = app.get(f"/dataset/{dataset['name']}", headers=_as(portal.opd_editor)).body

    assert 'data-review-state="draf"' in page
    assert "Ajukan ke Walidata" in page
    assert f'action="/dataset/review/{dataset["name"]}/submit"' in page


@pytest.mark.parametrize("role", ["opd_member", "other_editor", "reviewer"])
def test_no_submit_button_for_those_who_may_not_submit(app, portal, role):
    dataset = portal.in_state("ditayangkan")

    page = app.get(f"/dataset/{dataset['name']}", headers=_as(getattr(portal, role))).body

    assert "Ajukan ke Walidata" not in page


def test_the_public_sees_no_review_on_a_published_dataset(app, portal):
    dataset = portal.in_state("ditayangkan")

    page = app.get(f"/dataset/{dataset['name']}").body

    assert "data-review-state" not in page
    assert "Tinjauan Walidata" not in page
    app.get(f"/dataset/review/{dataset['name']}", status=403)


def test_submitting_from_the_dataset_page(app, portal):
    dataset = portal.dataset()

    response = app.post(
        f"/dataset/review/{dataset['name']}/submit",
        headers=_as(portal.opd_editor),
        follow_redirects=False,
    )
    page = app.get(response.headers["Location"], headers=_as(portal.opd_editor)).body

    # (The confirmation is a flash message: the browser journey checks it; CKAN 2.11 keeps
    # no session for requests signed with an API token.)
    assert review_state(dataset["id"]) == "diajukan"
    assert response.headers["Location"].endswith(f"/dataset/{dataset['name']}")
    assert 'data-review-state="diajukan"' in page
    assert "Batalkan pengajuan" in page


def test_the_walidata_sees_decision_buttons_on_a_submission(app, portal):
    dataset = portal.in_state("diajukan")

    page = app.get(f"/dataset/{dataset['name']}", headers=_as(portal.reviewer)).body

    # approving goes through the review tab's checklist and confirmation
    assert "Periksa dan putuskan" in page
    assert "Kembalikan dengan catatan" in page
    assert "Ajukan ke Walidata" not in page


def test_a_return_without_a_note_comes_back_with_the_error(app, portal):
    dataset = portal.in_state("diajukan")

    response = app.post(
        f"/dataset/review/{dataset['name']}/return",
        data={"note": "   "},
        headers=_as(portal.reviewer),
        status=409,
    )

    assert "catatan wajib diisi" in response.body
    assert review_state(dataset["id"]) == "diajukan"


def test_a_refused_note_is_not_lost(app, portal):
    dataset = portal.in_state("diajukan")
    too_long = "Kolom satuan kosong. " * 300

    response = app.post(
        f"/dataset/review/{dataset['name']}/return",
        data={"note": too_long},
        headers=_as(portal.reviewer),
        status=409,
    )

    assert "Catatan terlalu panjang" in response.body
    assert too_long.strip() in response.body


def test_returning_with_a_note_shows_it_to_the_opd(app, portal):
    dataset = portal.in_state("diajukan")

    app.post(
        f"/dataset/review/{dataset['name']}/return",
        data={"note": "Satuan <b>belum</b> diisi"},
        headers=_as(portal.reviewer),
    )
    page = app.get(f"/dataset/{dataset['name']}", headers=_as(portal.opd_editor)).body

    assert 'data-review-state="dikembalikan"' in page
    assert "Satuan &lt;b&gt;belum&lt;/b&gt; diisi" in page
    assert "<b>belum</b>" not in page


def test_a_second_approval_is_refused_with_a_message(app, portal):
    dataset = portal.in_state("diajukan")
    url = f"/dataset/review/{dataset['name']}/approve"

    app.post(url, data={"confirm": "1"}, headers=_as(portal.reviewer))
    second = app.post(url, data={"confirm": "1"}, headers=_as(portal.walidata_admin))

    assert "Hanya dataset yang diajukan yang dapat disetujui" in second.body
    assert [e["action"] for e in events(dataset["id"])] == ["submit", "approve"]
    assert not is_private(dataset["id"])


def test_approving_from_the_queue_returns_to_the_queue(app, portal):
    dataset = portal.in_state("diajukan")

    response = app.post(
        f"/dataset/review/{dataset['name']}/approve",
        data={"next": "queue", "confirm": "1"},
        headers=_as(portal.reviewer),
        follow_redirects=False,
    )

    assert response.headers["Location"].endswith("/walidata/queue")


def test_someone_else_cannot_use_the_buttons(app, portal):
    dataset = portal.in_state("diajukan")

    app.post(
        f"/dataset/review/{dataset['name']}/approve", headers=_as(portal.opd_admin), status=403
    )
    app.post(f"/dataset/review/{dataset['name']}/withdraw", status=403)

    assert review_state(dataset["id"]) == "diajukan"


def test_an_unknown_step_is_not_found(app, portal):
    dataset = portal.dataset()

    app.post(f"/dataset/review/{dataset['name']}/publish", headers=_as(portal.sysadmin), status=404)


def test_the_review_tab_shows_the_whole_history(app, portal):
    dataset = portal.in_state("dikembalikan")
    act("sipessut_review_submit", portal.opd_editor, id=dataset["id"], note="Sudah diperbaiki")

    page = app.get(f"/dataset/review/{dataset['name']}", headers=_as(portal.opd_editor)).body

    assert "Riwayat tinjauan" in page
    assert "Perbaiki judul" in page
    assert "Sudah diperbaiki" in page
    assert page.count("<tr>") == 1 + 3  # header and three steps


@pytest.mark.parametrize("role", ["other_editor", "opd_member"])
def test_the_review_tab_is_closed_to_others(app, portal, role):
    dataset = portal.in_state("diajukan")

    app.get(f"/dataset/review/{dataset['name']}", headers=_as(getattr(portal, role)), status=403)


def test_the_edit_form_does_not_offer_publishing_to_the_opd(app, portal):
    dataset = portal.dataset()

    form = app.get(f"/dataset/edit/{dataset['name']}", headers=_as(portal.opd_editor)).body
    admin_form = app.get(f"/dataset/edit/{dataset['name']}", headers=_as(portal.sysadmin)).body

    assert '<input type="hidden" name="private" value="True">' in form
    assert 'id="field-private"' not in form
    assert 'id="field-private"' in admin_form


def test_a_forged_form_cannot_publish(app, portal):
    dataset = portal.dataset(title="Data Rahasia")

    response = app.post(
        f"/dataset/edit/{dataset['name']}",
        data={
            "name": dataset["name"],
            "title": "Data Rahasia",
            "owner_org": portal.opd["id"],
            "private": "False",
            "save": "",
        },
        headers=_as(portal.opd_editor),
    )

    assert "Penayangan dataset diputuskan melalui tinjauan Walidata" in response.body
    assert is_private(dataset["id"])


def test_review_steps_appear_in_the_activity_stream_of_those_involved(app, portal):
    dataset = portal.in_state("diajukan")
    act("sipessut_review_return", portal.reviewer, id=dataset["id"], note="Lengkapi satuan")

    page = app.get(f"/dataset/activity/{dataset['name']}", headers=_as(portal.opd_editor)).body

    assert "Lengkapi satuan" in page
    assert "Dikembalikan untuk diperbaiki" in page


def test_review_notes_stay_out_of_the_public_activity_stream(app, portal):
    dataset = portal.in_state("dikembalikan")
    act("sipessut_review_submit", portal.opd_editor, id=dataset["id"], note="Catatan internal")
    act("sipessut_review_approve", portal.reviewer, id=dataset["id"], note="Disetujui internal")

    public = act("package_activity_list", None, id=dataset["id"])
    involved = act("package_activity_list", portal.opd_member, id=dataset["id"])
    reviewer = act("package_activity_list", portal.reviewer, id=dataset["id"])

    assert all(a["activity_type"] != REVIEWED for a in public)
    page = app.get(f"/dataset/activity/{dataset['name']}").body
    assert "Catatan internal" not in page
    assert "Disetujui internal" not in page
    steps = [a["data"]["review"]["action"] for a in involved if a["activity_type"] == REVIEWED]
    assert steps == ["approve", "submit", "return", "submit"]
    assert sum(a["activity_type"] == REVIEWED for a in reviewer) == 4
