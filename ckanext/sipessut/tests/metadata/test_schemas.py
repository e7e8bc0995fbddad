"""The three dataset types through the API, on the real stack: create, update, show, conditions."""

from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from ckanext.sipessut.tests.factories import OPD, Dataset, Indikator, Kegiatan

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

REQUIRED_MESSAGE = "Required for a public dataset: fill it in, or keep the dataset private"


def _publisher_and_org():
    """A sysadmin, who publishes directly; an OPD editor's datasets go through the review."""
    return factories.Sysadmin(), OPD()


def _create(user, **data):
    return helpers.call_action("package_create", {"user": user["name"]}, **data)


def _errors(user, **data) -> dict:
    with pytest.raises(helpers.logic.ValidationError) as error:
        _create(user, **data)
    return error.value.error_dict


@pytest.mark.parametrize("dataset_type", ["dataset", "kegiatan", "indikator"])
def test_each_schema_is_published_through_the_api(app, dataset_type):
    schema = app.get(
        "/api/3/action/scheming_dataset_schema_show", params={"type": dataset_type}
    ).json["result"]
    names = [field["field_name"] for field in schema["dataset_fields"]]
    assert schema["dataset_type"] == dataset_type
    assert {"title", "name", "owner_org"} <= set(names)


def test_a_complete_data_table_is_stored_and_shown_with_its_codes():
    user, org = _publisher_and_org()
    created = Dataset(
        owner_org=org["id"],
        user=user,
        urusan=["2.12"],
        kode_sds="sp00001.00.00",
        periode_awal="2022",
        periode_akhir="2024",
        tingkat_penyajian=["4", "8"],
        tanggal_rilis_terakhir="2025-01-31",
        tanggal_rilis_berikutnya="2026-01-31",
        ukuran="Jumlah",
        satuan="orang",
    )
    shown = helpers.call_action("package_show", id=created["id"])

    assert shown["sektor"] == "2"
    assert shown["urusan"] == ["2.12"]
    assert shown["tingkat_penyajian"] == ["4", "8"]
    assert shown["kode_sds"] == "SP00001.00.00"
    assert shown["kode_wilayah"] == "64.72"
    assert shown["tanggal_rilis_berikutnya"] == "2026-01-31"


def test_a_public_table_without_satu_data_fields_is_refused_field_by_field():
    user, org = _publisher_and_org()
    errors = _errors(user, name="tabel-kosong", title="Tabel", owner_org=org["id"])

    for field in (
        "notes",
        "sektor",
        "sumber_data",
        "periode_awal",
        "jadwal_pemutakhiran",
        "tingkat_penyajian",
        "kode_wilayah",
        "pengaturan_akses",
    ):
        assert errors[field] == [REQUIRED_MESSAGE], field


def test_a_private_draft_may_be_incomplete_and_completed_later():
    user, org = _publisher_and_org()
    draft = _create(user, name="draf", title="Draf", owner_org=org["id"], private=True)
    assert draft["private"] is True

    with pytest.raises(helpers.logic.ValidationError) as error:
        helpers.call_action("package_patch", {"user": user["name"]}, id=draft["id"], private=False)
    assert error.value.error_dict["sektor"] == [REQUIRED_MESSAGE]


def test_unit_is_required_once_a_measure_is_given():
    user, org = _publisher_and_org()
    errors = _errors(user, **{**_complete_table(org), "ukuran": "Persentase", "satuan": ""})
    assert errors == {"satuan": [REQUIRED_MESSAGE]}


def _complete_table(org) -> dict:
    return {
        "name": "penduduk",
        "title": "Jumlah Penduduk",
        "owner_org": org["id"],
        "notes": "Jumlah penduduk.",
        "sektor": "2",
        "sumber_data": "Registrasi",
        "periode_awal": "2024",
        "jadwal_pemutakhiran": "tahunan",
        "tingkat_penyajian": ["8"],
        "kode_wilayah": "64.72",
        "pengaturan_akses": "terbuka",
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"sektor": "99"}, "sektor", "99 is not in the list of Sector"),
        ({"tingkat_penyajian": ["8", "3"]}, "tingkat_penyajian", "3 is not in the list of Level of presentation"),
        ({"kode_wilayah": "64.02"}, "kode_wilayah", "64.02 is not in the list of Area covered"),
        ({"kode_wilayah": "64"}, "kode_wilayah", "64 is outside this portal's region (64.72)"),
        ({"periode_awal": "24"}, "periode_awal", "24 is not a period: write a year (2024), a month (2024-06) or a date (2024-06-30)"),
        ({"periode_awal": "2024-06", "periode_akhir": "2024-05"}, "periode_akhir", "2024-05 is before 2024-06"),
        ({"tanggal_rilis_terakhir": "31/01/2025"}, "tanggal_rilis_terakhir", "31/01/2025 is not a date: write it as YYYY-MM-DD, e.g. 2025-01-31"),
        ({"kode_sds": "SX00001.00.00"}, "kode_sds", "SX00001.00.00 is not a Standar Data Statistik code: write e.g. SD00001.00.01 (SD, SP, ST, SE or UL, five digits, two, two)"),
        ({"maintainer_email": "dinkes@"}, "maintainer_email", "dinkes@ is not an email address."),
        ({"pengaturan_akses": "tertutup"}, "pengaturan_akses", "Data that is Closed cannot be public: set the visibility to Private"),
        ({"kegiatan": "tidak-ada"}, "kegiatan", "There is no statistical activity called tidak-ada"),
    ],
)  # fmt: skip
def test_a_wrong_value_is_refused_with_a_message_naming_it(changes, field, message):
    user, org = _publisher_and_org()
    errors = _errors(user, **{**_complete_table(org), **changes})
    assert errors == {field: [message]}


def test_closed_data_can_be_stored_privately():
    user, org = _publisher_and_org()
    stored = _create(
        user, **{**_complete_table(org), "pengaturan_akses": "tertutup", "private": True}
    )
    assert stored["pengaturan_akses"] == "tertutup"


def test_the_wilayah_defaults_to_the_portal_region_in_the_form(app):
    user, org = _publisher_and_org()
    page = app.get("/dataset/new", headers={"Authorization": _token(user)})
    assert 'value="64.72" selected' in page.body


def _token(user) -> str:
    return helpers.call_action(
        "api_token_create", {"user": user["name"]}, user=user["name"], name="test"
    )["token"]


# --- kegiatan (MS-Keg) ---------------------------------------------------------------


def test_a_complete_compilation_kegiatan_is_stored_without_block_v():
    user, org = _publisher_and_org()
    kegiatan = Kegiatan(owner_org=org["id"], user=user)
    shown = helpers.call_action("package_show", id=kegiatan["id"])

    assert shown["type"] == "kegiatan"
    assert shown["metode_pengumpulan_data"] == ["8"]
    assert shown["variabel_dikumpulkan"][0]["variabel_nama"] == "Jumlah penduduk"
    assert "jenis_rancangan_sampel" not in shown


def test_answers_to_questions_that_do_not_apply_are_not_stored():
    """A compilation keeps no sample design; a one-off activity keeps no frequency."""
    user, org = _publisher_and_org()
    kegiatan = Kegiatan(
        owner_org=org["id"],
        user=user,
        kegiatan_ini_dilakukan="1",
        frekuensi_penyelenggaraan="7",
        jenis_rancangan_sampel="1",
        fraksi_sampel_keseluruhan="0,5",
        rekomendasi_dari_bps="1",
        identitas_rekomendasi="V-23.1600.004",
    )
    shown = helpers.call_action("package_show", id=kegiatan["id"])
    for field in (
        "frekuensi_penyelenggaraan",
        "jenis_rancangan_sampel",
        "fraksi_sampel_keseluruhan",
        "rekomendasi_dari_bps",
        "identitas_rekomendasi",
    ):
        assert field not in shown, field


def test_a_survei_must_describe_its_sample_design():
    user, org = _publisher_and_org()
    with pytest.raises(helpers.logic.ValidationError) as error:
        Kegiatan(owner_org=org["id"], user=user, cara_pengumpulan_data="2")
    assert set(error.value.error_dict) == {
        "rekomendasi_dari_bps",
        "jenis_rancangan_sampel",
        "metode_pemilihan_sampel_tahap_terakhir",
        "metode_yang_digunakan",
        "fraksi_sampel_keseluruhan",
        "sampling_error_variabel_utama",
        "unit_sampel",
        "unit_observasi",
    }


def _survei(**changes) -> dict:
    return {
        "cara_pengumpulan_data": "2",
        "rekomendasi_dari_bps": "1",
        "identitas_rekomendasi": "V-23.1600.004",
        "jenis_rancangan_sampel": "2",
        "metode_pemilihan_sampel_tahap_terakhir": "1",
        "metode_yang_digunakan": "3",
        "kerangka_sampel_tahap_terakhir": "1",
        "fraksi_sampel_keseluruhan": "0,05",
        "sampling_error_variabel_utama": "2,5",
        "unit_sampel": "Rumah tangga",
        "unit_observasi": "Rumah tangga",
        "sarana_pengumpulan_data": ["2"],
        "petugas_pengumpulan_data": "2",
        "pendidikan_terendah_petugas": "2",
        "jumlah_petugas_supervisor": "5",
        "jumlah_petugas_enumerator": "40",
        "pelatihan_petugas": "1",
        **changes,
    }


def test_a_complete_survei_is_stored_with_numbers_normalised():
    user, org = _publisher_and_org()
    kegiatan = Kegiatan(owner_org=org["id"], user=user, **_survei())
    shown = helpers.call_action("package_show", id=kegiatan["id"])
    assert shown["fraksi_sampel_keseluruhan"] == "0.05"
    assert shown["sampling_error_variabel_utama"] == "2.5"
    assert shown["jumlah_petugas_enumerator"] == "40"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"metode_yang_digunakan": "8"}, "metode_yang_digunakan", "Purposive sampling is not a method for a Probability sample"),
        ({"fraksi_sampel_keseluruhan": "1,5"}, "fraksi_sampel_keseluruhan", "1,5 must be between 0 and 1"),
        ({"jumlah_petugas_enumerator": "-3"}, "jumlah_petugas_enumerator", "-3 is not a whole number of zero or more"),
        ({"identitas_rekomendasi": ""}, "identitas_rekomendasi", REQUIRED_MESSAGE),
        ({"kerangka_sampel_tahap_terakhir": ""}, "kerangka_sampel_tahap_terakhir", REQUIRED_MESSAGE),
        ({"jadwal_desain_akhir": "2025-01-15"}, "jadwal_desain_akhir", "2025-01-15 is before 2025-02-01"),
        ({"metode_pengumpulan_data": ["1", "16"]}, "metode_lainnya_text", REQUIRED_MESSAGE),
        ({"pj_teknis_telepon": "telepon kantor"}, "pj_teknis_telepon", "telepon kantor is not a telephone number: use digits, spaces, + ( ) - and separate several numbers with commas."),
        ({"tahun": "25"}, "tahun", "25 is not a year: write four digits, e.g. 2024"),
    ],
)  # fmt: skip
def test_survei_rules_name_the_wrong_answer(changes, field, message):
    user, org = _publisher_and_org()
    with pytest.raises(helpers.logic.ValidationError) as error:
        Kegiatan(owner_org=org["id"], user=user, **_survei(**changes))
    assert error.value.error_dict == {field: [message]}


def test_collectors_block_applies_only_to_interviewer_instruments():
    user, org = _publisher_and_org()
    with pytest.raises(helpers.logic.ValidationError) as error:
        Kegiatan(owner_org=org["id"], user=user, sarana_pengumpulan_data=["1"])
    assert set(error.value.error_dict) == {
        "petugas_pengumpulan_data",
        "pendidikan_terendah_petugas",
        "jumlah_petugas_supervisor",
        "jumlah_petugas_enumerator",
        "pelatihan_petugas",
    }


def test_areas_are_required_only_for_partial_coverage():
    user, org = _publisher_and_org()
    whole_country = Kegiatan(owner_org=org["id"], user=user, cakupan_wilayah="1")
    assert "wilayah_kegiatan" not in helpers.call_action("package_show", id=whole_country["id"])

    with pytest.raises(helpers.logic.ValidationError) as error:
        Kegiatan(owner_org=org["id"], user=user, wilayah_kegiatan=[])
    assert error.value.error_dict == {"wilayah_kegiatan": [REQUIRED_MESSAGE]}


# --- indikator (MS-Ind) and the links between types --------------------------------------


def test_an_indikator_links_its_kegiatan_and_a_table_links_both():
    user, org = _publisher_and_org()
    kegiatan = Kegiatan(owner_org=org["id"], user=user, name="registrasi-penduduk")
    indikator = Indikator(owner_org=org["id"], user=user, kegiatan="registrasi-penduduk")
    table = Dataset(
        owner_org=org["id"], user=user, kegiatan=kegiatan["name"], indikator=[indikator["name"]]
    )

    assert helpers.call_action("package_show", id=indikator["id"])["kegiatan"] == kegiatan["id"]
    shown = helpers.call_action("package_show", id=table["id"])
    assert shown["kegiatan"] == kegiatan["id"]
    assert shown["indikator"] == [indikator["id"]]


def test_a_link_must_point_at_the_right_type():
    user, org = _publisher_and_org()
    table = Dataset(owner_org=org["id"], user=user, name="tabel-lain")
    with pytest.raises(helpers.logic.ValidationError) as error:
        Indikator(owner_org=org["id"], user=user, kegiatan=table["name"])
    assert error.value.error_dict == {
        "kegiatan": ["There is no statistical activity called tabel-lain"]
    }


def test_composite_indicators_list_components_not_variables():
    user, org = _publisher_and_org()
    kegiatan = Kegiatan(owner_org=org["id"], user=user)
    composite = Indikator(
        owner_org=org["id"],
        user=user,
        kegiatan=kegiatan["id"],
        indikator_komposit="1",
        indikator_pembangun=[
            {"nama": "Angka Harapan Hidup", "sumber_publikasi": "Statistik Daerah"}
        ],
    )
    shown = helpers.call_action("package_show", id=composite["id"])
    assert shown["indikator_pembangun"][0]["nama"] == "Angka Harapan Hidup"
    assert "variabel_pembangun" not in shown

    with pytest.raises(helpers.logic.ValidationError) as error:
        Indikator(owner_org=org["id"], user=user, kegiatan=kegiatan["id"], indikator_komposit="1")
    assert error.value.error_dict == {"indikator_pembangun": [REQUIRED_MESSAGE]}


def test_metadata_check_lists_what_a_draft_lacks_before_publishing(app):
    user, org = _publisher_and_org()
    draft = _create(user, name="draf", title="Draf", owner_org=org["id"], private=True, sektor="9")
    token = helpers.call_action(
        "api_token_create", {"user": user["name"]}, user=user["name"], name="t"
    )["token"]

    result = app.get(
        "/api/3/action/sipessut_metadata_check",
        params={"id": draft["name"]},
        headers={"Authorization": token},
    ).json["result"]

    assert result["complete"] is False
    missing = {item["field"]: item["label"] for item in result["missing"]}
    assert missing["jadwal_pemutakhiran"] == "Jadwal Pemutakhiran"
    assert "sektor" not in missing

    app.get("/api/3/action/sipessut_metadata_check", params={"id": draft["name"]}, status=403)


def test_metadata_check_passes_a_complete_dataset():
    user, org = _publisher_and_org()
    table = Dataset(owner_org=org["id"], user=user)
    result = helpers.call_action("sipessut_metadata_check", id=table["id"])
    assert result == {"complete": True, "missing": []}


def test_changing_a_survei_into_a_compilation_drops_its_sample_design():
    user, org = _publisher_and_org()
    kegiatan = Kegiatan(owner_org=org["id"], user=user, **_survei())
    helpers.call_action(
        "package_patch", {"user": user["name"]}, id=kegiatan["id"], cara_pengumpulan_data="3"
    )
    shown = helpers.call_action("package_show", id=kegiatan["id"])
    assert shown["cara_pengumpulan_data"] == "3"
    assert "jenis_rancangan_sampel" not in shown
    assert "fraksi_sampel_keseluruhan" not in shown
    # the collectors block still applies: the instrument is still CAPI
    assert shown["petugas_pengumpulan_data"] == "2"
