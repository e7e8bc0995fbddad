"""One dictionary, whatever the door: every way a resource is saved or validated again
checks the table against the data dictionary the resource is saved with.

The table of issue 11: a kode_wilayah that is not a kecamatan (row 3) and a negative
count (row 4), against five variables. Through the action API, the form's own inputs
(what the resource form posts), *Validasi ulang* and the CLI, on the real stack.
"""

from __future__ import annotations

import json

import pytest
from ckan.cli.cli import ckan
from ckan.logic import ValidationError
from ckan.tests import helpers

from ckanext.sipessut.tests.validation.conftest import (
    DICTIONARY,
    ISSUE_CORRECTED_CSV,
    ISSUE_CSV,
    file_storage,
)
from ckanext.sipessut.validation import model

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "clean_redis")

BAD, CORRECTED = ISSUE_CSV, ISSUE_CORRECTED_CSV
# (row, column, error type) of BAD against DICTIONARY
FINDINGS = {(3, "kode_wilayah", "constraint-error"), (4, "jumlah_penduduk", "constraint-error")}


def findings(resource_id: str) -> set[tuple[int, str, str]]:
    report = helpers.call_action("sipessut_validation_show", id=resource_id)["report"]
    return {(e.get("rowNumber"), e.get("fieldName"), e["type"]) for e in report["errors"]}


def notices(resource_id: str) -> list[str]:
    report = helpers.call_action("sipessut_validation_show", id=resource_id)["report"]
    return [n["code"] for n in report["notices"]]


def shown_status(resource_id: str) -> str:
    return helpers.call_action("resource_show", id=resource_id).get("validation_status")


def form_rows(dictionary: dict) -> dict[str, str]:
    """The inputs the resource form posts for a dictionary: one block of fields per variable."""
    inputs = {}
    for index, field in enumerate(dictionary["fields"]):
        prefix = f"data_dictionary-{index}-"
        constraints = field.get("constraints") or {}
        inputs[prefix + "name"] = field["name"]
        inputs[prefix + "type"] = field.get("type", "string")
        codelist = field.get("codelist")
        if isinstance(codelist, dict):
            codelist = f"{codelist['name']}:{codelist['where']['level']}"
        inputs[prefix + "codelist"] = codelist or ""
        for bound in ("minimum", "maximum"):
            inputs[prefix + bound] = str(constraints.get(bound, ""))
        if constraints.get("required"):
            inputs[prefix + "required"] = "true"
        if field.get("decimalChar") == ",":
            inputs[prefix + "decimal_comma"] = "true"
    return inputs


@pytest.fixture
def editor_context(opd_editor):
    return lambda: {"user": opd_editor["user"]["name"]}


@pytest.fixture
def create(dataset, editor_context):
    """create(content, **fields): resource_create of an uploaded table, as the OPD editor."""

    def run(content: str, **fields):
        return helpers.call_action(
            "resource_create",
            editor_context(),
            package_id=dataset["id"],
            upload=file_storage(content, "penduduk.csv"),
            url="",
            **fields,
        )

    return run


@pytest.fixture
def update(editor_context):
    """update(resource, content, **fields): resource_update with a new upload."""

    def run(resource, content: str, **fields):
        return helpers.call_action(
            "resource_update",
            editor_context(),
            id=resource["id"],
            upload=file_storage(content, "penduduk.csv"),
            url="",
            **fields,
        )

    return run


# --- the resource form's inputs (what resource_create/update receive from the form) -------


def test_form_rows_on_create_are_the_dictionary_checked(create):
    resource = create(BAD, **form_rows(DICTIONARY))

    assert resource["validation_status"] == "invalid"
    assert findings(resource["id"]) == FINDINGS
    assert "no-dictionary" not in notices(resource["id"])
    assert [f["name"] for f in resource["data_dictionary"]["fields"]] == [
        f["name"] for f in DICTIONARY["fields"]
    ]


def test_form_update_with_a_corrected_file_is_valid(create, update):
    resource = create(BAD, **form_rows(DICTIONARY))

    updated = update(resource, CORRECTED, **form_rows(DICTIONARY))

    assert updated["validation_status"] == "valid"
    assert findings(resource["id"]) == set()
    assert "no-dictionary" not in notices(resource["id"])


def test_form_update_with_the_same_file_keeps_the_findings(create, update):
    resource = create(BAD, **form_rows(DICTIONARY))

    update(resource, BAD, **form_rows(DICTIONARY))

    assert shown_status(resource["id"]) == "invalid"
    assert findings(resource["id"]) == FINDINGS
    assert len(helpers.call_action("sipessut_validation_history", id=resource["id"])) == 1


def test_form_update_of_only_the_dictionary_checks_the_stored_file(editor_context, create):
    resource = create(BAD)
    assert findings(resource["id"]) == set()
    assert "no-dictionary" in notices(resource["id"])
    stored = helpers.call_action("resource_show", id=resource["id"])

    # The edit form posts the resource's fields back, the file untouched, plus the rows.
    form = {k: v for k, v in stored.items() if k not in ("validation_status", "data_dictionary")}
    helpers.call_action("resource_update", editor_context(), **form, **form_rows(DICTIONARY))

    assert shown_status(resource["id"]) == "invalid"
    assert findings(resource["id"]) == FINDINGS
    assert "no-dictionary" not in notices(resource["id"])


def test_a_dictionary_the_form_refuses_does_not_validate(dataset, create):
    rows = form_rows(DICTIONARY)
    rows["data_dictionary-3-minimum"] = "nol"  # not a number: the metadata validator says so

    with pytest.raises(ValidationError) as raised:
        create(BAD, **rows)

    assert "data_dictionary" in raised.value.error_dict
    assert helpers.call_action("package_show", id=dataset["id"])["resources"] == []


# --- the action API -------------------------------------------------------------------


@pytest.mark.parametrize("as_json", [False, True], ids=["object", "json-string"])
def test_resource_create(as_json, create):
    resource = create(BAD, data_dictionary=json.dumps(DICTIONARY) if as_json else DICTIONARY)

    assert resource["validation_status"] == "invalid"
    assert findings(resource["id"]) == FINDINGS


def test_resource_update_and_patch(editor_context, create, update):
    resource = create(CORRECTED)
    assert notices(resource["id"]) == ["no-dictionary"]

    helpers.call_action(
        "resource_patch", editor_context(), id=resource["id"], data_dictionary=DICTIONARY
    )
    assert shown_status(resource["id"]) == "valid"
    assert "no-dictionary" not in notices(resource["id"])

    update(resource, BAD, data_dictionary=DICTIONARY)
    assert shown_status(resource["id"]) == "invalid"
    assert findings(resource["id"]) == FINDINGS


def test_resource_update_without_the_dictionary_drops_it(create, update):
    resource = create(BAD, data_dictionary=DICTIONARY)

    update(resource, BAD)

    assert "data_dictionary" not in helpers.call_action("resource_show", id=resource["id"])
    assert notices(resource["id"]) == ["no-dictionary"]
    assert shown_status(resource["id"]) == "valid"


def test_package_update_with_an_uploaded_resource(dataset, editor_context):
    package = helpers.call_action("package_show", id=dataset["id"])
    package["resources"] = [
        {
            "upload": file_storage(BAD, "penduduk.csv"),
            "url": "",
            "data_dictionary": json.dumps(DICTIONARY),
        }
    ]

    updated = helpers.call_action("package_update", editor_context(), **package)

    resource = updated["resources"][0]
    assert resource["validation_status"] == "invalid"
    assert findings(resource["id"]) == FINDINGS


def test_package_revise_of_the_dictionary(dataset, editor_context, create):
    resource = create(BAD)

    helpers.call_action(
        "package_revise",
        editor_context(),
        match={"id": dataset["id"]},
        update__resources__0={"data_dictionary": DICTIONARY},
    )

    assert shown_status(resource["id"]) == "invalid"
    assert findings(resource["id"]) == FINDINGS


@pytest.mark.ckan_config("ckanext.sipessut.validation.url_allow_private", "true")
def test_package_create_with_a_linked_resource(
    opd_editor, editor_context, file_server, run_jobs, create
):
    file_server.files["/penduduk.csv"] = BAD.encode()
    package = helpers.call_action(
        "package_create",
        editor_context(),
        name="penduduk-kecamatan-2024",
        owner_org=opd_editor["org"]["id"],
        resources=[{"url": file_server.base_url + "/penduduk.csv", "data_dictionary": DICTIONARY}],
    )
    run_jobs()

    resource_id = package["resources"][0]["id"]
    assert shown_status(resource_id) == "invalid"
    assert findings(resource_id) == FINDINGS


# --- validated again: the report page's button and the CLI ----------------------------


@pytest.fixture
def never_checked(create, ckan_config, monkeypatch):
    """A table whose dictionary came while automatic validation was off."""
    monkeypatch.setitem(ckan_config, "ckanext.sipessut.validation.automatic", False)
    resource = create(BAD, data_dictionary=DICTIONARY)
    monkeypatch.setitem(ckan_config, "ckanext.sipessut.validation.automatic", True)
    assert model.latest(resource["id"]) is None
    return resource


def test_validate_again(never_checked, editor_context):
    resource = never_checked

    run = helpers.call_action(
        "sipessut_validation_run", editor_context(), id=resource["id"], sync=True
    )

    assert run["status"] == "invalid"
    assert findings(resource["id"]) == FINDINGS


def test_cli_run(never_checked, cli):
    resource = never_checked

    result = cli.invoke(
        ckan, ["sipessut", "validation", "run", "--resource", resource["id"], "--sync"]
    )

    assert result.exit_code == 0, result.output
    assert ": invalid" in result.output
    assert findings(resource["id"]) == FINDINGS


# --- what a report stores ----------------------------------------------------------------


def test_a_workbook_cell_holding_nul_is_stored_in_the_report(dataset, editor_context, tmp_path):
    """calamine reads Excel's escape `_x0000_` as NUL, which PostgreSQL's JSONB refuses."""
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["kode", "nama"])
    book.active.append(["01", "PLACEHOLDER"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(tmp_path / "t.xlsx", "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item).replace(b"PLACEHOLDER", b"Pa_x0000_laran"))

    resource = helpers.call_action(
        "resource_create",
        editor_context(),
        package_id=dataset["id"],
        upload=file_storage((tmp_path / "t.xlsx").read_bytes(), "tabel.xlsx"),
        url="",
        format="XLSX",
    )

    assert resource["validation_status"] == "valid"
    report = helpers.call_action("sipessut_validation_show", id=resource["id"])["report"]
    assert report["preview"][0]["cells"][1] == "Pa\ufffdlaran"
