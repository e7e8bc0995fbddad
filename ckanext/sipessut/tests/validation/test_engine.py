"""The engine on a corpus of good and bad files made here: exact findings, real-world
encodings, separators and layouts, and the limits that protect the portal."""

from __future__ import annotations

import codecs
import datetime
import json
import random

import frictionless
import pytest

from ckanext.sipessut.tests.validation import corpus
from ckanext.sipessut.tests.validation.conftest import BAD_CSV, DICTIONARY, GOOD_CSV
from ckanext.sipessut.validation import engine


def validate(path, dictionary_value=DICTIONARY, fmt=None, options=None, **settings):
    return engine.validate_against(
        path,
        declared_format=fmt or path.suffix.lstrip("."),
        dictionary_value=dictionary_value,
        options_value=options,
        settings=engine.Settings(**settings),
    )


def findings(report):
    return [
        (e["type"], e.get("rowNumber"), e.get("fieldNumber"), e.get("fieldName"))
        for e in report["errors"]
    ]


# --- what is wrong, where ---------------------------------------------------------------


def test_good_table_is_valid(tmp_path):
    report = validate(corpus.write_text(tmp_path / "t.csv", GOOD_CSV))

    assert report["status"] == "valid"
    assert report["stats"]["rows"] == 3
    assert report["errors"] == []


def test_bad_cells_are_reported_with_their_row_and_column(tmp_path):
    report = validate(corpus.write_text(tmp_path / "t.csv", BAD_CSV))

    assert report["status"] == "invalid"
    assert findings(report) == [
        ("type-error", 3, 4, "jumlah_penduduk"),
        ("constraint-error", 4, 1, "kode_wilayah"),
    ]
    assert report["errors"][0]["cell"] == "banyak"
    assert "enum" in report["errors"][1]["note"]


def test_preview_marks_the_bad_cells(tmp_path):
    report = validate(corpus.write_text(tmp_path / "t.csv", BAD_CSV))

    by_row = {row["rowNumber"]: row for row in report["preview"]}
    assert by_row[3]["cells"][3] == "banyak"
    assert by_row[3]["marks"] == {"4": ["type-error"]}
    assert by_row[4]["marks"] == {"1": ["constraint-error"]}
    assert "marks" not in by_row[2]


def test_every_error_is_counted_but_only_some_are_kept(tmp_path):
    rows = [corpus.HEADER] + [["64.72.01", "Palaran", 2024, "x", 1.5]] * 2500
    report = validate(
        corpus.write_text(tmp_path / "t.csv", corpus.csv_text(rows)), errors_per_type=7
    )

    assert report["error_counts"] == {"type-error": 2500}
    assert len(report["errors"]) == 7
    assert report["errors"][-1]["rowNumber"] == 8  # the first ones, in file order


def test_structure_errors(tmp_path):
    text = GOOD_CSV + '64.72.04,Samarinda Ilir,2024,71280,"17,18",extra\n,,,,\n64.72.05\n'
    report = validate(corpus.write_text(tmp_path / "t.csv", text))

    kinds = {(e["type"], e.get("rowNumber")) for e in report["errors"]}
    assert ("extra-cell", 5) in kinds
    assert ("blank-row", 6) in kinds
    assert ("missing-cell", 7) in kinds


# Keys are checked in memory, or in SQLite once they outgrow `integrity_memory_keys`
# (here after 3 keys: mid-file). Both must find the same.
@pytest.mark.parametrize("memory_keys", [engine.INTEGRITY_MEMORY_KEYS, 3])
def test_unique_and_primary_key_name_the_row_repeated(tmp_path, memory_keys):
    schema = {
        "fields": [
            {"name": "kode", "type": "string", "constraints": {"unique": True}},
            {"name": "tahun", "type": "integer"},
            {"name": "nilai", "type": "integer"},
        ],
        "primaryKey": ["tahun", "nilai"],
    }
    text = "kode,tahun,nilai\nA,2023,1\nB,2024,1\nA,2024,2\nC,2024,1\nA,2023,3\n"
    report = validate(
        corpus.write_text(tmp_path / "t.csv", text), schema, integrity_memory_keys=memory_keys
    )

    notes = {(e["type"], e["rowNumber"], e["note"]) for e in report["errors"]}
    assert notes == {
        ("unique-error", 4, "the same as in the row at position 2"),
        ("unique-error", 6, "the same as in the row at position 4"),
        ("primary-key", 5, "the same as in the row at position 3"),
    }


def test_code_list_reference_checks_codes_of_the_chosen_level(tmp_path):
    text = "kode_wilayah\n64.72.01\n64.72\n64.72.01.1001\n"
    schema = {"fields": [{"name": "kode_wilayah", "type": "string", "codelist": "wilayah"}]}
    kecamatan = {
        "fields": [
            {
                "name": "kode_wilayah",
                "type": "string",
                "codelist": {"name": "wilayah", "where": {"level": "kecamatan"}},
            }
        ]
    }
    path = corpus.write_text(tmp_path / "t.csv", text)

    assert validate(path, schema)["status"] == "valid"
    assert [e["rowNumber"] for e in validate(path, kecamatan)["errors"]] == [3, 4]


def test_unknown_code_list_is_a_clear_failure_not_a_crash(tmp_path):
    schema = {"fields": [{"name": "kode", "type": "string", "codelist": "tidak-ada"}]}
    report = validate(corpus.write_text(tmp_path / "t.csv", "kode\n1\n"), schema)

    assert report["status"] == "error"
    assert report["reason"] == {
        "code": "codelist-unknown",
        "field": "kode",
        "codelist": "tidak-ada",
    }


def test_dictionary_as_json_string_or_dict_is_the_same(tmp_path):
    path = corpus.write_text(tmp_path / "t.csv", BAD_CSV)

    assert findings(validate(path, json.dumps(DICTIONARY))) == findings(validate(path, DICTIONARY))


def test_without_dictionary_only_the_structure_is_checked(tmp_path):
    report = validate(corpus.write_text(tmp_path / "t.csv", BAD_CSV), None)

    assert report["status"] == "valid"
    assert {"code": "no-dictionary"} in report["notices"]


def test_duplicate_and_blank_headers(tmp_path):
    text = "kode,kode,,nilai\n1,2,3,4\n"
    report = validate(corpus.write_text(tmp_path / "t.csv", text), None)

    labels = {(e["type"], e.get("fieldNumber")) for e in report["errors"]}
    assert ("duplicate-label", 2) in labels
    assert ("blank-label", 3) in labels


# --- Indonesian numbers ----------------------------------------------------------------


def test_indonesian_numbers_declared_in_the_dictionary(tmp_path):
    text = 'luas\n"1.234,56"\n"12,5"\n"7"\n'
    schema = {"fields": [{"name": "luas", "type": "number", "decimalChar": ",", "groupChar": "."}]}

    assert validate(corpus.write_text(tmp_path / "t.csv", text), schema)["status"] == "valid"


def test_indonesian_numbers_detected_when_not_declared(tmp_path):
    text = "luas;jumlah\n1.234,56;61.234\n12,5;1.002.003\n7;15\n"
    schema = {"fields": [{"name": "luas", "type": "number"}, {"name": "jumlah", "type": "integer"}]}
    path = corpus.write_text(tmp_path / "t.csv", text)

    report = validate(path, schema)
    strict = validate(path, schema, detect_number_format=False)

    assert report["status"] == "valid"
    assert {"code": "number-format-detected", "field": "luas"} in report["notices"]
    assert {"code": "integer-groups-detected", "field": "jumlah"} in report["notices"]
    assert strict["error_counts"] == {"type-error": 4}


def test_integer_group_char_declared_in_the_dictionary(tmp_path):
    schema = {
        "fields": [
            {
                "name": "jumlah",
                "type": "integer",
                "groupChar": ".",
                "constraints": {"maximum": 100000},
            }
        ]
    }
    path = corpus.write_text(tmp_path / "t.csv", "jumlah\n61.234\n131.902\n")

    assert findings(validate(path, schema, detect_number_format=False)) == [
        ("constraint-error", 3, 1, "jumlah")
    ]


# --- encodings, separators, layouts -------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom", "expected"),
    [
        ("utf-8", False, "utf-8"),
        ("utf-8", True, "utf-8-sig"),
        ("cp1252", False, "cp1252"),
        ("utf-16", False, "utf-16"),
    ],
)
def test_encodings_are_detected_once(tmp_path, encoding, bom, expected):
    text = GOOD_CSV.replace("Palaran", "Palaran – Sëberang")
    path = corpus.write_text(tmp_path / "t.csv", text, encoding=encoding, bom=bom)

    report = validate(path)

    assert report["status"] == "valid"
    assert report["source"]["encoding"] == expected
    assert report["header"]["labels"][0] == "kode_wilayah"
    assert report["preview"][0]["cells"][1] == "Palaran – Sëberang"


def test_latin1_bytes_undefined_in_windows_1252(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(GOOD_CSV.encode("latin-1").replace(b"Palaran", b"Pal\x81ran"))

    report = validate(path)

    assert report["source"]["encoding"] == "iso-8859-1"
    assert report["status"] == "valid"


@pytest.mark.parametrize(
    ("delimiter", "fmt"), [(";", "csv"), ("\t", "csv"), ("\t", "tsv"), ("|", "csv")]
)
def test_separators(tmp_path, delimiter, fmt):
    text = corpus.csv_text([corpus.HEADER, *corpus.ROWS], delimiter=delimiter)
    report = validate(corpus.write_text(tmp_path / f"t.{fmt}", text))

    assert report["status"] == "valid", report["errors"]
    assert report["source"]["delimiter"] == delimiter


def test_title_rows_above_and_notes_below_in_a_csv(tmp_path):
    rows = [
        ["TABEL 3.1 JUMLAH PENDUDUK MENURUT KECAMATAN", "", "", "", ""],
        ["Kota Samarinda, 2024", "", "", "", ""],
        ["", "", "", "", ""],
        corpus.HEADER,
        *corpus.ROWS,
        ["", "", "", "", ""],
        ["Sumber: Dinas Kependudukan dan Pencatatan Sipil", "", "", "", ""],
        ["Catatan: angka sementara", "", "", "", ""],
    ]
    report = validate(corpus.write_text(tmp_path / "t.csv", corpus.csv_text(rows, ";"), "cp1252"))

    assert report["status"] == "valid", report["errors"]
    assert report["header"]["row"] == 4
    assert {"code": "header-row", "row": 4} in report["notices"]
    assert {"code": "notes-ignored", "first": 8, "last": 10} in report["notices"]
    assert report["stats"]["rows"] == 3


def test_header_row_detected_without_a_dictionary(tmp_path):
    rows = [["Judul tabel", "", ""], ["nama", "jumlah", "tahun"], ["a", 1, 2024], ["b", 2, 2024]]
    report = validate(corpus.write_text(tmp_path / "t.csv", corpus.csv_text(rows)), None)

    assert report["header"] == {"row": 2, "labels": ["nama", "jumlah", "tahun"]}


def test_header_row_chosen_in_the_options(tmp_path):
    rows = [["a", "b"], ["x", "y"], ["kode", "nilai"], ["1", "2"]]
    report = validate(
        corpus.write_text(tmp_path / "t.csv", corpus.csv_text(rows)),
        None,
        options={"header_row": 3},
    )

    assert report["header"]["labels"] == ["kode", "nilai"]
    assert report["stats"]["rows"] == 1


def test_blank_rows_in_the_middle_are_errors_not_notes(tmp_path):
    rows = [corpus.HEADER, corpus.ROWS[0], ["", "", "", "", ""], corpus.ROWS[1]]
    report = validate(corpus.write_text(tmp_path / "t.csv", corpus.csv_text(rows)))

    assert findings(report) == [("blank-row", 3, None, None)]


def test_excel_workbook_with_title_rows_notes_and_several_sheets(tmp_path):
    data = [
        ["TABEL 1. Penduduk"],
        [],
        corpus.HEADER,
        ["64.72.01", "Palaran", 2024, 61234, "221,29"],
        ["64.72.02", "Samarinda Seberang", 2024, 70456.0, 12.49],
        [],
        ["Sumber: BPS"],
    ]
    path = corpus.write_xlsx(tmp_path / "t.xlsx", {"Keterangan": [["isi"]], "Data": data})

    first = validate(path)
    chosen = validate(path, options={"sheet": "Data"})
    by_number = validate(path, options={"sheet": 2})
    missing = validate(path, options={"sheet": "Tidak ada"})

    assert first["source"]["sheet"] == "Keterangan"
    assert chosen["status"] == "valid", chosen["errors"]
    assert chosen["header"]["row"] == 3
    assert {"code": "notes-ignored", "first": 6, "last": 7} in chosen["notices"]
    assert {"code": "several-sheets", "sheet": "Data", "sheets": ["Keterangan", "Data"]} in chosen[
        "notices"
    ]
    assert by_number["source"]["sheet"] == "Data"
    assert missing["reason"] == {
        "code": "sheet-not-found",
        "sheet": "Tidak ada",
        "sheets": ["Keterangan", "Data"],
    }


def test_excel_cells_keep_their_spreadsheet_row_numbers(tmp_path):
    data = [[None], [None], corpus.HEADER, ["64.72.01", "Palaran", 2024, "banyak", 1.5]]
    path = corpus.write_xlsx(tmp_path / "t.xlsx", {"Data": data})

    assert findings(validate(path)) == [("type-error", 4, 4, "jumlah_penduduk")]


def test_excel_dates_and_numbers(tmp_path):
    schema = {
        "fields": [
            {"name": "tanggal", "type": "date"},
            {"name": "jumlah", "type": "integer"},
            {"name": "nilai", "type": "number"},
        ]
    }
    data = [
        ["tanggal", "jumlah", "nilai"],
        [datetime.date(2024, 1, 5), 12, 1.5],
        [datetime.datetime(2024, 2, 1), 3.0, 2],
    ]
    path = corpus.write_xlsx(tmp_path / "t.xlsx", {"Data": data})

    assert validate(path, schema)["status"] == "valid"


def test_xls_and_ods_workbooks(tmp_path):
    rows = [
        corpus.HEADER,
        ["64.72.01", "Palaran", 2024, 61234, "221,29"],
        ["64.72.99", "X", 2024, 5, "1,5"],
    ]
    xls = validate(corpus.write_xls(tmp_path / "t.xls", rows))
    ods = validate(corpus.write_ods(tmp_path / "t.ods", rows))

    assert xls["source"]["format"] == "xls"
    assert ods["source"]["format"] == "ods"
    assert findings(xls) == findings(ods) == [("constraint-error", 3, 1, "kode_wilayah")]


def test_workbook_named_csv_is_read_as_the_workbook_it_is(tmp_path):
    path = corpus.write_xlsx(tmp_path / "t.xlsx", {"Data": [corpus.HEADER, *corpus.ROWS]})
    renamed = path.rename(tmp_path / "tabel.csv")

    report = validate(renamed, fmt="csv")

    assert report["status"] == "valid"
    assert {"code": "format-differs", "declared": "csv", "actual": "xlsx"} in report["notices"]


# --- broken and hostile files ---------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty-file"),
        (b"\r\n  \r\n", "empty-file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary-file"),
        (random.Random(1).randbytes(4096), "binary-file"),
        (bytes(range(1, 32)) * 50, "binary-file"),
        (b"PK\x03\x04broken zip", "corrupt-file"),
    ],
)
def test_files_that_are_not_tables(tmp_path, content, reason):
    path = tmp_path / "data.csv"
    path.write_bytes(content)

    report = validate(path)

    assert report["status"] == "error"
    assert report["reason"]["code"] == reason


def test_header_without_rows(tmp_path):
    report = validate(corpus.write_text(tmp_path / "t.csv", ",".join(corpus.HEADER) + "\n"))

    assert report["status"] == "valid"
    assert {"code": "no-data-rows"} in report["notices"]


def test_byte_limit(tmp_path):
    report = validate(corpus.write_text(tmp_path / "t.csv", GOOD_CSV), max_bytes=100)

    assert report["status"] == "error"
    assert report["reason"] == {"code": "too-large", "limit": 100}


def test_row_limit_checks_the_first_rows_and_says_so(tmp_path):
    rows = [corpus.HEADER] + [corpus.ROWS[0]] * 50 + [["64.72.01", "x", 2024, "bad", 1.0]]
    path = corpus.write_text(tmp_path / "t.csv", corpus.csv_text(rows))

    report = validate(path, max_rows=20)

    assert report["status"] == "error"
    assert report["reason"] == {"code": "row-limit", "limit": 20}
    assert report["stats"]["rows"] == 20


def test_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    path = corpus.write_zip_bomb(tmp_path / "bom.xlsx", 64 * 1024 * 1024)

    report = validate(path, max_uncompressed=8 * 1024 * 1024)

    assert report["status"] == "error"
    assert report["reason"] == {"code": "zip-too-large", "limit": 8 * 1024 * 1024}


def test_zip_bomb_that_lies_about_its_size_is_refused(tmp_path):
    path = corpus.write_lying_zip(tmp_path / "bom.xlsx", 32 * 1024 * 1024)

    report = validate(path, max_uncompressed=8 * 1024 * 1024)

    assert report["status"] == "error"
    assert report["reason"]["code"] in ("corrupt-file", "zip-too-large")


# --- the same findings as plain frictionless ---------------------------------------------

DIFF_SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True, "unique": True}},
        {
            "name": "kode",
            "type": "string",
            "constraints": {"pattern": r"64\.72\.\d{2}", "enum": ["64.72.01", "64.72.02"]},
        },
        {"name": "tahun", "type": "year"},
        {"name": "jumlah", "type": "integer", "constraints": {"minimum": 0, "maximum": 100000}},
        {"name": "nilai", "type": "number", "constraints": {"minimum": 0.5}},
        {"name": "tanggal", "type": "date"},
        {"name": "waktu", "type": "datetime"},
        {"name": "aktif", "type": "boolean"},
        {"name": "kategori", "type": "string", "constraints": {"minLength": 1, "maxLength": 3}},
    ],
    "missingValues": ["", "-"],
}
ODD_VALUES = [
    "",
    " ",
    "-",
    "1.5",
    "abc",
    "-1",
    "99999999999999999999",
    "1e3",
    "NaN",
    "inf",
    "2024-02-30",
    "2024-1-5",
    " 12 ",
    "1_000",
    "+5",
    "0x10",
    "١٢",
    "TRUE",
    "None",
    "64.72.99",
    "2020",
    "-0",
    "2024-01-05T00:00:00",
    "2024-01-05T10:00:00Z",
    "0",
    "1",
    "false",
    "abcd",
    "12,5",
    "1.234",
]


def _random_table(seed: int, rows: int) -> list[list[str]]:
    rng = random.Random(seed)
    table = [[field["name"] for field in DIFF_SCHEMA["fields"]]]
    for number in range(rows):
        row = [
            str(number % 150),
            rng.choice(["64.72.01", "64.72.02"]),
            rng.choice(["2023", "2024"]),
            str(rng.randint(0, 1000)),
            f"{rng.random() * 10:.2f}",
            "2024-03-0" + str(rng.randint(1, 9)),
            "2024-03-01T10:00:00Z",
            rng.choice(["true", "false"]),
            rng.choice(["A", "BB"]),
        ]
        if rng.random() < 0.4:
            row[rng.randrange(len(row))] = rng.choice(ODD_VALUES)
        if rng.random() < 0.02:
            row.append("lebih")
        if rng.random() < 0.02:
            row.pop()
        if rng.random() < 0.01:
            row = [""] * len(row)
        table.append(row)
    return table


def _plain(path, schema):
    report = frictionless.validate(
        path.name,
        basepath=str(path.parent),
        schema=frictionless.Schema.from_descriptor(schema),
        limit_errors=10**9,
    )
    return sorted(
        (e.type, e.to_descriptor().get("rowNumber"), e.to_descriptor().get("fieldNumber"), e.note)
        for e in report.tasks[0].errors
    )


def _ours(path, schema, **settings):
    report = validate(path, schema, errors_per_type=10**9, detect_number_format=False, **settings)
    return sorted(
        (e["type"], e.get("rowNumber"), e.get("fieldNumber"), e["note"]) for e in report["errors"]
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_findings_are_those_of_plain_frictionless_on_csv(tmp_path, seed):
    schema = dict(DIFF_SCHEMA, primaryKey=["kode", "id"])
    path = corpus.write_text(tmp_path / "t.csv", corpus.csv_text(_random_table(seed, 1500)))

    plain = _plain(path, schema)

    assert len(plain) > 300  # the corpus has many kinds of errors
    assert _ours(path, schema) == plain
    # The same once the keys outgrow memory (after 500 of about 3,000) and move to SQLite.
    assert _ours(path, schema, integrity_memory_keys=500) == plain


def test_findings_are_those_of_plain_frictionless_on_xlsx(tmp_path):
    table = _random_table(4, 800)
    typed = [table[0]] + [[int(c) if c.isdigit() else c for c in row] for row in table[1:]]
    path = corpus.write_xlsx(tmp_path / "t.xlsx", {"Data": typed})

    plain = _plain(path, DIFF_SCHEMA)

    assert len(plain) > 100
    assert _ours(path, DIFF_SCHEMA) == plain


def test_bom_never_reaches_the_first_label(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"a,b\n1,2\n")

    assert validate(path, None)["header"]["labels"] == ["a", "b"]


# --- the repros of issue 11: each failed before ------------------------------------------


def test_every_blank_row_between_rows_is_reported(tmp_path):
    path = corpus.write_text(tmp_path / "b.csv", "a,b\n1,2\n\n3,4\n\n5,6\n\n7,8\n")

    report = validate(path, None)

    assert findings(report) == [
        ("blank-row", 3, None, None),
        ("blank-row", 5, None, None),
        ("blank-row", 7, None, None),
    ]
    assert _ours(path, None) == _plain_structure(path)


def test_a_batch_made_only_of_blank_rows_loses_none(tmp_path):
    # The rows frictionless checks (3, 4, 5) are all blank: it took one for the header.
    path = corpus.write_text(tmp_path / "b.csv", "a,b\n1,2\n\n\n\n3,4\n")

    assert [e["rowNumber"] for e in validate(path, None)["errors"]] == [3, 4, 5]


def test_a_batch_of_rows_wider_than_the_header_keeps_its_rows(tmp_path):
    # Rows of five cells under a header of two: frictionless guessed a data row as header.
    path = corpus.write_text(tmp_path / "t.csv", "a,b\n1,2,3,4,5\n6,7,8,9,10\n")

    assert findings(validate(path, None)) == [
        ("extra-cell", row, column, None) for row in (2, 3) for column in (3, 4, 5)
    ]


def test_a_dictionary_column_missing_from_the_header_is_not_read_from_the_rows(tmp_path):
    schema = {
        "fields": [
            {"name": "kode", "type": "string"},
            {"name": "jumlah", "type": "integer", "constraints": {"unique": True}},
        ]
    }
    path = corpus.write_text(tmp_path / "t.csv", "kode\nA,1\nB,1\n")

    report = validate(path, schema)

    # As frictionless: the header lacks "jumlah", so the second cells are extra cells,
    # and no value of "jumlah" is repeated.
    assert findings(report) == [
        ("missing-label", None, 2, "jumlah"),
        ("extra-cell", 2, 2, None),
        ("extra-cell", 3, 2, None),
    ]
    assert _ours(path, schema) == _plain(path, schema)


def test_nan_is_never_a_repeated_value(tmp_path):
    schema = {"fields": [{"name": "nilai", "type": "number", "constraints": {"unique": True}}]}
    path = corpus.write_text(tmp_path / "t.csv", "nilai\nNaN\nNaN\n1\n1\n")

    assert findings(validate(path, schema)) == [("unique-error", 5, 1, "nilai")]
    assert _ours(path, schema) == _plain(path, schema)


def test_the_preview_shows_cells_as_written_in_the_file(tmp_path):
    schema = {"fields": [{"name": "jumlah", "type": "integer", "groupChar": "."}]}
    path = corpus.write_text(tmp_path / "t.csv", "jumlah\n18.611\n1.234.567\n")

    report = validate(path, schema)

    assert report["status"] == "valid"
    assert [row["cells"] for row in report["preview"]] == [["18.611"], ["1.234.567"]]


def test_without_a_dictionary_findings_name_columns_as_the_file_does(tmp_path):
    path = corpus.write_text(tmp_path / "t.csv", "kode,kode,,nilai\n1,2,3,4\n5,6\n")

    report = validate(path, None)

    named = [(e["type"], e.get("fieldNumber"), e.get("fieldName")) for e in report["errors"]]
    # frictionless calls them "kode2" and "field3", names the file does not have
    assert named == [
        ("duplicate-label", 2, "kode"),
        ("blank-label", 3, None),
        ("missing-cell", 3, None),
        ("missing-cell", 4, "nilai"),
    ]


# --- patterns: refused when they can backtrack catastrophically, else timed ----------------


def test_a_pattern_that_backtracks_catastrophically_is_a_reason_not_a_hang(tmp_path):
    schema = {"fields": [{"name": "kode", "type": "string", "constraints": {"pattern": "(a+)+"}}]}
    path = corpus.write_text(tmp_path / "t.csv", "kode\n" + "a" * 27 + "!\n")

    report = validate(path, schema)

    assert report["status"] == "error"
    assert report["reason"] == {
        "code": "pattern-refused",
        "field": "kode",
        "problem": "nested-repetition",
        "pattern": "(a+)+",
        "detail": "",
    }


def test_a_slow_pattern_the_check_lets_through_stops_at_its_time_limit(tmp_path):
    # Accepted (each repetition at most ten times) but exponential on a long cell.
    pattern = "(a|a){10}" * 5
    schema = {"fields": [{"name": "kode", "type": "string", "constraints": {"pattern": pattern}}]}
    rows = ["aaa", "a" * 49 + "!", "a" * 49 + "!", "b"]
    path = corpus.write_text(tmp_path / "t.csv", "kode\n" + "\n".join(rows) + "\n")

    report = validate(path, schema, pattern_timeout=0.2)

    # Row 2 is checked; row 3 takes too long: the field and row are named, and the pattern
    # is not checked from there on (rows 4 and 5 are not tried).
    assert findings(report) == [("constraint-error", 2, 1, "kode")]
    assert report["status"] == "invalid"
    assert report["limits"] == [
        {"code": "pattern-timeout", "field": "kode", "row": 3, "seconds": 0.2}
    ]


def test_patterns_are_matched_as_frictionless_matches_them(tmp_path):
    # Anchored as ^pattern$ and matched from the start: "a|b" accepts "axx" and "ab" (^a),
    # not "xxb"; "$" accepts a final line break ("b\n").
    schema = {"fields": [{"name": "k", "type": "string", "constraints": {"pattern": "a|b"}}]}
    path = corpus.write_text(tmp_path / "t.csv", 'k\naxx\nxxb\nxax\n"b\n"\nab\n')

    assert _ours(path, schema) == _plain(path, schema)
    assert [e["rowNumber"] for e in validate(path, schema)["errors"]] == [3, 4]


# --- validation options -----------------------------------------------------------------------


def test_options_that_cannot_be_used_are_named_in_a_notice(tmp_path):
    path = corpus.write_text(tmp_path / "t.csv", GOOD_CSV)

    report = validate(path, options={"delimiter": "xx", "header_row": -1, "encoding": "nope"})

    assert report["status"] == "valid"
    ignored = [n for n in report["notices"] if n["code"] == "option-ignored"]
    assert [(n["option"], n["value"]) for n in ignored] == [
        ("header_row", "-1"),
        ("encoding", "nope"),
        ("delimiter", "xx"),
    ]


@pytest.mark.parametrize(
    ("value", "problems"),
    [
        ({"delimiter": "xx", "header_row": -1, "encoding": "nope"}, [("header_row", "header_row"), ("encoding", "encoding"), ("delimiter", "delimiter")]),
        ({"delimeter": ";"}, [("delimeter", "unknown")]),
        ('{"sheet": 0}', [("sheet", "sheet")]),
        ("[1, 2]", [("", "not-object")]),
        ("bukan json", [("", "not-object")]),
        ({"header_row": 31}, [("header_row", "header_row")]),
        ({"header_row": "2.5"}, [("header_row", "header_row")]),
        ({"encoding": "rot13"}, [("encoding", "encoding")]),
        ({"sheet": "Data", "header_row": "3", "encoding": "cp1252", "delimiter": "\\t"}, []),
        ({"sheet": 2, "header_row": 30, "encoding": "utf-8", "delimiter": "|"}, []),
        ({"delimiter": "", "sheet": None}, []),
        ("", []),
        (None, []),
    ],
)  # fmt: skip
def test_validation_options_are_checked(value, problems):
    found = engine.Options.problems(value)

    assert [(p.option, p.code) for p in found] == problems


def _plain_structure(path):
    report = frictionless.validate(
        path.name,
        basepath=str(path.parent),
        detector=frictionless.Detector(field_type="any"),
        limit_errors=10**9,
    )
    return sorted(
        (e.type, e.to_descriptor().get("rowNumber"), e.to_descriptor().get("fieldNumber"), e.note)
        for e in report.tasks[0].errors
    )


# --- what differs from plain frictionless on purpose (README, "The same findings") ---------


def test_empty_cells_right_of_a_sheet_are_not_a_column(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["kode", "jumlah"], ["A", 1], ["B", 2]):
        sheet.append(row)
    sheet["D3"].number_format = "0.00"  # formatted, never filled: in the sheet's dimension
    book.save(tmp_path / "t.xlsx")
    path = tmp_path / "t.xlsx"

    # openpyxl (frictionless) reads four columns, the last two without a label...
    assert [e[0] for e in _plain_structure(path)] == ["blank-label", "blank-label"]
    # ...the engine the two that hold values.
    report = validate(path, None)
    assert report["header"]["labels"] == ["kode", "jumlah"]
    assert report["errors"] == []


def test_a_date_before_1900_in_a_workbook_is_not_read_as_that_date(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    for row in (["tanggal"], [datetime.date(1899, 1, 1)], [datetime.date(2024, 1, 5)]):
        book.active.append(row)  # openpyxl writes 1899-01-01 as the serial number -364
    book.save(tmp_path / "t.xlsx")
    schema = {"fields": [{"name": "tanggal", "type": "date"}]}

    assert _plain(tmp_path / "t.xlsx", schema) == []
    assert findings(validate(tmp_path / "t.xlsx", schema)) == [("type-error", 2, 1, "tanggal")]
