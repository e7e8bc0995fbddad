"""The MS-Var data dictionary of a resource: a Table Schema, edited in the form or sent by API."""

from __future__ import annotations

import io
import json

import pytest
from ckan.tests import factories, helpers
from frictionless import Schema

from ckanext.sipessut.tests.factories import OPD, Dataset

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

DICTIONARY = {
    "fields": [
        {
            "name": "kode_wilayah",
            "title": "Kode Wilayah",
            "type": "string",
            "codelist": {"name": "wilayah", "where": {"level": "kecamatan"}},
            "constraints": {"required": True},
        },
        {
            "name": "jumlah_penduduk",
            "title": "Jumlah Penduduk",
            "type": "integer",
            "description": "Penduduk yang tercatat pada akhir tahun.",
            "satuan": "orang",
            "konsep": ["Penduduk"],
            "constraints": {"minimum": 0},
        },
        {
            "name": "jenjang",
            "type": "string",
            "klasifikasi": [{"kode": "1", "nilai": "SD"}, {"kode": "2", "nilai": "SMP"}],
            "constraints": {"enum": ["1", "2"]},
        },
    ],
    "primaryKey": ["kode_wilayah"],
    "missingValues": ["", "-"],
}


@pytest.fixture
def steward():
    user = factories.User()
    org = OPD(users=[{"name": user["name"], "capacity": "editor"}])
    dataset = Dataset(owner_org=org["id"], user=user)
    token = helpers.call_action(
        "api_token_create", {"user": user["name"]}, user=user["name"], name="test"
    )["token"]
    return {"user": user, "dataset": dataset, "headers": {"Authorization": token}}


def _resource(steward, **fields):
    return helpers.call_action(
        "resource_create",
        {"user": steward["user"]["name"]},
        package_id=steward["dataset"]["id"],
        url="http://example.com/penduduk.csv",
        format="CSV",
        **fields,
    )


@pytest.mark.parametrize("given", [DICTIONARY, json.dumps(DICTIONARY)])
def test_a_table_schema_from_the_api_is_stored_as_an_object(steward, given):
    resource = _resource(steward, data_dictionary=given)
    shown = helpers.call_action("resource_show", id=resource["id"])

    assert shown["data_dictionary"] == DICTIONARY
    assert Schema.from_descriptor(shown["data_dictionary"]).field_names == [
        "kode_wilayah",
        "jumlah_penduduk",
        "jenjang",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"fields": [{"name": "a"}, {"name": "a"}]}, "Variable 2 (a): the column name a appears twice"),
        ({"fields": [{"name": "n", "type": "integer", "constraints": {"minimum": 10, "maximum": 1}}]}, "Variable 1 (n): the minimum is greater than the maximum"),
        # frictionless would fail on every cell when comparing with a bound it cannot read
        ({"fields": [{"name": "t", "type": "year", "constraints": {"minimum": -5}}]}, "Variable 1 (t): the minimum -5 is not a value of this data type"),
        ({"fields": [{"name": "d", "type": "date", "constraints": {"maximum": "xx"}}]}, "Variable 1 (d): the maximum xx is not a value of this data type"),
        ({"fields": [{"name": "k", "constraints": {"pattern": "([0-9"}}]}, "Variable 1 (k): the pattern ([0-9 is not a valid regular expression"),
        ({"fields": [{"name": "k", "codelist": "puskesmas"}]}, "Variable 1 (k): there is no code list named puskesmas"),
        # frictionless's own English note ('field type "teks" is not supported'), said by us
        ({"fields": [{"name": "k", "type": "teks"}]}, 'Variable 1 (k): the data type "teks" is not supported; use one of: string (Text), integer (Whole number), number (Decimal number), year (Year), date (Date), datetime (Date and time), boolean (Yes/No)'),
        ({"fields": [{"name": "k"}], "primaryKey": ["id"]}, "The primary key names id, which is not a variable"),
        ({"kolom": []}, "A data dictionary is a Table Schema: an object with a list of fields"),
        ("{bukan json", "The data dictionary is not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
    ],
)  # fmt: skip
def test_a_broken_dictionary_is_refused_naming_the_variable(steward, change, message):
    with pytest.raises(helpers.logic.ValidationError) as error:
        _resource(steward, data_dictionary=change)
    assert error.value.error_dict["data_dictionary"] == [message]


def _form_rows() -> dict[str, str]:
    return {
        "data_dictionary-0-name": "kode_wilayah",
        "data_dictionary-0-title": "Kode Wilayah",
        "data_dictionary-0-type": "string",
        "data_dictionary-0-codelist": "wilayah:kecamatan",
        "data_dictionary-0-required": "true",
        "data_dictionary-1-name": "luas_km2",
        "data_dictionary-1-title": "Luas Wilayah",
        "data_dictionary-1-type": "number",
        "data_dictionary-1-satuan": "km2",
        "data_dictionary-1-decimal_comma": "true",
        "data_dictionary-1-minimum": "0",
        "data_dictionary-1-konsep": "Luas daratan\nLuas perairan",
        "data_dictionary-2-name": "jenjang",
        "data_dictionary-2-klasifikasi": "1 = SD\n2 = SMP",
        "data_dictionary-2-bisa_diakses_umum": "1",
    }


def test_a_steward_describes_the_columns_in_the_resource_form(app, steward):
    app.post(
        f"/dataset/{steward['dataset']['name']}/resource/new",
        data={
            "id": "",
            "url": "http://example.com/luas.csv",
            "name": "Luas",
            "save": "go-metadata",
            **_form_rows(),
        },
        headers=steward["headers"],
    )
    resource = helpers.call_action("package_show", id=steward["dataset"]["id"])["resources"][0]

    assert resource["data_dictionary"] == {
        "fields": [
            {"name": "kode_wilayah", "type": "string", "title": "Kode Wilayah",
             "codelist": {"name": "wilayah", "where": {"level": "kecamatan"}},
             "constraints": {"required": True}},
            {"name": "luas_km2", "type": "number", "title": "Luas Wilayah", "satuan": "km2",
             "konsep": ["Luas daratan", "Luas perairan"], "constraints": {"minimum": 0.0},
             "decimalChar": ",", "groupChar": "."},
            {"name": "jenjang", "type": "string",
             "klasifikasi": [{"kode": "1", "nilai": "SD"}, {"kode": "2", "nilai": "SMP"}],
             "bisa_diakses_umum": True, "constraints": {"enum": ["1", "2"]}},
        ]
    }  # fmt: skip
    assert not any(key.startswith("data_dictionary-") for key in resource)


def test_a_failed_save_keeps_every_variable_the_steward_typed(app, steward):
    rows = {**_form_rows(), "data_dictionary-1-maximum": "-5"}
    page = app.post(
        f"/dataset/{steward['dataset']['name']}/resource/new",
        data={
            "id": "",
            "url": "http://example.com/luas.csv",
            "name": "Luas",
            "save": "go-metadata",
            **rows,
        },
        headers=steward["headers"],
    )
    assert "Variabel 2 (luas_km2): nilai minimum lebih besar daripada nilai maksimum" in page.body
    for value in ('value="kode_wilayah"', 'value="Luas Wilayah"', 'value="-5"', "1 = SD\n2 = SMP"):
        assert value in page.body, value


def test_editing_in_the_form_keeps_what_an_uploaded_schema_said(app, steward):
    resource = _resource(steward, data_dictionary=DICTIONARY)
    form = app.get(
        f"/dataset/{steward['dataset']['name']}/resource/{resource['id']}/edit",
        headers=steward["headers"],
    )
    assert 'value="jumlah_penduduk"' in form.body

    # what the form sends back, with one title changed
    rows = {
        "data_dictionary-0-name": "kode_wilayah",
        "data_dictionary-0-codelist": "wilayah:kecamatan",
        "data_dictionary-0-required": "true",
        "data_dictionary-1-name": "jumlah_penduduk",
        "data_dictionary-1-title": "Jumlah Penduduk Akhir Tahun",
        "data_dictionary-1-type": "integer",
        "data_dictionary-1-description": "Penduduk yang tercatat pada akhir tahun.",
        "data_dictionary-1-satuan": "orang",
        "data_dictionary-1-konsep": "Penduduk",
        "data_dictionary-1-minimum": "0",
        "data_dictionary-2-name": "jenjang",
        "data_dictionary-2-klasifikasi": "1 = SD\n2 = SMP",
        "data_dictionary_schema_extra": json.dumps(
            {"primaryKey": ["kode_wilayah"], "missingValues": ["", "-"]}
        ),
    }
    app.post(
        f"/dataset/{steward['dataset']['name']}/resource/{resource['id']}/edit",
        data={
            "id": resource["id"],
            "url": "http://example.com/penduduk.csv",
            "save": "go-metadata",
            **rows,
        },
        headers=steward["headers"],
    )
    stored = helpers.call_action("resource_show", id=resource["id"])["data_dictionary"]
    assert stored["primaryKey"] == ["kode_wilayah"]
    assert stored["missingValues"] == ["", "-"]
    assert stored["fields"][1]["title"] == "Jumlah Penduduk Akhir Tahun"
    assert stored["fields"][1]["constraints"] == {"minimum": 0}


def test_a_table_schema_file_can_be_uploaded_in_the_form(app, steward):
    app.post(
        f"/dataset/{steward['dataset']['name']}/resource/new",
        data={
            "id": "",
            "url": "http://example.com/penduduk.csv",
            "save": "go-metadata",
            "data_dictionary_upload": (io.BytesIO(json.dumps(DICTIONARY).encode()), "schema.json"),
        },
        headers=steward["headers"],
        content_type="multipart/form-data",
    )
    resource = helpers.call_action("package_show", id=steward["dataset"]["id"])["resources"][0]
    assert resource["data_dictionary"] == DICTIONARY


def test_the_resource_page_shows_the_dictionary_in_indonesian(app, steward):
    resource = _resource(steward, data_dictionary=DICTIONARY)
    page = app.get(
        f"/dataset/{steward['dataset']['name']}/resource/{resource['id']}",
        headers=steward["headers"],
    )

    assert "Kamus data (MS-Var)" in page.body
    assert "Bilangan Bulat" in page.body
    assert "paling sedikit 0" in page.body
    assert "1 = SD, 2 = SMP" in page.body
    assert "kode dari Wilayah (kecamatan)" in page.body
