"""Who may see and do what: every report action, the report page and its preview,
for a private dataset, another OPD's editor and anonymous visitors."""

from __future__ import annotations

import json

import pytest
from ckan.logic import NotAuthorized, check_access
from ckan.tests import factories, helpers

from ckanext.sipessut.tests.factories import OPD, Dataset
from ckanext.sipessut.tests.validation.conftest import BAD_CSV, DICTIONARY, file_storage

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "clean_redis")

READ_ACTIONS = ["sipessut_validation_show", "sipessut_validation_history"]
EDIT_ACTIONS = ["sipessut_validation_run", "sipessut_validation_delete", "sipessut_schema_infer"]


@pytest.fixture
def people(opd_editor):
    outsider = factories.User()
    OPD(users=[{"name": outsider["name"], "capacity": "editor"}])  # editor of another OPD
    member = factories.User()
    helpers.call_action(
        "organization_member_create",
        id=opd_editor["org"]["id"],
        username=member["name"],
        role="member",
    )
    return {"editor": opd_editor["user"], "outsider": outsider, "member": member}


def as_user(user: dict) -> dict[str, str]:
    """Request headers that sign `user` in, as an API token does for any request."""
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def _resource(opd_editor, private: bool):
    dataset = Dataset(owner_org=opd_editor["org"]["id"], private=private)
    return helpers.call_action(
        "resource_create",
        {"user": opd_editor["user"]["name"]},
        package_id=dataset["id"],
        upload=file_storage(BAD_CSV, "tabel.csv"),
        url="",
        data_dictionary=json.dumps(DICTIONARY),
    )


def _allowed(action: str, user: str | None, resource_id: str) -> bool:
    """What CKAN's check_access answers, as for an API call by `user` (None: anonymous)."""
    try:
        check_access(action, {"user": user or ""}, {"id": resource_id})
    except NotAuthorized:
        return False
    return True


@pytest.mark.parametrize("action", READ_ACTIONS)
def test_reports_of_a_private_dataset_are_for_its_opd_only(opd_editor, people, action):
    resource = _resource(opd_editor, private=True)

    assert _allowed(action, people["editor"]["name"], resource["id"])
    assert _allowed(action, people["member"]["name"], resource["id"])
    assert not _allowed(action, people["outsider"]["name"], resource["id"])
    assert not _allowed(action, None, resource["id"])


@pytest.mark.parametrize("action", READ_ACTIONS)
def test_reports_of_a_public_dataset_are_public(opd_editor, people, action):
    resource = _resource(opd_editor, private=False)

    assert _allowed(action, None, resource["id"])
    assert _allowed(action, people["outsider"]["name"], resource["id"])


@pytest.mark.parametrize("action", EDIT_ACTIONS)
def test_running_deleting_and_inferring_need_the_right_to_edit(opd_editor, people, action):
    resource = _resource(opd_editor, private=False)

    assert _allowed(action, people["editor"]["name"], resource["id"])
    assert not _allowed(action, people["member"]["name"], resource["id"])
    assert not _allowed(action, people["outsider"]["name"], resource["id"])
    assert not _allowed(action, None, resource["id"])


def test_private_report_page_and_preview_are_hidden(app, opd_editor, people):
    resource = _resource(opd_editor, private=True)
    url = f"/dataset/{resource['package_id']}/resource/{resource['id']}/validation"

    anonymous = app.get(url, status=404)
    outsider = app.get(url, status=404, headers=as_user(people["outsider"]))
    member = app.get(url, headers=as_user(people["member"]))

    assert "banyak" not in anonymous.body
    assert "banyak" not in outsider.body
    assert "banyak" in member.body


def test_api_hides_private_reports(app, opd_editor):
    resource = _resource(opd_editor, private=True)

    response = app.get(
        "/api/3/action/sipessut_validation_show", params={"id": resource["id"]}, status=403
    )

    assert "banyak" not in response.body


def test_search_facet_counts_only_visible_datasets(app, opd_editor):
    _resource(opd_editor, private=True)

    public = app.get(
        "/api/3/action/package_search", params={"facet.field": '["vocab_validation_status"]'}
    ).json["result"]

    assert public["count"] == 0
    assert public["facets"].get("vocab_validation_status", {}) == {}


def test_columns_not_public_are_masked_for_readers_who_cannot_edit(opd_editor, people):
    dictionary = json.loads(json.dumps(DICTIONARY))
    dictionary["fields"][3]["bisa_diakses_umum"] = False
    dataset = Dataset(owner_org=opd_editor["org"]["id"])
    resource = helpers.call_action(
        "resource_create",
        {"user": opd_editor["user"]["name"]},
        package_id=dataset["id"],
        upload=file_storage(BAD_CSV, "tabel.csv"),
        url="",
        data_dictionary=dictionary,
    )

    public = helpers.call_action(
        "sipessut_validation_show", {"user": people["outsider"]["name"]}, id=resource["id"]
    )["report"]
    editor = helpers.call_action(
        "sipessut_validation_show", {"user": people["editor"]["name"]}, id=resource["id"]
    )["report"]

    assert public["preview"][1]["cells"][3] == "•••"
    assert public["errors"][0]["cell"] == "•••"
    assert editor["preview"][1]["cells"][3] == "banyak"
    assert public["preview"][1]["cells"][1] == "Samarinda Seberang"
