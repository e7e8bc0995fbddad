"""Code-list fields reject unknown codes with a message in the user's language."""

from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

pytestmark = pytest.mark.usefixtures("clean_db")

OPD = {"name": "diskominfo", "title": "Dinas Komunikasi dan Informatika"}


def _create_org(**fields):
    sysadmin = factories.Sysadmin()
    return helpers.call_action(
        "organization_create", {"user": sysadmin["name"]}, **{**OPD, **fields}
    )


def test_codes_are_stored_and_several_keep_their_order():
    org = _create_org(
        kode_skpd="2.16.2.20.2.21.01.0000",
        peran="walidata",
        bidang_urusan=["2.16", "2.20", "2.21"],
    )
    assert org["peran"] == "walidata"
    assert org["bidang_urusan"] == ["2.16", "2.20", "2.21"]


def test_a_json_list_from_a_script_is_accepted():
    org = _create_org(kode_skpd="2.16.2.20.2.21.01.0000", bidang_urusan='["2.20", "2.16"]')
    assert org["bidang_urusan"] == ["2.20", "2.16"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"peran": "kepala"}, "peran", "kepala is not in the list of Role in Satu Data"),
        (
            {"bidang_urusan": ["2.16", "9.99", "x"]},
            "bidang_urusan",
            "9.99, x is not in the list of Government affairs",
        ),
        ({"peran": ["walidata", "produsen_data"]}, "peran", "Choose only one option"),
    ],
)
def test_unknown_codes_are_named_in_the_error(fields, field, message):
    with pytest.raises(helpers.logic.ValidationError) as error:
        _create_org(kode_skpd="2.16.2.20.2.21.01.0000", **fields)
    assert error.value.error_dict[field] == [message]


def test_the_api_answers_409_in_indonesian_naming_the_field(app):
    sysadmin = factories.SysadminWithToken()
    response = app.post(
        "/api/3/action/organization_create",
        json={**OPD, "kode_skpd": "2.16.2.20.2.21.01.0000", "peran": "kepala"},
        headers={"Authorization": sysadmin["token"]},
        status=409,
    )
    assert response.json["error"]["peran"] == [
        "kepala tidak ada dalam daftar Peran dalam Satu Data"
    ]
