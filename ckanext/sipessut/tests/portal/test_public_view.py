"""What citizens do not need is not shown to them, and is kept for the OPD and the Walidata:
placeholder codes, internal sources, follower counts, review notes. A published dataset
carries the Walidata's mark."""

from __future__ import annotations

import pytest

from ckanext.sipessut.tests.portal.conftest import act, as_user

PLACEHOLDER = "Sementara (perlu ditinjau)"
SOURCE = "after the 2022 restructuring"


def test_the_public_does_not_see_a_placeholder_code_nor_the_registrys_source(app, people):
    opd_page = app.get(f"/organization/{people.opd['name']}").body
    about = app.get(f"/organization/about/{people.opd['name']}").body

    assert people.opd["kode_skpd"] in opd_page  # the code itself is public
    assert PLACEHOLDER not in opd_page
    assert PLACEHOLDER not in about
    assert SOURCE not in about


@pytest.mark.parametrize("who", ["editor", "reviewer", "sysadmin"])
def test_the_opd_and_the_walidata_see_them(app, people, who):
    headers = as_user(getattr(people, who))

    assert PLACEHOLDER in app.get(f"/organization/{people.opd['name']}", headers=headers).body
    assert SOURCE in app.get(f"/organization/about/{people.opd['name']}", headers=headers).body


def test_another_opds_officer_does_not(app, people):
    headers = as_user(people.other_editor)

    assert PLACEHOLDER not in app.get(f"/organization/{people.opd['name']}", headers=headers).body


def test_follower_counts_are_not_shown_to_the_public(app, people):
    published = people.published()

    dataset_page = app.get(f"/dataset/{published['name']}").body
    opd_page = app.get(f"/organization/{people.opd['name']}").body

    assert "Pengikut" not in dataset_page
    assert "Pengikut" not in opd_page
    assert "Kumpulan data" in opd_page.split('id="organization-info"', 1)[1]
    assert (
        "Pengikut"
        in app.get(f"/organization/{people.opd['name']}", headers=as_user(people.editor)).body
    )


def test_review_notes_never_reach_the_public(app, people):
    dataset = people.returned(note="Catatan internal: angka 2023 keliru")
    act("sipessut_review_submit", people.editor, id=dataset["id"])
    act("sipessut_review_approve", people.reviewer, id=dataset["id"])

    assert "Catatan internal" not in app.get(f"/dataset/{dataset['name']}").body
    assert "Catatan internal" not in app.get(f"/dataset/activity/{dataset['name']}").body


def test_a_published_dataset_carries_the_walidatas_mark(app, people):
    published = people.published()
    draft = people.draft()

    assert "Diperiksa Walidata" in app.get(f"/dataset/{published['name']}").body
    assert (
        "Diperiksa Walidata"
        not in app.get(f"/dataset/{draft['name']}", headers=as_user(people.editor)).body
    )
