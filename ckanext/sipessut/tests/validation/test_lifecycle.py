"""When resources are validated, how results reach them, and what users cannot fake:
through the real action API, database, Solr and an RQ worker."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import tempfile

import pytest
from ckan.logic import ValidationError
from ckan.tests import helpers

from ckanext.sipessut.tests.factories import Dataset
from ckanext.sipessut.tests.validation.conftest import BAD_CSV, DICTIONARY, GOOD_CSV, file_storage
from ckanext.sipessut.validation import model

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "clean_redis")


def history(resource_id):
    return helpers.call_action("sipessut_validation_history", id=resource_id)


def resource_show(resource_id):
    return helpers.call_action("resource_show", id=resource_id)


# --- warn and block ----------------------------------------------------------------


def test_warn_keeps_an_invalid_table_and_marks_it(upload_resource):
    resource = upload_resource(BAD_CSV)

    assert resource["validation_status"] == "invalid"
    assert resource["validation_timestamp"]
    report = helpers.call_action("sipessut_validation_show", id=resource["id"])["report"]
    assert report["error_counts"] == {"constraint-error": 1, "type-error": 1}
    assert resource_show(resource["id"])["url_type"] == "upload"


def test_valid_table_is_marked_valid(upload_resource):
    resource = upload_resource(GOOD_CSV)

    assert resource["validation_status"] == "valid"
    assert history(resource["id"])[0]["trigger"] == "create"


@pytest.mark.ckan_config("ckanext.sipessut.validation.mode", "block")
def test_block_refuses_an_invalid_table_and_creates_nothing(upload_resource, dataset):
    with pytest.raises(ValidationError) as raised:
        upload_resource(BAD_CSV)

    message = raised.value.error_dict["validation"][0]
    assert "jumlah_penduduk" in message
    assert "banyak" in message
    assert helpers.call_action("package_show", id=dataset["id"])["resources"] == []
    assert helpers.call_action("package_show", id=dataset["id"])["num_resources"] == 0


@pytest.mark.ckan_config("ckanext.sipessut.validation.mode", "block")
def test_block_refuses_an_invalid_update_and_keeps_the_previous_file(
    app, upload_resource, opd_editor
):
    resource = upload_resource(GOOD_CSV)

    with pytest.raises(ValidationError):
        helpers.call_action(
            "resource_update",
            {"user": opd_editor["user"]["name"]},
            id=resource["id"],
            package_id=resource["package_id"],
            upload=file_storage(BAD_CSV, "tabel.csv"),
            url="",
            data_dictionary=json.dumps(DICTIONARY),
        )

    kept = resource_show(resource["id"])
    assert kept["validation_status"] == "valid"
    download = app.get(kept["url"])
    assert download.body == GOOD_CSV
    assert len(history(resource["id"])) == 1


@pytest.mark.ckan_config("ckanext.sipessut.validation.mode", "block")
def test_block_also_guards_package_update_with_resources(upload_resource, dataset, opd_editor):
    upload_resource(GOOD_CSV)
    package = helpers.call_action("package_show", id=dataset["id"])
    package["resources"].append(
        {
            "upload": file_storage(BAD_CSV, "lain.csv"),
            "url": "",
            "name": "lain",
            "data_dictionary": DICTIONARY,
        }
    )

    with pytest.raises(ValidationError) as raised:
        helpers.call_action("package_update", {"user": opd_editor["user"]["name"]}, **package)

    assert raised.value.error_dict["resources"][1]["validation"]
    assert len(helpers.call_action("package_show", id=dataset["id"])["resources"]) == 1


# --- what users cannot set ----------------------------------------------------------


def test_users_cannot_set_the_validation_fields(upload_resource, opd_editor, dataset):
    user = {"user": opd_editor["user"]["name"]}
    resource = upload_resource(
        BAD_CSV, validation_status="valid", validation_timestamp="2030-01-01"
    )
    pdf = helpers.call_action(
        "resource_create",
        dict(user),
        package_id=dataset["id"],
        url="http://example.com/laporan.pdf",
        format="PDF",
        validation_status="valid",
    )
    helpers.call_action("resource_patch", dict(user), id=resource["id"], validation_status="valid")
    package = helpers.call_action("package_show", id=dataset["id"])
    package["resources"][0]["validation_status"] = "valid"
    helpers.call_action("package_update", dict(user), **package)

    assert resource["validation_status"] == "invalid"
    assert resource["validation_timestamp"] != "2030-01-01"
    assert resource_show(resource["id"])["validation_status"] == "invalid"
    assert "validation_status" not in resource_show(pdf["id"])


def test_editing_a_resource_keeps_its_status(upload_resource, opd_editor):
    resource = upload_resource(BAD_CSV)
    form = {k: v for k, v in resource.items() if not k.startswith("validation_")}

    helpers.call_action(
        "resource_update", {"user": opd_editor["user"]["name"]}, **dict(form, description="baru")
    )

    shown = resource_show(resource["id"])
    assert shown["description"] == "baru"
    assert shown["validation_status"] == "invalid"
    assert shown["validation_timestamp"] == resource["validation_timestamp"]


# --- only what changed is validated again -------------------------------------------------


def test_unchanged_resource_is_not_validated_again(upload_resource, opd_editor):
    user = {"user": opd_editor["user"]["name"]}
    resource = upload_resource(GOOD_CSV)

    helpers.call_action("resource_patch", dict(user), id=resource["id"], description="catatan")
    helpers.call_action(
        "resource_patch", dict(user), id=resource["id"], upload=file_storage(GOOD_CSV, "lagi.csv")
    )
    assert len(history(resource["id"])) == 1

    changed = dict(
        DICTIONARY, fields=[*DICTIONARY["fields"][:4], {"name": "luas_km2", "type": "string"}]
    )
    helpers.call_action("resource_patch", dict(user), id=resource["id"], data_dictionary=changed)
    helpers.call_action(
        "resource_patch", dict(user), id=resource["id"], upload=file_storage(BAD_CSV, "baru.csv")
    )

    runs = history(resource["id"])
    assert [run["trigger"] for run in runs] == ["update", "update", "create"]
    assert runs[0]["status"] == "invalid"


@pytest.mark.ckan_config("ckanext.sipessut.validation.sync_max_bytes", "0")
def test_same_file_uploaded_again_is_not_queued_again(upload_resource, opd_editor, run_jobs):
    resource = upload_resource(GOOD_CSV)
    run_jobs()

    helpers.call_action(
        "resource_patch",
        {"user": opd_editor["user"]["name"]},
        id=resource["id"],
        upload=file_storage(GOOD_CSV, "sama.csv"),
    )

    assert resource_show(resource["id"])["validation_status"] == "valid"
    assert len(history(resource["id"])) == 1


def test_history_is_kept_to_the_configured_count(upload_resource, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.sipessut.validation.history", 2)
    resource = upload_resource(GOOD_CSV)
    for _ in range(3):
        helpers.call_action("sipessut_validation_run", id=resource["id"], sync=True)

    assert len(history(resource["id"])) == 2


# --- in the background -------------------------------------------------------------


@pytest.mark.ckan_config("ckanext.sipessut.validation.sync_max_bytes", "0")
def test_large_files_are_validated_by_a_job(upload_resource, run_jobs):
    resource = upload_resource(BAD_CSV)
    assert resource["validation_status"] == "pending"
    assert history(resource["id"])[0]["status"] == "pending"

    run_jobs()

    shown = resource_show(resource["id"])
    assert shown["validation_status"] == "invalid"
    assert shown["validation_timestamp"]
    assert history(resource["id"])[0]["status"] == "invalid"


@pytest.mark.ckan_config("ckanext.sipessut.validation.url_allow_private", "true")
def test_linked_file_is_fetched_and_validated(dataset, opd_editor, file_server, run_jobs):
    file_server.files["/penduduk.csv"] = BAD_CSV.encode()
    resource = helpers.call_action(
        "resource_create",
        {"user": opd_editor["user"]["name"]},
        package_id=dataset["id"],
        url=file_server.base_url + "/penduduk.csv",
        data_dictionary=DICTIONARY,
    )
    assert resource["validation_status"] == "pending"

    run_jobs()

    assert resource_show(resource["id"])["validation_status"] == "invalid"


def test_links_to_private_networks_are_refused(dataset, opd_editor, file_server, run_jobs):
    file_server.files["/penduduk.csv"] = GOOD_CSV.encode()
    resource = helpers.call_action(
        "resource_create",
        {"user": opd_editor["user"]["name"]},
        package_id=dataset["id"],
        url=file_server.base_url + "/penduduk.csv",
        format="CSV",
    )

    run_jobs()

    shown = helpers.call_action("sipessut_validation_show", id=resource["id"])
    assert shown["status"] == "error"
    assert shown["report"]["reason"] == {"code": "url-private", "host": "127.0.0.1"}
    assert resource_show(resource["id"])["validation_status"] == "error"


@pytest.mark.ckan_config("ckanext.sipessut.validation.url_allow_private", "true")
@pytest.mark.ckan_config("ckanext.sipessut.validation.job_timeout", "1")
def test_a_job_killed_by_its_timeout_ends_as_error(dataset, opd_editor, file_server, run_jobs):
    resource = helpers.call_action(
        "resource_create",
        {"user": opd_editor["user"]["name"]},
        package_id=dataset["id"],
        url=file_server.base_url + "/slow.csv",
    )

    run_jobs()

    shown = helpers.call_action("sipessut_validation_show", id=resource["id"])
    assert shown["status"] == "error"
    assert shown["report"]["reason"] == {"code": "job-timeout", "limit": 1}
    assert resource_show(resource["id"])["validation_status"] == "error"


@pytest.mark.ckan_config("ckanext.sipessut.validation.url_allow_private", "true")
@pytest.mark.ckan_config("ckanext.sipessut.validation.url_timeout", "1")
def test_slow_download_is_stopped_at_the_fetch_time_limit(
    dataset, opd_editor, file_server, run_jobs
):
    resource = helpers.call_action(
        "resource_create",
        {"user": opd_editor["user"]["name"]},
        package_id=dataset["id"],
        url=file_server.base_url + "/slow.csv",
    )

    run_jobs()

    shown = helpers.call_action("sipessut_validation_show", id=resource["id"])
    assert shown["report"]["reason"] == {"code": "url-timeout", "limit": 1}


@pytest.mark.ckan_config("ckanext.sipessut.validation.sync_max_bytes", "0")
def test_a_run_whose_job_disappeared_ends_as_error(upload_resource):
    from ckan.lib import jobs

    resource = upload_resource(GOOD_CSV)
    run = model.latest(resource["id"])
    jobs.job_from_id(run["job_id"]).delete()  # as when Redis lost it or the worker died

    shown = helpers.call_action("sipessut_validation_show", id=resource["id"])

    assert shown["status"] == "error"
    assert shown["report"]["reason"] == {"code": "worker-lost"}
    assert resource_show(resource["id"])["validation_status"] == "error"


def test_resource_deletion_deletes_its_reports(upload_resource, opd_editor):
    resource = upload_resource(BAD_CSV)

    helpers.call_action("resource_delete", {"user": opd_editor["user"]["name"]}, id=resource["id"])

    assert model.latest(resource["id"]) is None


def test_non_tabular_resources_are_not_validated(dataset, opd_editor):
    resource = helpers.call_action(
        "resource_create",
        {"user": opd_editor["user"]["name"]},
        package_id=dataset["id"],
        upload=file_storage(b"%PDF-1.4", "laporan.pdf"),
        url="",
    )

    assert "validation_status" not in resource
    assert model.latest(resource["id"]) is None


@pytest.mark.ckan_config("ckanext.sipessut.validation.url_allow_private", "true")
def test_package_create_with_resources_validates_them(opd_editor, file_server, run_jobs):
    file_server.files["/a.csv"] = BAD_CSV.encode()
    package = helpers.call_action(
        "package_create",
        {"user": opd_editor["user"]["name"]},
        name="penduduk-2024",
        owner_org=opd_editor["org"]["id"],
        resources=[
            {"url": file_server.base_url + "/a.csv", "data_dictionary": DICTIONARY},
            {"url": "http://example.com/b.pdf", "format": "PDF", "validation_status": "valid"},
        ],
    )
    assert package["resources"][0]["validation_status"] == "pending"

    run_jobs()

    shown = helpers.call_action("package_show", id=package["id"])
    assert shown["resources"][0]["validation_status"] == "invalid"
    assert "validation_status" not in shown["resources"][1]


def test_delete_clears_reports_and_status(upload_resource, opd_editor):
    resource = upload_resource(BAD_CSV)

    helpers.call_action(
        "sipessut_validation_delete", {"user": opd_editor["user"]["name"]}, id=resource["id"]
    )

    assert history(resource["id"]) == []
    assert not resource_show(resource["id"]).get("validation_status")


def test_manual_run_validates_even_when_nothing_changed(upload_resource, opd_editor):
    resource = upload_resource(GOOD_CSV)

    run = helpers.call_action(
        "sipessut_validation_run",
        {"user": opd_editor["user"]["name"]},
        id=resource["id"],
        sync=True,
    )

    assert run["status"] == "valid"
    assert [r["trigger"] for r in history(resource["id"])] == ["manual", "create"]


def test_status_is_faceted_in_search(upload_resource, opd_editor):
    upload_resource(BAD_CSV)
    valid_dataset = Dataset(owner_org=opd_editor["org"]["id"])
    helpers.call_action(
        "resource_create",
        {"user": opd_editor["user"]["name"]},
        package_id=valid_dataset["id"],
        upload=file_storage(GOOD_CSV, "t.csv"),
        url="",
        data_dictionary=DICTIONARY,
    )
    Dataset(owner_org=opd_editor["org"]["id"])  # no tables: no value

    result = helpers.call_action(
        "package_search", **{"facet.field": '["vocab_validation_status"]', "fq": ""}
    )
    found = helpers.call_action("package_search", fq="vocab_validation_status:invalid")

    assert result["facets"]["vocab_validation_status"] == {"invalid": 1, "valid": 1}
    assert found["count"] == 1


FILES_PATH = os.path.join(tempfile.gettempdir(), "sipessut-files-api-test")


@pytest.mark.skipif(
    importlib.util.find_spec("ckan.lib.files") is None, reason="the files API is new in CKAN 2.12"
)
@pytest.mark.ckan_config("ckan.files.storage.resources.type", "ckan:fs")
@pytest.mark.ckan_config("ckan.files.storage.resources.path", FILES_PATH)
@pytest.mark.ckan_config("ckan.files.storage.resources.initialize", "true")
@pytest.mark.ckan_config("ckanext.sipessut.validation.sync_max_bytes", "0")
def test_uploads_kept_by_the_ckan_2_12_files_api(
    upload_resource, opd_editor, run_jobs, ckan_config
):
    resource = upload_resource(BAD_CSV)
    run_jobs()
    first = helpers.call_action("sipessut_validation_show", id=resource["id"])

    helpers.call_action(
        "resource_patch",
        {"user": opd_editor["user"]["name"]},
        id=resource["id"],
        data_dictionary={
            "fields": DICTIONARY["fields"][:3] + [{"name": "jumlah_penduduk"}, {"name": "luas_km2"}]
        },
    )
    run_jobs()
    second = helpers.call_action("sipessut_validation_show", id=resource["id"])

    assert first["report"]["source"]["sha256"] == hashlib.sha256(BAD_CSV.encode()).hexdigest()
    assert first["status"] == "invalid"
    assert second["report"]["error_counts"] == {"constraint-error": 1}
    legacy = os.path.join(ckan_config["ckan.storage_path"], "resources", resource["id"][:3])
    assert not os.path.exists(os.path.join(legacy, resource["id"][3:6], resource["id"][6:]))
