"""Every move of the review state machine, legal and illegal, as the users make them."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk

from ckanext.sipessut.tests.review.conftest import (
    act,
    events,
    is_private,
    review_state,
    set_validation_statuses,
)

STATES = ("draf", "diajukan", "dikembalikan", "ditayangkan")
VERBS = ("submit", "withdraw", "approve", "return")

# The whole machine: (state, verb) -> the state it leads to. Everything else is refused.
LEGAL = {
    ("draf", "submit"): "diajukan",
    ("dikembalikan", "submit"): "diajukan",
    ("diajukan", "withdraw"): "draf",
    ("diajukan", "approve"): "ditayangkan",
    ("diajukan", "return"): "dikembalikan",
    ("ditayangkan", "return"): "dikembalikan",
}


def _actor(portal, verb):
    """The person who would press the button: the OPD's editor or the Walidata's reviewer."""
    return portal.opd_editor if verb in ("submit", "withdraw") else portal.reviewer


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("verb", VERBS)
def test_every_state_and_verb(portal, state, verb):
    dataset = portal.in_state(state)
    before = events(dataset["id"])
    was_private = is_private(dataset["id"])
    actor = _actor(portal, verb)

    if (state, verb) in LEGAL:
        target = LEGAL[(state, verb)]
        result = act(f"sipessut_review_{verb}", actor, id=dataset["id"], note="Catatan uji")

        assert result["state"] == target
        assert review_state(dataset["id"]) == target
        assert is_private(dataset["id"]) is (target != "ditayangkan")
        after = events(dataset["id"])
        assert len(after) == len(before) + 1
        last = after[-1]
        assert (last["action"], last["from_state"], last["to_state"]) == (verb, state, target)
        assert last["actor"]["name"] == actor["name"]
        assert last["note"] == "Catatan uji"
    else:
        with pytest.raises(tk.ValidationError) as refused:
            act(f"sipessut_review_{verb}", actor, id=dataset["id"], note="Catatan uji")

        assert "state" in refused.value.error_dict
        assert review_state(dataset["id"]) == state
        assert is_private(dataset["id"]) is was_private
        assert events(dataset["id"]) == before


def test_the_whole_journey_is_in_the_audit_trail(portal):
    dataset = portal.dataset()
    act("sipessut_review_submit", portal.opd_editor, id=dataset["id"])
    act("sipessut_review_return", portal.reviewer, id=dataset["id"], note="Satuan belum diisi")
    act("sipessut_review_submit", portal.opd_admin, id=dataset["id"], note="Sudah diperbaiki")
    act("sipessut_review_approve", portal.sysadmin, id=dataset["id"])

    trail = [
        (e["action"], e["from_state"], e["to_state"], e["actor"]["name"], e["note"])
        for e in events(dataset["id"])
    ]
    assert trail == [
        ("submit", "draf", "diajukan", portal.opd_editor["name"], None),
        ("return", "diajukan", "dikembalikan", portal.reviewer["name"], "Satuan belum diisi"),
        ("submit", "dikembalikan", "diajukan", portal.opd_admin["name"], "Sudah diperbaiki"),
        ("approve", "diajukan", "ditayangkan", portal.sysadmin["name"], None),
    ]
    assert not is_private(dataset["id"])


@pytest.mark.parametrize("note", [None, "", "   \n  "])
def test_returning_needs_a_note(portal, note):
    dataset = portal.in_state("diajukan")

    with pytest.raises(tk.ValidationError) as refused:
        act("sipessut_review_return", portal.reviewer, id=dataset["id"], note=note)

    assert list(refused.value.error_dict) == ["note"]
    assert review_state(dataset["id"]) == "diajukan"


def test_a_note_has_a_length_limit(portal):
    dataset = portal.in_state("diajukan")

    with pytest.raises(tk.ValidationError) as refused:
        act("sipessut_review_return", portal.reviewer, id=dataset["id"], note="x" * 5001)

    assert list(refused.value.error_dict) == ["note"]
    act("sipessut_review_return", portal.reviewer, id=dataset["id"], note="x" * 5000)
    assert review_state(dataset["id"]) == "dikembalikan"


def test_a_dataset_without_data_cannot_be_submitted(portal):
    dataset = portal.dataset(resources=[])

    with pytest.raises(tk.ValidationError) as refused:
        act("sipessut_review_submit", portal.opd_editor, id=dataset["id"])

    assert list(refused.value.error_dict) == ["resources"]
    assert review_state(dataset["id"]) == "draf"


def test_a_deleted_or_unknown_dataset_is_not_found(portal):
    dataset = portal.dataset()
    tk.get_action("package_delete")({"user": portal.opd_editor["name"]}, {"id": dataset["id"]})

    for dataset_id in (dataset["id"], "no-such-dataset"):
        with pytest.raises(tk.ObjectNotFound):
            act("sipessut_review_submit", portal.opd_editor, id=dataset_id)


@pytest.mark.ckan_config("ckanext.sipessut.review.require_valid_tabular", "true")
@pytest.mark.parametrize(
    ("resources", "approved"),
    [
        ([{"format": "CSV", "validation_status": "valid"}], True),
        ([{"format": "csv", "validation_status": "invalid"}], False),
        ([{"format": "XLSX", "validation_status": "error"}], False),
        ([{"format": ".ods", "validation_status": "pending"}], False),
        ([{"format": "TSV"}], False),
        ([{"format": "PDF"}], True),  # not a table: nothing to validate
        (
            [
                {"format": "CSV", "validation_status": "valid"},
                {"format": "XLS", "validation_status": "valid"},
                {"format": "JSON"},
            ],
            True,
        ),
        (
            [
                {"format": "CSV", "validation_status": "valid"},
                {"format": "CSV", "name": "Tabel kedua"},
            ],
            False,
        ),
    ],
)
@pytest.mark.usefixtures("ckan_config")
def test_approval_can_require_valid_tables(portal, resources, approved):
    dataset = portal.in_state(
        "diajukan",
        resources=[
            {
                "url": f"http://example.com/{i}",
                **{k: v for k, v in r.items() if k != "validation_status"},
            }
            for i, r in enumerate(resources)
        ],
    )
    set_validation_statuses(dataset["id"], [r.get("validation_status") for r in resources])

    if approved:
        act("sipessut_review_approve", portal.reviewer, id=dataset["id"])
        assert review_state(dataset["id"]) == "ditayangkan"
    else:
        with pytest.raises(tk.ValidationError) as refused:
            act("sipessut_review_approve", portal.reviewer, id=dataset["id"])
        assert list(refused.value.error_dict) == ["validation"]
        assert review_state(dataset["id"]) == "diajukan"
        assert is_private(dataset["id"])


def test_by_default_the_walidata_decides_whatever_the_validation_says(portal):
    dataset = portal.in_state(
        "diajukan", resources=[{"url": "http://example.com/a.csv", "format": "CSV"}]
    )
    set_validation_statuses(dataset["id"], ["invalid"])

    # Once the Walidata confirms the invalid tables (the checklist's question), it may publish.
    act("sipessut_review_approve", portal.reviewer, id=dataset["id"], confirm_invalid=True)

    assert review_state(dataset["id"]) == "ditayangkan"


@pytest.mark.ckan_config("ckanext.sipessut.review.require_valid_tabular", "true")
@pytest.mark.ckan_config("ckanext.sipessut.review.tabular_formats", "CSV")
@pytest.mark.usefixtures("ckan_config")
def test_which_formats_are_tables_is_configurable(portal):
    dataset = portal.in_state(
        "diajukan",
        resources=[{"url": "http://example.com/a.xlsx", "format": "XLSX"}],
    )

    act("sipessut_review_approve", portal.reviewer, id=dataset["id"])

    assert review_state(dataset["id"]) == "ditayangkan"


def test_a_draft_with_incomplete_metadata_cannot_be_submitted(portal):
    """The Walidata publishes complete metadata only: the OPD hears what is missing at once."""
    draft = act(
        "package_create",
        portal.opd_editor,
        name="draf-belum-lengkap",
        title="Draf belum lengkap",
        owner_org=portal.opd["id"],
        resources=[{"url": "http://example.com/a.csv", "format": "CSV"}],
    )

    with pytest.raises(tk.ValidationError) as refused:
        act("sipessut_review_submit", portal.opd_editor, id=draft["id"])

    errors = refused.value.error_dict
    assert errors["sektor"] == ["Required before the Walidata can publish the dataset"]
    assert "jadwal_pemutakhiran" in errors
    assert review_state(draft["id"]) == "draf"
