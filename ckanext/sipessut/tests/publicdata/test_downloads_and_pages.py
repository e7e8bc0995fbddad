"""What the public sees and takes away: the Unduh menu, the XLSX with its dictionary and
metadata, CSV and JSON from the DataStore, the preview and chart views, the data API, the
indicator's series. Real requests through CKAN's app."""

from __future__ import annotations

import io
import json

import pytest
from ckan.tests import factories, helpers
from python_calamine import CalamineWorkbook

from ckanext.sipessut.tests.factories import Indikator, Kegiatan
from ckanext.sipessut.tests.publicdata.conftest import SECRET

pytestmark = pytest.mark.usefixtures("clean_datastore", "clean_redis")


def resource_page(resource):
    return f"/dataset/{resource['package_id']}/resource/{resource['id']}"


def download(app, resource, fmt, **kwargs):
    return app.get(f"{resource_page(resource)}/unduh/{fmt}", follow_redirects=True, **kwargs)


def test_the_xlsx_has_the_rows_the_data_dictionary_and_the_metadata(app, upload, dataset):
    resource = upload()

    response = download(app, resource, "xlsx")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert ".xlsx" in response.headers["Content-Disposition"]
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.get_data()))
    assert book.sheet_names == ["Data", "Kamus Data", "Metadata"]
    data = book.get_sheet_by_name("Data").to_python()
    assert data[0][:2] == ["Kode Wilayah", "Kecamatan"]
    assert "Jumlah Penduduk (jiwa)" in data[0]
    assert len(data) == 4
    assert data[1][0] == "64.72.01"
    assert data[1][2] == "001"
    assert data[3][data[0].index("Luas Wilayah (km2)")] == pytest.approx(1022.12)
    assert SECRET not in json.dumps(data, default=str)
    dictionary = book.get_sheet_by_name("Kamus Data").to_python()
    by_column = {row[0]: row for row in dictionary[1:]}
    assert set(by_column) == {
        "kode_wilayah", "kecamatan", "kode_rt", "tahun", "jumlah_penduduk", "luas_km2",
        "tanggal_data",
    }  # fmt: skip
    assert by_column["jumlah_penduduk"][1:6] == [
        "Jumlah Penduduk", "Penduduk yang tercatat dalam registrasi.", "integer", "jiwa", "Jumlah"
    ]  # fmt: skip
    assert "Palaran" in by_column["kode_wilayah"][6]
    metadata = dict(row[:2] for row in book.get_sheet_by_name("Metadata").to_python()[1:])
    assert metadata["Judul"] == dataset["title"]
    assert dataset["title"] in metadata["Cara mengutip"]
    assert f"/dataset/{dataset['name']}" in metadata["Cara mengutip"]


def test_csv_and_json_come_from_the_datastore(app, upload):
    resource = upload()

    csv = download(app, resource, "csv")
    assert csv.status_code == 200
    text = csv.get_data().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("_id,kode_wilayah,kecamatan,kode_rt")
    assert "64.72.01,Palaran,001,2024,61234,221.29" in text
    data = json.loads(download(app, resource, "json").get_data())
    assert data["records"][0][1:4] == ["64.72.01", "Palaran", "001"]


def test_the_resource_page_has_one_unduh_menu_and_the_data_api(app, upload):
    resource = upload()

    page = app.get(resource_page(resource)).get_data(as_text=True)

    assert page.count('class="dropdown btn-group sipessut-download"') == 1
    for fmt in ("csv", "xlsx", "json"):
        assert f"/unduh/{fmt}" in page
    assert "Berkas asli" not in page  # the public may not have the original (masked column)
    assert "API Data" in page
    assert f"datastore_search?resource_id={resource['id']}" in page
    assert "filters=" in page
    assert "kode_wilayah" in page
    assert f"/datastore/dump/{resource['id']}" in page
    assert "Dimuat ke DataStore" in page


def test_the_opd_sees_the_original_in_its_unduh_menu(app, upload, opd_editor):
    resource = upload()
    token = helpers.call_action("api_token_create", user=opd_editor["user"]["name"], name="t")[
        "token"
    ]

    page = app.get(resource_page(resource), headers={"Authorization": token})

    assert "Berkas asli" in page.get_data(as_text=True)


def test_a_loaded_table_gets_the_table_preview_then_a_chart(upload):
    resource = upload()

    views = helpers.call_action("resource_view_list", id=resource["id"])

    assert [v["view_type"] for v in views] == ["datatables_view", "sipessut_chart"]
    assert [v["title"] for v in views] == ["Tabel", "Grafik"]  # the portal's language
    chart = views[1]
    assert chart["dimension"] == "kode_wilayah"
    assert chart["measures"] == ["jumlah_penduduk"]  # luas_km2 has another unit


def test_the_chart_draws_bars_by_kecamatan_with_their_names(app, upload):
    resource = upload()
    chart_view = helpers.call_action("resource_view_list", id=resource["id"])[1]

    data = helpers.call_action("sipessut_publicdata_chart", id=resource["id"], lang="id")
    assert data["type"] == "bar"
    assert data["categories"] == [
        "Kecamatan Palaran", "Kecamatan Samarinda Seberang",
        "Kecamatan Samarinda Ulu",
    ]  # fmt: skip
    assert data["series"][0]["name"] == "Jumlah Penduduk (jiwa)"
    assert data["series"][0]["data"] == [61234, 70456, 131902]
    page = app.get(f"{resource_page(resource)}?view_id={chart_view['id']}")
    text = page.get_data(as_text=True)
    assert 'data-module="sipessut-chart"' in text
    # the data table under the chart: names with their codes
    assert 'Kecamatan Palaran <span class="sipessut-code">(64.72.01)</span>' in text
    assert "echarts" in text


def test_a_period_dimension_gives_a_line(upload):
    resource = upload()

    data = helpers.call_action(
        "sipessut_publicdata_chart", id=resource["id"], dimension="tahun",
        measures=["jumlah_penduduk"],
    )  # fmt: skip

    assert data["type"] == "line"
    assert data["categories"] == ["2024"]
    assert data["series"][0]["data"] == [61234 + 70456 + 131902]


def test_the_steward_adjusts_the_chart_in_the_view_form(upload, opd_editor):
    resource = upload()
    chart_view = helpers.call_action("resource_view_list", id=resource["id"])[1]

    helpers.call_action(
        "resource_view_update",
        {"user": opd_editor["user"]["name"]},
        id=chart_view["id"],
        resource_id=resource["id"],
        view_type="sipessut_chart",
        title="Luas",
        measures="luas_km2",
        dimension="kecamatan",
        chart_type="line",
    )

    shown = helpers.call_action("resource_view_show", id=chart_view["id"])
    assert shown["measures"] == ["luas_km2"]
    assert shown["chart_type"] == "line"


def test_the_preview_knows_units_number_formats_and_code_labels(app, upload):
    resource = upload()
    table_view = helpers.call_action("resource_view_list", id=resource["id"])[0]

    page = app.get(
        f"/dataset/{resource['package_id']}/resource/{resource['id']}/view/{table_view['id']}"
    ).get_data(as_text=True)

    start = page.index('id="sipessut-preview-columns">') + len('id="sipessut-preview-columns">')
    settings = json.loads(page[start : page.index("</script>", start)])
    assert settings["lang"] == "id-ID"
    assert settings["columns"]["jumlah_penduduk"] == {"unit": "jiwa", "number": True}
    assert settings["columns"]["kode_wilayah"]["labels"]["64.72.01"] == "Kecamatan Palaran"
    assert "nik_petugas" not in settings["columns"]


def test_the_indikator_page_shows_the_series_of_its_tables(app, opd_editor, upload):
    kegiatan = Kegiatan(owner_org=opd_editor["org"]["id"])
    indikator = Indikator(owner_org=opd_editor["org"]["id"], kegiatan=kegiatan["id"])
    from ckanext.sipessut.tests.factories import Dataset

    linked = Dataset(owner_org=opd_editor["org"]["id"], indikator=[indikator["id"]])
    upload(package_id=linked["id"])

    page = app.get(f"/indikator/{indikator['name']}").get_data(as_text=True)

    assert "Seri indikator ini" in page
    assert 'Kecamatan Palaran <span class="sipessut-code">(64.72.01)</span>' in page
    assert linked["title"] in page


def test_a_visitor_of_another_language_reads_english(app, upload):
    resource = upload()
    factories.User()

    page = app.get(f"/en{resource_page(resource)}").get_data(as_text=True)

    assert "Data API" in page
    assert "Loaded into the DataStore" in page
