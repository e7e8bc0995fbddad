"""A proposed data dictionary knows Indonesian tables, and the table it came from passes it."""

from __future__ import annotations

import datetime

from ckanext.sipessut.tests.validation import corpus
from ckanext.sipessut.validation import engine, infer

OPD_TABLE = (
    "TABEL 2.3 SEKOLAH MENURUT KECAMATAN\r\n"
    ";;;;;;\r\n"
    "kode_wilayah;kecamatan;tahun;jumlah_siswa;rasio;tanggal_data;terakreditasi\r\n"
    "64.72.01;Palaran;2024;12.345;18,5;31/12/2024;ya\r\n"
    "64.72.02;Samarinda Seberang;2024;9.876;20,25;31/12/2024;tidak\r\n"
    "64.72.03;Samarinda Ulu;2024;15.001;1.017,5;30/06/2024;ya\r\n"
    ";;;;;;\r\n"
    "Sumber: Dinas Pendidikan;;;;;;\r\n"
)


def test_proposal_for_an_indonesian_csv(tmp_path):
    path = corpus.write_text(tmp_path / "t.csv", OPD_TABLE, encoding="cp1252")

    proposal = infer.propose(str(path), "csv", {})

    fields = {f["name"]: f for f in proposal["data_dictionary"]["fields"]}
    assert proposal["header_row"] == 3
    assert fields["kode_wilayah"]["codelist"] == {
        "name": "wilayah",
        "where": {"level": "kecamatan"},
    }
    assert fields["kecamatan"] == {
        "name": "kecamatan",
        "title": "kecamatan",
        "type": "string",
        "constraints": {"required": True},
    }
    assert fields["tahun"]["type"] == "year"
    assert (fields["jumlah_siswa"]["type"], fields["jumlah_siswa"]["groupChar"]) == ("integer", ".")
    assert fields["rasio"]["type"] == "number"
    assert (fields["rasio"]["decimalChar"], fields["rasio"]["groupChar"]) == (",", ".")
    assert (fields["tanggal_data"]["type"], fields["tanggal_data"]["format"]) == (
        "date",
        "%d/%m/%Y",
    )
    assert fields["terakreditasi"]["type"] == "boolean"
    assert fields["terakreditasi"]["trueValues"] == ["ya"]


def test_the_table_passes_its_own_proposal(tmp_path):
    path = corpus.write_text(tmp_path / "t.csv", OPD_TABLE)
    proposal = infer.propose(str(path), "csv", {})

    report = engine.validate_against(
        path,
        declared_format="csv",
        dictionary_value=proposal["data_dictionary"],
        settings=engine.Settings(detect_number_format=False),
    )

    assert report["status"] == "valid", report["errors"]


def test_proposal_for_a_workbook(tmp_path):
    rows = [
        ["nama", "jumlah", "nilai", "tanggal"],
        ["a", 1, 1.5, datetime.date(2024, 1, 1)],
        ["b", 2, 2.25, datetime.date(2024, 2, 1)],
    ]
    path = corpus.write_xlsx(tmp_path / "t.xlsx", {"Data": rows})

    fields = infer.propose(str(path), "xlsx", {})["data_dictionary"]["fields"]

    assert [f["type"] for f in fields] == ["string", "integer", "number", "date"]


def test_short_codes_are_not_taken_for_a_code_list(tmp_path):
    path = corpus.write_text(tmp_path / "t.csv", "kode,nama\n1,a\n2,b\n")

    fields = infer.propose(str(path), "csv", {})["data_dictionary"]["fields"]

    assert "codelist" not in fields[0]
    assert fields[0]["type"] == "integer"
