"""What the public and the stewards see: facets from the real Solr, forms and pages in id and en."""

from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from ckanext.sipessut.tests.factories import OPD, Dataset, Indikator, Kegiatan

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

FACETS = [
    "vocab_sektor",
    "vocab_jadwal_pemutakhiran",
    "vocab_tingkat_penyajian",
    "vocab_tahun",
    "dataset_type",
]


def _search(app, **params) -> dict:
    return app.get("/api/3/action/package_search", params=params).json["result"]


def _facet_counts(result: dict, facet: str) -> dict[str, tuple[str, int]]:
    return {
        item["name"]: (item["display_name"], item["count"])
        for item in result["search_facets"][facet]["items"]
    }


def test_facets_are_counted_by_solr_and_labelled_in_indonesian(app):
    org = OPD()
    Dataset(owner_org=org["id"], sektor="9", jadwal_pemutakhiran="tahunan", periode_awal="2023")
    Dataset(
        owner_org=org["id"],
        sektor="9",
        jadwal_pemutakhiran="bulanan",
        tingkat_penyajian=["4", "8"],
        periode_awal="2023-07",
        periode_akhir="2024-06",
    )
    Kegiatan(owner_org=org["id"], sektor_kegiatan="5")

    result = _search(app, **{"facet.field": str(FACETS).replace("'", '"')})

    assert _facet_counts(result, "vocab_sektor") == {
        "9": ("Kesehatan", 2),
        "5": ("Pendidikan dan Pelatihan", 1),
    }
    assert _facet_counts(result, "vocab_jadwal_pemutakhiran") == {
        "tahunan": ("Tahunan", 1),
        "bulanan": ("Bulanan", 1),
    }
    assert _facet_counts(result, "vocab_tingkat_penyajian")["8"] == ("Kecamatan", 3)
    assert _facet_counts(result, "vocab_tahun") == {
        "2023": ("2023", 2),
        "2024": ("2024", 1),
        "2025": ("2025", 1),
    }
    assert _facet_counts(result, "dataset_type")["kegiatan"] == ("Kegiatan Statistik (MS-Keg)", 1)


def test_a_facet_filters_the_search(app):
    org = OPD()
    Dataset(owner_org=org["id"], sektor="9", title="Jumlah Puskesmas")
    Dataset(owner_org=org["id"], sektor="5", title="Jumlah Sekolah")

    result = _search(app, fq='vocab_sektor:"9"')
    assert [d["title"] for d in result["results"]] == ["Jumlah Puskesmas"]

    page = app.get("/dataset/", params={"vocab_sektor": "5"})
    assert "Jumlah Sekolah" in page.body
    assert "Jumlah Puskesmas" not in page.body


@pytest.mark.parametrize(
    ("prefix", "texts"),
    [
        (
            "",
            [
                "Produsen Data (OPD)",
                "Sektor",
                "Jadwal Pemutakhiran",
                "Tingkat Penyajian",
                "Kesehatan",
            ],
        ),
        (
            "/en",
            ["Data producer (OPD)", "Sector", "Update schedule", "Level of presentation", "Health"],
        ),
    ],
)
def test_the_search_page_shows_facets_in_the_visitors_language(app, prefix, texts):
    Dataset(owner_org=OPD()["id"], sektor="9")
    page = app.get(f"{prefix}/dataset/")
    for text in texts:
        assert text in page.body, text


@pytest.mark.parametrize(
    ("prefix", "texts"),
    [
        (
            "",
            ["Informasi Umum", "Cakupan dan Jadwal", "Produsen Data (OPD)", "Jadwal Pemutakhiran"],
        ),
        (
            "/en",
            [
                "General information",
                "Coverage and schedule",
                "Data producer (OPD)",
                "Update schedule",
            ],
        ),
    ],
)
def test_the_dataset_form_is_in_sections_in_the_users_language(app, prefix, texts):
    user = factories.User()
    OPD(users=[{"name": user["name"], "capacity": "editor"}])
    page = app.get(f"{prefix}/dataset/new", headers={"Authorization": _token(user)})
    for text in texts:
        assert text in page.body, text


def test_the_kegiatan_form_marks_the_survei_only_block(app):
    user = factories.User()
    OPD(users=[{"name": user["name"], "capacity": "editor"}])
    page = app.get("/kegiatan/new", headers={"Authorization": _token(user)})

    assert "Blok V. Desain Sampel" in page.body
    assert "Apa itu MS-Keg?" in page.body
    assert 'data-module="sipessut-show-if"' in page.body
    assert "&#34;cara_pengumpulan_data&#34;:[&#34;2&#34;]" in page.body


def test_a_table_page_shows_the_metadata_sections_and_links(app):
    org = OPD()
    kegiatan = Kegiatan(owner_org=org["id"], title="Registrasi Penduduk Kota Samarinda")
    table = Dataset(
        owner_org=org["id"], kegiatan=kegiatan["id"], sektor="2", ukuran="Jumlah", satuan="orang"
    )

    page = app.get(f"/dataset/{table['name']}")

    for text in ("Cakupan dan Jadwal", "Demografi dan Kependudukan", "Ukuran dan Satuan", "orang"):
        assert text in page.body, text
    assert f'href="/kegiatan/{kegiatan["name"]}"' in page.body
    assert "Registrasi Penduduk Kota Samarinda" in page.body


def test_a_kegiatan_page_lists_its_tables_and_indicators(app):
    org = OPD()
    kegiatan = Kegiatan(owner_org=org["id"])
    Dataset(owner_org=org["id"], kegiatan=kegiatan["id"], title="Penduduk per Kecamatan")
    Indikator(owner_org=org["id"], kegiatan=kegiatan["id"], title="Laju Pertumbuhan Penduduk")

    page = app.get(f"/kegiatan/{kegiatan['name']}")

    assert "Data dari kegiatan ini" in page.body
    assert "Penduduk per Kecamatan" in page.body
    assert "Indikator dari kegiatan ini" in page.body
    assert "Laju Pertumbuhan Penduduk" in page.body
    assert "Blok IV. Desain Kegiatan" in page.body


def test_a_private_table_is_not_revealed_on_its_kegiatan_page(app):
    org = OPD()
    kegiatan = Kegiatan(owner_org=org["id"])
    Dataset(owner_org=org["id"], kegiatan=kegiatan["id"], title="Data Rahasia", private=True)

    assert "Data Rahasia" not in app.get(f"/kegiatan/{kegiatan['name']}").body


def test_a_private_kegiatan_of_another_opd_cannot_be_linked_or_probed():
    other = OPD()
    hidden = Kegiatan(owner_org=other["id"], name="kegiatan-rahasia", private=True)
    user = factories.User()
    org = OPD(users=[{"name": user["name"], "capacity": "editor"}])

    with pytest.raises(helpers.logic.ValidationError) as error:
        Dataset(owner_org=org["id"], user=user, kegiatan=hidden["name"])
    assert error.value.error_dict == {
        "kegiatan": ["There is no statistical activity called kegiatan-rahasia"]
    }


def test_a_script_gets_a_409_in_indonesian_naming_the_field(app):
    user = factories.User()
    org = OPD(users=[{"name": user["name"], "capacity": "editor"}])
    response = app.post(
        "/api/3/action/package_create",
        json={
            "name": "penduduk",
            "title": "Penduduk",
            "owner_org": org["id"],
            "private": True,
            "sektor": "99",
            "jadwal_pemutakhiran": "tiap-saat",
        },
        headers={"Authorization": _token(user)},
        status=409,
    )
    error = response.json["error"]
    assert error["sektor"] == ["99 tidak ada dalam daftar Sektor"]
    assert error["jadwal_pemutakhiran"] == ["tiap-saat tidak ada dalam daftar Jadwal Pemutakhiran"]


def _token(user) -> str:
    return helpers.call_action(
        "api_token_create", {"user": user["name"]}, user=user["name"], name="test"
    )["token"]


@pytest.mark.parametrize(
    ("prefix", "texts", "not_texts"),
    [
        ("", ["Cari kegiatan statistik...", "Kegiatan Statistik"], ["Kegiatans"]),
        ("/en", ["Search statistical activities...", "Statistical activities"], ["Kegiatans"]),
    ],
)
def test_kegiatan_pages_name_the_type_properly(app, prefix, texts, not_texts):
    Kegiatan(owner_org=OPD()["id"])
    page = app.get(f"{prefix}/kegiatan/")
    for text in texts:
        assert text in page.body, text
    for text in not_texts:
        assert text not in page.body, text
