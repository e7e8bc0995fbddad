"""A validated table goes into the DataStore as validation read it: types from the
dictionary, a new version replacing the old one whole, reasons for what is not loaded.
On the real DataStore database, with a real RQ worker."""

from __future__ import annotations

import datetime
import decimal
import io
import json

import openpyxl
import pytest
from ckan.tests import helpers

from ckanext.sipessut import validation
from ckanext.sipessut.publicdata import columns, loader, model
from ckanext.sipessut.tests.publicdata.conftest import (
    BAD_CSV,
    DICTIONARY,
    GOOD_CSV,
    HEADER,
    file_storage,
    search,
)

pytestmark = pytest.mark.usefixtures("clean_datastore", "clean_redis")


def fields_of(resource_id):
    return {f["id"]: f for f in search(resource_id, limit=0)["fields"]}


def test_a_valid_table_is_loaded_with_the_dictionary_types(upload):
    resource = upload()

    assert resource["validation_status"] == "valid"
    assert resource["datastore_active"] is True
    fields = fields_of(resource["id"])
    assert {k: f["type"] for k, f in fields.items() if k != "_id"} == {
        "kode_wilayah": "text",
        "kecamatan": "text",
        "kode_rt": "text",
        "tahun": "int4",
        "jumlah_penduduk": "int8",
        "luas_km2": "numeric",
        "tanggal_data": "date",
    }
    records = search(resource["id"], sort="_id")["records"]
    assert records[0]["kode_rt"] == "001"  # a code keeps its leading zeros
    assert records[0]["jumlah_penduduk"] == 61234
    assert decimal.Decimal(str(records[0]["luas_km2"])) == decimal.Decimal("221.29")
    assert decimal.Decimal(str(records[2]["luas_km2"])) == decimal.Decimal("1022.12")
    assert records[0]["tanggal_data"].startswith("2024-12-31")
    # The DataStore data dictionary from MS-Var: label = title, notes = definisi, unit.
    info = fields["jumlah_penduduk"]["info"]
    assert info["label"] == "Jumlah Penduduk"
    assert info["notes"] == "Penduduk yang tercatat dalam registrasi."
    assert info["unit"] == "jiwa"
    status = helpers.call_action("sipessut_publicdata_status", id=resource["id"])
    assert status["latest"]["status"] == "loaded", status["latest"]["message"]
    assert status["latest"]["rows"] == 3


def test_a_column_that_is_not_public_never_reaches_the_datastore(upload):
    resource = upload()

    assert "nik_petugas" not in fields_of(resource["id"])
    text = json.dumps(search(resource["id"])["records"])
    assert "6472010101900001" not in text
    load = model.latest(resource["id"])
    assert load["details"]["masked"] == ["nik_petugas"]


def test_an_invalid_table_is_not_loaded_and_says_why(upload):
    resource = upload(BAD_CSV)

    assert resource["validation_status"] == "invalid"
    assert not resource.get("datastore_active")
    assert not loader.table_exists(resource["id"])
    latest = helpers.call_action("sipessut_publicdata_status", id=resource["id"])["latest"]
    assert latest["status"] == "skipped"
    assert latest["reason"]["code"] == "not-valid"
    assert validation.label("invalid") in latest["message"]


@pytest.mark.ckan_config("ckanext.sipessut.publicdata.load_invalid", "true")
def test_an_invalid_table_is_loaded_when_the_portal_allows_it(upload):
    resource = upload(BAD_CSV)

    assert resource["datastore_active"] is True
    records = search(resource["id"], sort="_id")["records"]
    assert [r["jumlah_penduduk"] for r in records] == [61234, None]
    assert model.latest(resource["id"])["details"]["bad_cells"] == 1


def test_a_new_version_replaces_the_old_one_whole(upload, opd_editor, run_jobs):
    resource = upload()
    newer = HEADER + '64.72.04,Samarinda Ilir,004,2025,71280,"17,18",31/12/2025,1\n'

    helpers.call_action(
        "resource_update",
        {"user": opd_editor["user"]["name"]},
        id=resource["id"],
        package_id=resource["package_id"],
        upload=file_storage(newer, "penduduk.csv"),
        url="",
        data_dictionary=json.dumps(DICTIONARY),
    )
    run_jobs()

    records = search(resource["id"])["records"]
    assert [r["kecamatan"] for r in records] == ["Samarinda Ilir"]
    assert [r["tahun"] for r in records] == [2025]


def test_readers_see_the_old_version_until_the_new_one_is_complete(upload):
    resource = upload()
    seen_during_load = []

    def rows():
        for number in range(1000):
            if number == 500:  # half-way through the new version's COPY
                seen_during_load.append(search(resource["id"], limit=0)["total"])
            yield [
                "64.72.05",
                "Sambutan",
                "005",
                2025,
                number,
                decimal.Decimal("1.5"),
                datetime.date(2025, 1, 1),
            ]

    public = [c for c in _columns() if c.id != "nik_petugas"]
    loader.Load(resource["id"], public, []).run(rows())

    assert seen_during_load == [3]
    assert search(resource["id"], limit=0)["total"] == 1000


def _columns():
    from ckanext.sipessut.validation.table import Column

    return columns.load_columns(
        [
            Column(name=f["name"], type=f["type"], spec=f, public=columns.is_public(f))
            for f in DICTIONARY["fields"]
        ]
    )


def test_ckan_datastore_actions_work_on_a_loaded_table(upload):
    resource = upload()

    helpers.call_action(
        "datastore_upsert",
        resource_id=resource["id"],
        method="insert",
        records=[{"kode_wilayah": "64.72.06", "kecamatan": "Sungai Kunjang", "tahun": 2024}],
        force=True,
    )
    found = search(resource["id"], q="Kunjang")["records"]
    assert [r["kode_wilayah"] for r in found] == ["64.72.06"]
    assert search(resource["id"], filters={"kode_wilayah": "64.72.02"})["total"] == 1
    info = helpers.call_action("datastore_info", id=resource["id"])
    assert "kode_wilayah" in {f["id"] for f in info["fields"]}


def test_a_workbook_with_title_rows_notes_and_a_chosen_sheet(upload):
    book = openpyxl.Workbook()
    book.active.title = "Catatan"
    book.active.append(["Lembar ini hanya catatan"])
    sheet = book.create_sheet("Tabel 3.1")
    sheet.append(["TABEL 3.1 JUMLAH PENDUDUK MENURUT KECAMATAN"])
    sheet.append([])
    sheet.append(HEADER.strip().split(","))
    sheet.append(
        ["64.72.01", "Palaran", "001", 2024, 61234, 221.29, datetime.datetime(2024, 12, 31), "x"]
    )
    sheet.append(
        [
            "64.72.02",
            "Samarinda Seberang",
            "002",
            2024,
            70456,
            12.49,
            datetime.datetime(2024, 12, 31),
            "y",
        ]
    )
    sheet.append([])
    sheet.append(["Sumber: Disdukcapil Kota Samarinda"])
    stream = io.BytesIO()
    book.save(stream)

    resource = upload(
        stream.getvalue(),
        "penduduk.xlsx",
        format="XLSX",
        validation_options=json.dumps({"sheet": "Tabel 3.1"}),
    )

    assert resource["validation_status"] == "valid"
    records = search(resource["id"], sort="_id")["records"]
    assert [r["kecamatan"] for r in records] == ["Palaran", "Samarinda Seberang"]
    assert records[0]["jumlah_penduduk"] == 61234
    assert records[0]["tanggal_data"].startswith("2024-12-31")


def test_a_windows_encoded_csv_is_decoded(upload):
    text = GOOD_CSV.replace("Samarinda Ulu", "Samarinda Ulu \u2013 Kota")
    resource = upload(text.encode("cp1252"))

    names = [r["kecamatan"] for r in search(resource["id"], sort="_id")["records"]]
    assert names[2] == "Samarinda Ulu \u2013 Kota"


def test_a_failed_load_keeps_its_reason(upload):
    dictionary = json.loads(json.dumps(DICTIONARY))
    dictionary["fields"][1]["name"] = "_kecamatan"
    csv = GOOD_CSV.replace("kecamatan,kode_rt", "_kecamatan,kode_rt", 1)

    resource = upload(csv, data_dictionary=json.dumps(dictionary))

    assert resource["validation_status"] == "valid"
    latest = helpers.call_action("sipessut_publicdata_status", id=resource["id"])["latest"]
    assert latest["status"] == "error"
    assert "_kecamatan" in latest["message"]
    assert not resource.get("datastore_active")
