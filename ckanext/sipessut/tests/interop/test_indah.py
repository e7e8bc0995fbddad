"""BPS INDAH: a kegiatan's MS-Keg, MS-Var and MS-Ind in INDAH's structure and codes (JSON
and XLSX), the printable MS-Keg, and the Kode Metadata on the kegiatan."""

from __future__ import annotations

import io

from python_calamine import CalamineWorkbook

from ckanext.sipessut.interop.indah import MSVAR_HEADER


def test_indah_json_has_the_three_instruments(app, catalogue):
    export = app.get(f"/kegiatan/{catalogue.kegiatan['name']}/indah.json").json
    keg = export["kegiatan"]
    assert keg["version"] == "v2"
    assert keg["submission_period"] == "2025"
    assert keg["produsen_data"]["name"] == "Dinas Kesehatan"
    assert keg["produsen_data"]["city_code"] == "6472"
    data = keg["data"]
    assert data["judul_kegiatan"] == catalogue.kegiatan["title"]
    assert data["kode_metadata"] == "KEG-6472-0001"
    assert data["jenis_statistik"] == "STATISTIK_SEKTORAL"
    assert data["cara_pengumpulan_data"] == "KOMPILASI_PRODUK_ADMINISTRASI"
    assert data["blok_iii"]["jadwal"]["pengumpulan"] == {
        "awal": "2025-03-01",
        "akhir": "2025-06-30",
    }
    blok_iv = data["blok_iv"]
    assert blok_iv["kegiatan_ini_dilakukan"] == "BERULANG"
    assert blok_iv["frekuensi_penyelenggaraan"] == "TAHUNAN"
    assert blok_iv["tipe_pengumpulan_data"] == "CROSS_SECTIONAL"
    assert blok_iv["metode_pengumpulan_sekunder"] is True
    assert blok_iv["metode_wawancara"] is False
    assert blok_iv["metode_pengumpulan_data_kode"] == 8
    assert blok_iv["sarana_cawi"] is True
    assert blok_iv["unit_individu"] is True
    blok_vii = data["blok_vii"]
    assert blok_vii["metode_analisis"] == "DESKRIPTIF"
    assert blok_vii["tingkat_kabupaten_kota"] is True
    assert blok_vii["tingkat_lainnya"] is True  # Kecamatan: INDAH has no box for it
    assert blok_vii["tingkat_lainnya_text"] == "Kecamatan"
    assert blok_vii["tingkat_penyajian_hasil_kode"] == 12
    assert data["blok_v"] is None  # not a survei

    variables = {v["data"]["alias"]: v for v in export["variabel"]}
    assert set(variables) >= {"kode_wilayah", "kecamatan", "jumlah_penduduk", "nik_petugas"}
    wilayah = variables["kode_wilayah"]["data"]
    assert wilayah["nama"] == "Kode wilayah"
    assert wilayah["aturan_validasi"] == ["HARUS TERISI"]
    assert {"kode": "64.72.01", "nilai": "Kecamatan Palaran"} in wilayah["value_domain"]
    assert variables["kode_wilayah"]["ms_keg_id"] == "KEG-6472-0001"
    assert variables["jumlah_penduduk"]["data"]["tipe_data"] == "INTEGER"
    assert variables["jumlah_penduduk"]["data"]["satuan"] == "jiwa"
    assert variables["kecamatan"]["data"]["tipe_data"] == "CHARACTER"
    assert variables["nik_petugas"]["data"]["apakah_variabel_bisa_diakses_umum"] is False

    [indikator] = export["indikator"]
    assert indikator["data"]["nama"] == catalogue.indikator["title"]
    assert indikator["data"]["apakah_indikator_komposit"] is False
    assert indikator["data"]["variabel_pembangun"][0]["nama"] == "Jumlah penduduk"
    assert indikator["data"]["level_estimasi"] == "KECAMATAN"


def test_one_xlsx_per_kegiatan_to_copy_from(app, catalogue):
    response = app.get(f"/kegiatan/{catalogue.kegiatan['name']}/indah.xlsx")
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.get_data()))
    assert book.sheet_names == ["MS-Keg", "MS-Var", "MS-Ind"]
    keg = [[str(c) for c in r] for r in book.get_sheet_by_name("MS-Keg").to_python()]
    assert keg[0][:2] == ["Kode Metadata (INDAH)", "KEG-6472-0001"]
    flat = [cell for row in keg for cell in row]
    assert "Kompilasi Produk Administrasi" in flat
    var = [[str(c) for c in r] for r in book.get_sheet_by_name("MS-Var").to_python()]
    header = var.index(list(MSVAR_HEADER))
    assert len([r for r in var[header + 1 :] if any(r)]) >= 4
    ind = [[str(c) for c in r] for r in book.get_sheet_by_name("MS-Ind").to_python()]
    assert any(catalogue.indikator["title"] in row for row in ind)


def test_printable_ms_keg_in_the_blocks_of_the_bps_form(app, catalogue):
    page = app.get(f"/kegiatan/{catalogue.kegiatan['name']}/ms-keg")
    assert page.status_code == 200
    body = page.body
    assert "METADATA KEGIATAN STATISTIK (MS-KEG)" in body
    for block in ("Blok I-II", "Blok III", "Blok IV", "Blok VI", "Blok VII"):
        assert block in body
    assert "Blok V. Desain Sampel" not in body  # a survei-only block, not for a kompromin
    assert "Kompilasi Produk Administrasi" in body
    assert "KEG-6472-0001" in body
    assert "interop" in body
    assert ".css" in body


def test_kode_metadata_is_shown_on_the_kegiatan(app, catalogue):
    body = app.get(f"/kegiatan/{catalogue.kegiatan['name']}").body
    assert "KEG-6472-0001" in body
    assert f"/kegiatan/{catalogue.kegiatan['name']}/ms-keg" in body


def test_a_private_kegiatan_is_not_exported_to_visitors(app, catalogue):
    name = catalogue.secret_kegiatan["name"]
    for suffix in ("indah.json", "indah.xlsx", "ms-keg"):
        assert app.get(f"/kegiatan/{name}/{suffix}").status_code == 404, suffix
    headers = {"Authorization": catalogue.sysadmin["token"]}
    assert app.get(f"/kegiatan/{name}/indah.json", headers=headers).status_code == 200
