"""What is not public stays out, at every door: the DataStore API, the dumps, our
downloads, the original file and SQL, for visitors, other OPDs, the OPD itself."""

from __future__ import annotations

import json

import pytest
from ckan.logic import NotAuthorized, NotFound, ValidationError
from ckan.tests import factories, helpers

from ckanext.sipessut.tests.factories import OPD, Dataset
from ckanext.sipessut.tests.publicdata.conftest import DICTIONARY, GOOD_CSV, SECRET, search

pytestmark = pytest.mark.usefixtures("clean_datastore", "clean_redis")


@pytest.fixture
def other_opd_user():
    user = factories.User()
    OPD(users=[{"name": user["name"], "capacity": "editor"}])
    return user


def download_path(resource, fmt):
    return f"/dataset/{resource['package_id']}/resource/{resource['id']}/unduh/{fmt}"


def original_path(resource):
    return resource["url"].split("127.0.0.1:5050", 1)[-1] if "://" in resource["url"] else ""


# --- masked columns ------------------------------------------------------------------


def test_the_public_cannot_download_the_original_of_a_table_with_masked_columns(
    app, upload, opd_editor, other_opd_user
):
    resource = upload()
    path = original_path(resource)
    assert path.endswith("penduduk.csv")

    anonymous = app.get(path, follow_redirects=False)
    assert anonymous.status_code == 302
    assert "/unduh/csv" in anonymous.headers["Location"]
    other = app.get(path, headers={"Authorization": _token(other_opd_user)}, follow_redirects=False)
    assert other.status_code == 302

    own = app.get(path, headers={"Authorization": _token(opd_editor["user"])})
    assert own.status_code == 200
    assert SECRET in own.get_data(as_text=True)


def test_what_the_public_gets_instead_has_no_masked_column(app, upload):
    resource = upload()

    dump = app.get(download_path(resource, "csv"), follow_redirects=True)
    assert dump.status_code == 200
    text = dump.get_data(as_text=True)
    assert "Palaran" in text
    assert SECRET not in text
    assert "nik_petugas" not in text


def test_a_table_without_masked_columns_keeps_its_original_download(app, upload):
    dictionary = json.loads(json.dumps(DICTIONARY))
    dictionary["fields"][-1]["bisa_diakses_umum"] = True
    resource = upload(data_dictionary=json.dumps(dictionary))

    response = app.get(original_path(resource))
    assert response.status_code == 200
    assert SECRET in response.get_data(as_text=True)


def test_nobody_puts_a_masked_column_into_the_datastore_through_the_api(upload, opd_editor):
    resource = upload()

    with pytest.raises(ValidationError) as raised:
        helpers.call_action(
            "datastore_create",
            {"user": opd_editor["user"]["name"]},
            resource_id=resource["id"],
            fields=[{"id": "nik_petugas", "type": "text"}],
            force=True,
        )
    assert "nik_petugas" in str(raised.value.error_dict)


# --- unpublished datasets ---------------------------------------------------------------


@pytest.fixture
def private_table(opd_editor, upload):
    dataset = Dataset(owner_org=opd_editor["org"]["id"], private=True)
    return upload(package_id=dataset["id"])


def test_a_private_table_is_loaded_for_its_opd(private_table, opd_editor):
    assert private_table["datastore_active"] is True
    found = search(private_table["id"], user=opd_editor["user"]["name"])
    assert found["total"] == 3


@pytest.mark.parametrize("who", ["anonymous", "other_opd"])
def test_a_private_table_is_unreachable_for_others(app, private_table, other_opd_user, who):
    user = "" if who == "anonymous" else other_opd_user["name"]
    headers = {} if who == "anonymous" else {"Authorization": _token(other_opd_user)}

    with pytest.raises(NotAuthorized):
        search(private_table["id"], user=user)
    with pytest.raises(NotAuthorized):
        helpers.call_action(
            "datastore_search_sql",
            {"user": user, "ignore_auth": False},
            sql=f'SELECT * FROM "{private_table["id"]}"',
        )
    with pytest.raises(NotAuthorized):
        helpers.call_action(
            "datastore_info", {"user": user, "ignore_auth": False}, id=private_table["id"]
        )
    dump = app.get(f"/datastore/dump/{private_table['id']}", headers=headers)
    assert dump.status_code in (403, 404)
    assert "Palaran" not in dump.get_data(as_text=True)
    for fmt in ("xlsx", "csv", "json"):
        response = app.get(
            download_path(private_table, fmt), headers=headers, follow_redirects=True
        )
        assert response.status_code in (403, 404), fmt
        assert "Palaran" not in response.get_data(as_text=True)
    original = app.get(original_path(private_table), headers=headers, follow_redirects=True)
    assert original.status_code in (403, 404)
    assert SECRET not in original.get_data(as_text=True)


# --- SQL --------------------------------------------------------------------------------


def test_sql_search_is_closed_to_the_public_by_default(upload):
    resource = upload()

    with pytest.raises(NotAuthorized):
        helpers.call_action(
            "datastore_search_sql",
            {"user": "", "ignore_auth": False},
            sql=f'SELECT kecamatan FROM "{resource["id"]}"',
        )
    admin = factories.Sysadmin()
    rows = helpers.call_action(
        "datastore_search_sql",
        {"user": admin["name"], "ignore_auth": False},
        sql=f'SELECT kecamatan FROM "{resource["id"]}"',
    )["records"]
    assert len(rows) == 3


@pytest.mark.ckan_config("ckanext.sipessut.publicdata.search_sql_public", "true")
def test_a_portal_may_open_sql_search_to_the_public(upload):
    resource = upload()

    rows = helpers.call_action(
        "datastore_search_sql",
        {"user": "", "ignore_auth": False},
        sql=f'SELECT kecamatan FROM "{resource["id"]}"',
    )["records"]
    assert {r["kecamatan"] for r in rows} == {"Palaran", "Samarinda Seberang", "Samarinda Ulu"}


# --- restricted access -----------------------------------------------------------------


def test_terbatas_data_are_never_loaded(opd_editor, upload):
    dataset = Dataset(owner_org=opd_editor["org"]["id"], private=True, pengaturan_akses="terbatas")
    resource = upload(package_id=dataset["id"])

    assert not resource.get("datastore_active")
    latest = helpers.call_action("sipessut_publicdata_status", id=resource["id"])["latest"]
    assert latest["status"] == "skipped"
    assert latest["reason"]["code"] == "restricted"


def test_a_dataset_that_becomes_tertutup_leaves_the_datastore(opd_editor, upload, run_jobs):
    dataset = Dataset(owner_org=opd_editor["org"]["id"], private=True)
    resource = upload(package_id=dataset["id"])
    assert resource["datastore_active"] is True

    helpers.call_action(
        "package_patch",
        {"user": opd_editor["user"]["name"]},
        id=dataset["id"],
        pengaturan_akses="tertutup",
    )
    run_jobs()

    shown = helpers.call_action("resource_show", id=resource["id"])
    assert not shown.get("datastore_active")
    with pytest.raises(NotFound):
        search(resource["id"])


def _token(user):
    return helpers.call_action("api_token_create", user=user["name"], name="t")["token"]


def test_the_load_status_and_reload_need_the_right_rights(upload, other_opd_user, opd_editor):
    resource = upload()

    with pytest.raises(NotAuthorized):
        helpers.call_action(
            "sipessut_publicdata_load",
            {"user": other_opd_user["name"], "ignore_auth": False},
            id=resource["id"],
        )
    result = helpers.call_action(
        "sipessut_publicdata_load",
        {"user": opd_editor["user"]["name"], "ignore_auth": False},
        id=resource["id"],
        sync=True,
    )
    assert result["status"] == "loaded"
    assert GOOD_CSV.count("\n") - 1 == result["rows"]
