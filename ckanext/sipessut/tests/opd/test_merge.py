"""Merging an OPD into another moves everything it holds and leaves its address pointing on."""

from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from ckanext.sipessut.tests.factories import OPD, Dataset

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


@pytest.fixture
def old_and_new():
    editor = factories.User()
    admin = factories.User()
    old = OPD(
        name="dinas-pariwisata",
        title="Dinas Pariwisata",
        kode_skpd="3.26.0.00.0.00.01.0000",
        bidang_urusan=["3.26"],
        users=[
            {"name": editor["name"], "capacity": "editor"},
            {"name": admin["name"], "capacity": "member"},
        ],
    )
    new = OPD(
        name="dispora",
        title="Dinas Kepemudaan, Olahraga dan Pariwisata",
        kode_skpd="2.19.3.26.0.00.01.0000",
        bidang_urusan=["2.19", "3.26"],
        users=[{"name": admin["name"], "capacity": "admin"}],
    )
    datasets = {
        "public": Dataset(owner_org=old["id"]),
        "private": Dataset(owner_org=old["id"], private=True),
        "draft": Dataset(owner_org=old["id"], state="draft"),
    }
    return old, new, datasets, editor, admin


def merge(old, new, **more):
    return helpers.call_action(
        "sipessut_opd_merge", {"user": factories.Sysadmin()["name"]}, old=old, new=new, **more
    )


def test_merge_moves_public_private_and_draft_datasets(old_and_new):
    old, new, datasets, _editor, _admin = old_and_new

    result = merge("dinas-pariwisata", "dispora")

    assert result["datasets"] == {"public": 1, "private": 1, "draft": 1, "deleted": 0}
    for dataset in datasets.values():
        shown = helpers.call_action("package_show", id=dataset["id"])
        assert shown["owner_org"] == new["id"]
        assert shown["state"] == dataset["state"]
        assert shown["private"] == dataset["private"]
    # The index knows the new owner, drafts and private datasets included.
    found = helpers.call_action(
        "package_search",
        {"ignore_auth": True},
        fq=f"owner_org:{new['id']}",
        include_private=True,
        include_drafts=True,
    )
    assert found["count"] == 3
    assert helpers.call_action("organization_show", id=old["id"])["state"] == "deleted"


def test_merge_moves_members_keeping_the_higher_role(old_and_new):
    _old, _new, _datasets, editor, admin = old_and_new

    merge("dinas-pariwisata", "dispora")

    listed = helpers.call_action("member_list", id="dispora", object_type="user")
    members = {user_id: role for user_id, _type, role in listed}
    assert members[editor["id"]] == "Editor"
    assert members[admin["id"]] == "Admin"


def test_the_old_address_leads_to_the_new_opd_and_the_merge_is_recorded(old_and_new, app):
    merge("3.26.0.00.0.00.01.0000", "dispora")

    response = app.get("/organization/dinas-pariwisata", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/organization/dispora")
    about = app.get("/organization/about/dispora").body
    assert "Dinas Pariwisata (3.26.0.00.0.00.01.0000) digabungkan ke OPD ini." in about
    history = helpers.call_action("sipessut_opd_history", id="dispora")
    assert history[0]["kind"] == "merge"
    assert history[0]["old_name"] == "dinas-pariwisata"
    assert history[0]["details"]["datasets"]["draft"] == 1


def test_the_resolver_sends_the_old_names_and_code_to_the_new_opd(old_and_new):
    merge("dinas-pariwisata", "dispora")

    by_title = helpers.call_action("sipessut_opd_resolve", q="Dinas Pariwisata Kota Samarinda")
    by_code = helpers.call_action("sipessut_opd_resolve", q="3.26.0.00.0.00.01.0000")

    assert (by_title["organization"]["name"], by_title["match"]) == ("dispora", "former_name")
    assert (by_code["organization"]["name"], by_code["match"]) == ("dispora", "former_kode_skpd")


def test_a_dry_run_reports_and_moves_nothing(old_and_new):
    old, _new, datasets, _editor, _admin = old_and_new

    result = merge("dinas-pariwisata", "dispora", dry_run=True)

    assert result["datasets"]["public"] == 1
    assert {m["user"] for m in result["members"]}
    public = helpers.call_action("package_show", id=datasets["public"]["id"])
    assert public["owner_org"] == old["id"]
    assert helpers.call_action("organization_show", id=old["id"])["state"] == "active"


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [("dispora", "dispora", "new"), ("dinas-pariwisata", "nowhere", None)],
)
def test_impossible_merges_are_refused(old_and_new, old, new, field):
    error_type = helpers.logic.ValidationError if field else helpers.logic.NotFound
    with pytest.raises(error_type):
        merge(old, new)


def test_a_merged_code_left_in_the_registry_is_refused_by_sync(old_and_new, sync):
    merge("dinas-pariwisata", "dispora")
    text = (
        'format: 1\nopd:\n  - kode_skpd: "3.26.0.00.0.00.01.0000"\n'
        "    name: dinas-pariwisata\n    title: Dinas Pariwisata\n"
        '    bidang_urusan: ["3.26"]\n'
    )

    with pytest.raises(helpers.logic.ValidationError) as error:
        sync(text)

    message = error.value.error_dict["registry"][0]
    assert message.startswith("line 3: kode SKPD 3.26.0.00.0.00.01.0000 (Dinas Pariwisata)")
    assert "was merged into dispora" in message
