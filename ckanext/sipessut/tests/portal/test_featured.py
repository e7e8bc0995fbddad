"""The Walidata chooses the datasets the home page features: who may, what may be chosen."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk

from ckanext.sipessut.tests.portal.conftest import act, as_user


@pytest.mark.parametrize("who", [None, "editor", "other_editor"])
def test_only_the_walidatas_reviewers_and_sysadmins_choose(people, catalogue, who):
    user = getattr(people, who) if who else None

    with pytest.raises(tk.NotAuthorized):
        act("sipessut_portal_featured_update", user, datasets=[catalogue.table["name"]])
    assert act("sipessut_portal_featured_show", None)["datasets"] == []


@pytest.mark.parametrize("who", ["reviewer", "sysadmin"])
def test_the_walidata_and_sysadmins_choose_in_order(people, catalogue, who):
    chosen = act(
        "sipessut_portal_featured_update",
        getattr(people, who),
        datasets=[catalogue.kegiatan["id"], catalogue.table["name"], catalogue.table["name"]],
    )

    # ids become names, a dataset chosen twice is kept once, the order is the Walidata's
    expected = [catalogue.kegiatan["name"], catalogue.table["name"]]
    assert chosen["datasets"] == expected
    assert act("sipessut_portal_featured_show", None)["datasets"] == expected


def test_an_unknown_dataset_or_one_the_walidata_may_not_see_is_refused(people, catalogue):
    """A draft the Walidata cannot read is refused like a name that does not exist: the
    answer does not tell that it exists. Nothing changes."""
    act("sipessut_portal_featured_update", people.reviewer, datasets=[catalogue.table["name"]])

    with pytest.raises(tk.ValidationError) as refused:
        act(
            "sipessut_portal_featured_update",
            people.reviewer,
            datasets=[catalogue.draft["name"], "tidak-ada-dataset-ini"],
        )

    assert refused.value.error_dict["datasets"] == [
        f"No dataset is called {catalogue.draft['name']}.",
        "No dataset is called tidak-ada-dataset-ini.",
    ]
    assert act("sipessut_portal_featured_show", None)["datasets"] == [catalogue.table["name"]]


def test_a_private_dataset_cannot_be_featured_even_by_a_sysadmin(people, catalogue):
    with pytest.raises(tk.ValidationError) as refused:
        act("sipessut_portal_featured_update", people.sysadmin, datasets=[catalogue.draft["name"]])

    assert refused.value.error_dict["datasets"] == [
        "Rahasia Draf Anggaran Tersembunyi is not public: only published datasets can be featured."
    ]


@pytest.mark.ckan_config("ckanext.sipessut.portal.featured_limit", 1)
def test_no_more_than_the_limit(people, catalogue):
    with pytest.raises(tk.ValidationError, match="at most 1"):
        act(
            "sipessut_portal_featured_update",
            people.reviewer,
            datasets=[catalogue.table["name"], catalogue.kegiatan["name"]],
        )


def test_the_walidatas_page_saves_the_choice(app, people, catalogue):
    page = app.get("/walidata/unggulan", headers=as_user(people.reviewer)).body
    assert "Pilih data unggulan" in page
    assert "Rahasia Draf" not in page  # only public datasets are offered

    app.post(
        "/walidata/unggulan",
        headers=as_user(people.reviewer),
        data={"datasets": [catalogue.health_table["name"], ""]},
    )

    assert act("sipessut_portal_featured_show", None)["datasets"] == [
        catalogue.health_table["name"]
    ]


def test_a_refused_choice_is_explained_on_the_page(app, people, catalogue):
    response = app.post(
        "/walidata/unggulan",
        headers=as_user(people.reviewer),
        data={"datasets": [catalogue.draft["name"]]},
        status=409,
    )

    assert "Pilihan tidak disimpan" in response.body
    assert f"Tidak ada dataset bernama {catalogue.draft['name']}." in response.body


def test_others_may_not_open_the_page(app, people):
    app.get("/walidata/unggulan", status=403)
    app.get("/walidata/unggulan", headers=as_user(people.editor), status=403)
