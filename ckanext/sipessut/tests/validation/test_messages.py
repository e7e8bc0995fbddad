"""What a steward reads, on the real stack: dictionary problems and validation options refused
when saved (409, in Indonesian or English, naming the variable or the option), and the
report page naming the columns as the file does and showing cells as written."""

from __future__ import annotations

import html
import json

import pytest
from ckan.tests import helpers

from ckanext.sipessut.tests.validation import corpus
from ckanext.sipessut.tests.validation.test_access import as_user

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "clean_redis")


def _create(app, user, dataset, prefix="", status=409, **fields):
    return app.post(
        f"{prefix}/api/3/action/resource_create",
        json={"package_id": dataset["id"], "url": "", "name": "Tabel", **fields},
        headers=as_user(user),
        status=status,
    ).json


BAD_OPTIONS = {"delimiter": "xx", "header_row": -1, "encoding": "nope"}


def test_bad_validation_options_get_a_409_in_indonesian_naming_each_option(
    app, dataset, opd_editor
):
    answer = _create(app, opd_editor["user"], dataset, validation_options=BAD_OPTIONS)

    assert answer["error"]["validation_options"] == [
        'Opsi validasi "header_row" adalah nomor baris judul kolom, dari 1 sampai 30, bukan -1. '
        'Opsi validasi "encoding" adalah pengodean teks seperti utf-8, cp1252, iso-8859-1 '
        "atau utf-16, bukan nope. "
        'Opsi validasi "delimiter" adalah salah satu dari "," ";" "|" atau "\\t" (tab), '
        "bukan xx."
    ]
    assert helpers.call_action("package_show", id=dataset["id"])["resources"] == []


def test_bad_validation_options_in_english(app, dataset, opd_editor):
    answer = _create(
        app, opd_editor["user"], dataset, prefix="/en", validation_options='{"delimeter": ";"}'
    )

    assert answer["error"]["validation_options"] == [
        'The validation option "delimeter" does not exist; the options are sheet, header_row, '
        "encoding and delimiter."
    ]


def test_good_validation_options_are_saved_and_used(upload_resource, tmp_path):
    sheets = {"Keterangan": [["isi"]], "Data": [corpus.HEADER, *corpus.ROWS]}
    workbook = corpus.write_xlsx(tmp_path / "t.xlsx", sheets).read_bytes()
    options = {"sheet": 2, "header_row": 1, "encoding": "cp1252", "delimiter": ";"}

    resource = upload_resource(workbook, "tabel.xlsx", validation_options=options)

    report = helpers.call_action("sipessut_validation_show", id=resource["id"])["report"]
    assert report["source"]["sheet"] == "Data"
    assert report["status"] == "valid"
    assert not [n for n in report["notices"] if n["code"] == "option-ignored"]


def test_a_pattern_that_could_hang_the_portal_is_refused_when_saved(app, dataset, opd_editor):
    dictionary = {
        "fields": [{"name": "kode", "type": "string", "constraints": {"pattern": "(a+)+"}}]
    }

    answer = _create(app, opd_editor["user"], dataset, data_dictionary=dictionary)

    (message,) = answer["error"]["data_dictionary"]
    assert message.startswith(
        "Variabel 1 (kode): pola (a+)+ mengulang bagian yang juga berulang (seperti (a+)+)"
    )
    assert "hampir tanpa akhir" in message


def test_an_unknown_data_type_is_said_in_indonesian(app, dataset, opd_editor):
    dictionary = {"fields": [{"name": "jumlah", "type": "nonsense"}]}

    answer = _create(app, opd_editor["user"], dataset, data_dictionary=dictionary)

    (message,) = answer["error"]["data_dictionary"]
    assert message.startswith(
        'Variabel 1 (jumlah): tipe data "nonsense" tidak didukung; gunakan salah satu dari: '
        "string (Teks), integer (Bilangan Bulat),"
    )
    assert "is not supported" not in message


# The file's header repeats "kode" and leaves the third column blank; its numbers are
# written with thousands dots ("18.611"), declared in the dictionary.
TABLE = "kode,kode,,jumlah\n64.72.01,Palaran,x,18.611\n64.72.02,Samarinda Seberang,,1.234.567\n"
DICTIONARY = {
    "fields": [
        {"name": "kode", "type": "string"},
        {"name": "kecamatan", "type": "string"},
        {"name": "catatan", "type": "string"},
        {"name": "jumlah", "type": "integer", "groupChar": "."},
    ]
}


@pytest.mark.parametrize(
    ("prefix", "empty", "texts"),  # fmt: skip
    [
        (
            "",
            "(kosong)",
            [
                'Kolom C tidak bernama; kamus data mengharapkan "catatan" di sini.',
                'Kolom "kode" bernama sama dengan kolom A.',
            ],
        ),
        (
            "/en",
            "(empty)",
            [
                'Column C has no name; the data dictionary expects "catatan" here.',
                'Column "kode" has the same name as column A.',
            ],
        ),
    ],
)
def test_the_report_names_columns_as_the_file_and_shows_cells_as_written(
    app, upload_resource, prefix, empty, texts
):
    resource = upload_resource(TABLE, data_dictionary=json.dumps(DICTIONARY))
    url = f"{prefix}/dataset/{resource['package_id']}/resource/{resource['id']}/validation"

    page = html.unescape(app.get(url).body)

    for text in texts:
        assert text in page
    # the errors' column: the letter, and the name as the file has it or "(kosong)"
    assert f'<td>C <span class="text-muted">{empty}</span></td>' in page
    assert "<td>B <code>kode</code></td>" in page
    # the preview's header: the file's labels, the blank one said so
    assert "<th>B<br><code>kode</code></th>" in page
    assert f'<th>C<br><span class="text-muted">{empty}</span></th>' in page
    # the cells as written in the file, not as read ("18611")
    assert "<td>18.611</td>" in page
    assert "<td>1.234.567</td>" in page
    assert "18611" not in page
    assert "field3" not in page
