"""Findable statistics: the menu, results that say what they are, facets in full, a helpful
empty search, and kegiatan and indikator pages without the table-only messages."""

from __future__ import annotations

from urllib.parse import urlencode

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckanext.sipessut import codelists
from ckanext.sipessut.portal import search
from ckanext.sipessut.tests.factories import Dataset
from ckanext.sipessut.tests.portal.language import texts


def _results(page: str) -> list[str]:
    """Each search result's text, in order."""
    items = page.split('<li class="dataset-item">')[1:]
    return [" ".join(texts(item.split("</li>\n  <li", 1)[0])) for item in items]


def test_the_main_menu_leads_to_data_kegiatan_indikator_opd_and_about(app, people):
    menu = app.get("/").body.split('id="main-navigation-toggle"', 1)[1].split("</ul>", 1)[0]

    for href, label in (
        ("/dataset/", "Data"),
        ("/kegiatan/", "Kegiatan Statistik"),
        ("/indikator/", "Indikator"),
        ("/organization/", "OPD"),
        ("/about", "Tentang"),
        ("/jadwal-rilis", "Jadwal Rilis"),
        ("/permintaan-data", "Permintaan Data"),
    ):
        assert f'href="{href}"' in menu
        assert label in menu
    assert "/group/" not in menu
    assert menu.count("Jadwal Rilis") == 1  # the portal's entry and the monitoring's are one


def test_a_result_says_what_it_is_whose_when_at_which_level_and_if_it_passed(app, catalogue):
    results = _results(app.get("/dataset/").body)

    table = next(text for text in results if "Jumlah Penduduk Menurut" in text)
    assert table.startswith("Tabel data")
    assert "Dinas Kependudukan dan Pencatatan Sipil" in table
    assert "2024" in table
    assert "Disajikan menurut: Kecamatan" in table
    assert "Validasi sedang berjalan" in table  # its linked table waits for the worker

    kegiatan = next(text for text in results if "Kompilasi Registrasi" in text)
    assert kegiatan.startswith("Kegiatan Statistik")
    assert "2025" in kegiatan
    assert "Disajikan menurut: Kabupaten/Kota, Kecamatan" in kegiatan

    indikator = next(text for text in results if "Kepadatan Penduduk" in text)
    assert indikator.startswith("Indikator")
    # an indikator says what it is by its definition, not "There is no description"
    assert "Jumlah penduduk yang tercatat pada akhir tahun." in indikator
    assert "Belum ada deskripsi" not in indikator


def test_facet_labels_are_shown_in_full(app, catalogue):
    page = app.get("/dataset/").body
    label = codelists.get("sektor").label("2", "id")
    assert len(label) > 22

    assert f'<span class="item-label">{label}</span>' in page
    assert "Demografi dan Kependu..." not in page
    # each filter link is named by what it shows, not by the field's key
    assert "Cari kumpulan data menurut vocab_" not in page


def test_the_groups_facet_is_not_offered(app, catalogue):
    assert "groups=" not in app.get("/dataset/").body


def test_an_empty_search_suggests_a_spelling_that_finds_data(app, catalogue):
    page = app.get("/dataset/", params={"q": "pendudk"}).body

    assert "Mungkin maksud Anda:" in page
    assert "?q=penduduk" in page
    # and offers the sektor with data
    assert "Atau telusuri data menurut sektor" in page
    assert "vocab_sektor=2" in page


def test_a_suggestion_never_names_words_only_private_datasets_hold(catalogue):
    """ "Tersembunyi" is in a private draft's title only: no public dataset would be found."""
    assert search.suggestions("tersembunyii") == []
    public = helpers.call_action("package_search", q="penduduk")["count"]
    assert search.suggestions("penduduuk") == [{"q": "penduduk", "count": public}]


def test_an_empty_filtered_search_offers_to_drop_the_filters(app, catalogue):
    page = app.get("/dataset/", params={"q": "puskesmas", "vocab_sektor": "2"}).body

    assert "Cari lagi tanpa penyaring" in page
    assert "/dataset/?q=puskesmas" in page


@pytest.mark.parametrize("dataset_type", ["kegiatan", "indikator"])
def test_kegiatan_and_indikator_pages_carry_no_table_only_messages(app, catalogue, dataset_type):
    pkg = getattr(catalogue, dataset_type)

    page = app.get(f"/{dataset_type}/{pkg['name']}").body

    assert "Kumpulan data ini belum berisi data" not in page
    assert "Lisensi tidak disebutkan" not in page
    assert "Data dan Sumber Daya" not in page


def test_a_table_page_keeps_its_data_and_licence(app, catalogue):
    page = app.get(f"/dataset/{catalogue.table['name']}").body

    assert "Data dan Sumber Daya" in page
    assert "Creative Commons Atribusi 4.0 (CC BY 4.0)" in page


def test_kegiatan_and_indikator_searches_count_in_indonesian(app, catalogue):
    assert "1 kegiatan statistik ditemukan" in app.get("/kegiatan/").body
    assert "1 indikator ditemukan" in app.get("/indikator/").body
    assert "1 statistical activity found" in app.get("/en/kegiatan/").body


def test_words_of_titles_and_keywords_are_indexed_for_spelling(people):
    words = search.words_of(
        {"title": "Jumlah Puskesmas 2024, Kota Samarinda", "tags": [{"name": "Kesehatan"}]}
    )

    assert words == ["jumlah", "puskesmas", "kota", "samarinda", "kesehatan"]
    Dataset(owner_org=people.opd["id"], title="Luas Panen Padi")
    assert search.suggestions("panem padi") == [{"q": "panen padi", "count": 1}]


FACET_ARGS = st.lists(
    st.tuples(
        st.sampled_from(["q", "vocab_sektor", "organization", "page", "sort", "tags"]),
        st.sampled_from(["2", "9", "opd-a", "a b", "kesehatan & gizi", "ä/ü?", ""]),
    ),
    max_size=6,
)
FACET_ITEMS = st.lists(
    st.fixed_dictionaries(
        {"name": st.sampled_from(["2", "9", "opd-a", "a b", "ä/ü?"]), "active": st.booleans()}
    ),
    max_size=5,
)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(args=FACET_ARGS, name=st.sampled_from(["vocab_sektor", "organization"]), items=FACET_ITEMS)
def test_facet_links_are_the_ones_ckan_builds(app, args, name, items):
    """The facet items' links, built from one address, are CKAN's add_url_param and
    remove_url_param links, whatever the search already holds."""
    with app.flask_app.test_request_context("/dataset/?" + urlencode(args)):
        ours = tk.h.sipessut_portal_facet_links(name, items)
        for item, link in zip(items, ours, strict=True):
            if item["active"] and (name, item["name"]) in [(k, v) for k, v in args if k != "page"]:
                expected = tk.h.remove_url_param(name, item["name"])
            elif item["active"]:
                continue  # CKAN raises on removing a filter the search does not hold
            else:
                expected = tk.h.add_url_param(new_params={name: item["name"]})
            assert link == expected
