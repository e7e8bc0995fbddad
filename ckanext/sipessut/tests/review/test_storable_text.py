"""A review note with a control character is a 409 naming the note, not a crash, and the
dataset stays where it was; the same holds for every parameter of the review's actions."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk

from ckanext.sipessut import review
from ckanext.sipessut.tests.review.conftest import act


@pytest.mark.parametrize("note", ["Perbaiki\x00judul", "Baris satu\nbaris\x1bdua"])
def test_a_return_note_with_a_control_character_is_refused(portal, note):
    dataset = portal.in_state("diajukan")

    with pytest.raises(tk.ValidationError) as refused:
        act("sipessut_review_return", portal.reviewer, id=dataset["id"], note=note)

    assert list(refused.value.error_dict) == ["note"]
    assert "U+00" in refused.value.error_dict["note"][0]
    assert review.state(dataset["id"]) == "diajukan"
    events = act("sipessut_review_history", portal.reviewer, id=dataset["id"])["events"]
    assert [e["action"] for e in events] == ["submit"]


def test_an_id_with_a_control_character_is_refused(portal):
    with pytest.raises(tk.ValidationError) as refused:
        act("sipessut_review_submit", portal.opd_editor, id="penduduk\x00")

    assert list(refused.value.error_dict) == ["id"]
