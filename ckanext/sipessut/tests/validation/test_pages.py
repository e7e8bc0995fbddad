"""What people see: the resource form in warn and block mode, badges, the report page
in Indonesian and English, and accepting a proposed data dictionary."""

from __future__ import annotations

import html
import io
import json
import re

import pytest
from ckan.tests import helpers

from ckanext.sipessut.tests.validation.conftest import BAD_CSV, DICTIONARY, GOOD_CSV, file_storage
from ckanext.sipessut.tests.validation.test_access import as_user

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "clean_redis")


def post_resource_form(app, dataset, user, content: str, **fields):
    data = {
        "id": "",
        "save": "again",
        "url": "",
        "name": "Penduduk per kecamatan",
        "description": "Tabel isian OPD",
        "format": "CSV",
        "data_dictionary": json.dumps(DICTIONARY),
        "upload": (io.BytesIO(content.encode()), "penduduk.csv"),
        **fields,
    }
    return app.post(
        f"/dataset/{dataset['name']}/resource/new",
        data=data,
        headers=as_user(user),
        content_type="multipart/form-data",
        follow_redirects=False,
    )


def test_form_in_warn_mode_keeps_the_upload_and_shows_the_badge(app, dataset, opd_editor):
    response = post_resource_form(app, dataset, opd_editor["user"], BAD_CSV)

    assert response.status_code == 302
    resource = helpers.call_action("package_show", id=dataset["id"])["resources"][0]
    assert resource["validation_status"] == "invalid"
    page = app.get(f"/dataset/{dataset['name']}", headers=as_user(opd_editor["user"]))
    assert 'data-validation-status="invalid"' in page.body
    assert "Tidak valid" in page.body


@pytest.mark.ckan_config("ckanext.sipessut.validation.mode", "block")
def test_form_in_block_mode_refuses_with_the_reason_and_keeps_the_input(app, dataset, opd_editor):
    response = post_resource_form(app, dataset, opd_editor["user"], BAD_CSV)

    assert response.status_code == 200
    assert "Tabel tidak sesuai dengan kamus datanya" in response.body
    assert "baris 3" in response.body
    assert '"banyak" bukan bilangan bulat.' in html.unescape(response.body)
    assert 'value="Penduduk per kecamatan"' in response.body
    assert "Tabel isian OPD" in response.body
    assert helpers.call_action("package_show", id=dataset["id"])["resources"] == []


@pytest.mark.ckan_config("ckanext.sipessut.validation.mode", "block")
def test_form_in_block_mode_accepts_a_valid_table(app, dataset, opd_editor):
    response = post_resource_form(app, dataset, opd_editor["user"], GOOD_CSV)

    assert response.status_code == 302
    resources = helpers.call_action("package_show", id=dataset["id"])["resources"]
    assert [r["validation_status"] for r in resources] == ["valid"]


def test_report_page_groups_errors_and_highlights_cells(app, upload_resource):
    resource = upload_resource(BAD_CSV)
    url = f"/dataset/{resource['package_id']}/resource/{resource['id']}/validation"

    page = html.unescape(app.get(url).body)

    assert "Laporan validasi" in page
    assert "Nilai dengan tipe yang salah" in page
    assert "Sel berisi nilai yang tipenya tidak sesuai" in page
    assert '"banyak" bukan bilangan bulat.' in page
    assert '"64.72.99" bukan salah satu kode yang diizinkan: 64.72.01 (Kecamatan Palaran),' in page
    assert '<td class="sipessut-bad" data-error="type-error"' in page
    assert ">banyak</td>" in page


def test_report_page_in_english(app, upload_resource):
    resource = upload_resource(BAD_CSV)

    url = f"/en/dataset/{resource['package_id']}/resource/{resource['id']}/validation"
    page = html.unescape(app.get(url).body)

    assert "Validation report" in page
    assert "Value of the wrong type" in page
    assert '"banyak" is not a whole number.' in page


def test_report_page_escapes_cell_values(app, opd_editor, dataset):
    hostile = BAD_CSV.replace("banyak", "<script>alert(1)</script>")
    resource = helpers.call_action(
        "resource_create",
        {"user": opd_editor["user"]["name"]},
        package_id=dataset["id"],
        upload=file_storage(hostile, "t.csv"),
        url="",
        data_dictionary=DICTIONARY,
    )

    page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}/validation").body

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_resource_page_shows_the_badge_linking_to_the_report(app, upload_resource):
    resource = upload_resource(GOOD_CSV)

    page = app.get(f"/dataset/{resource['package_id']}/resource/{resource['id']}").body

    assert 'class="sipessut-badge sipessut-badge-valid"' in page
    assert f"/resource/{resource['id']}/validation" in page


def test_validate_again_button(app, upload_resource, opd_editor):
    resource = upload_resource(GOOD_CSV)
    url = f"/dataset/{resource['package_id']}/resource/{resource['id']}/validation"

    page = app.get(url, headers=as_user(opd_editor["user"])).body
    response = app.post(url + "/run", headers=as_user(opd_editor["user"]), follow_redirects=True)

    assert "Validasi ulang" in page
    assert "Tabel telah divalidasi ulang." in response.body
    runs = helpers.call_action("sipessut_validation_history", id=resource["id"])
    assert [run["trigger"] for run in runs] == ["manual", "create"]


def test_visitors_do_not_get_the_buttons(app, upload_resource):
    resource = upload_resource(GOOD_CSV)

    page = app.get(f"/dataset/{resource['package_id']}/resource/{resource['id']}/validation").body

    assert "Validasi ulang" not in page
    assert "Usulkan kamus data" not in page


def test_steward_accepts_the_proposed_dictionary_with_one_click(app, opd_editor, dataset):
    table = "kode_wilayah;kecamatan;tahun;jumlah_penduduk;luas_km2\r\n"
    table += (
        "64.72.01;Palaran;2024;61.234;221,29\r\n64.72.02;Samarinda Seberang;2024;70.456;12,49\r\n"
    )
    resource = helpers.call_action(
        "resource_create",
        {"user": opd_editor["user"]["name"]},
        package_id=dataset["id"],
        upload=file_storage(table, "t.csv"),
        url="",
    )
    base = f"/dataset/{dataset['name']}/resource/{resource['id']}/validation"
    headers = as_user(opd_editor["user"])

    proposal = app.get(base + "/dictionary", headers=headers).body
    accepted = app.post(
        base + "/dictionary",
        data={"data_dictionary": _hidden_value(proposal, "data_dictionary")},
        headers=headers,
        follow_redirects=True,
    )

    saved = helpers.call_action("resource_show", id=resource["id"])["data_dictionary"]
    assert "Gunakan sebagai kamus data" in proposal
    assert "Kamus data telah disimpan" in accepted.body
    assert [f["type"] for f in saved["fields"]] == ["string", "string", "year", "integer", "number"]
    assert saved["fields"][0]["codelist"] == {"name": "wilayah", "where": {"level": "kecamatan"}}
    assert helpers.call_action("resource_show", id=resource["id"])["validation_status"] == "valid"


def _hidden_value(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, f"no hidden field {name}"
    return html.unescape(match.group(1))


def test_search_page_has_the_facet_in_indonesian(app, upload_resource):
    upload_resource(BAD_CSV)

    page = app.get("/dataset/").body

    assert "Status validasi" in page
    assert "Tidak valid" in page
