"""The region's home page: its name, logo and colours, the figures Solr counts, the tiles,
the latest releases and the data the Walidata features."""

from __future__ import annotations

import datetime
import re

import pytest
from ckan.lib import search

from ckanext.sipessut.portal import home
from ckanext.sipessut.tests.factories import Dataset
from ckanext.sipessut.tests.portal.conftest import act, as_user
from ckanext.sipessut.tests.portal.language import texts


def _figures(html: str) -> dict[str, str]:
    """The headline figures as a visitor reads them: {"tabel data": "2", ...}."""
    block = html.split('class="sipessut-figures', 1)[1].split("</ul>", 1)[0]
    found = {}
    for item in re.findall(r"<li>(.*?)</li>", block, re.S):
        parts = texts(item)
        found[" ".join(parts[1:])] = parts[0]
    return found


def test_the_home_page_is_the_regions_own(app, catalogue):
    page = app.get("/").body

    assert "Portal Satu Data Kota Samarinda" in page
    assert "/sipessut/logo-satu-data.svg" in page
    assert "--sipessut-primary:#0b6b57" in page
    # CKAN is named once, in the footer; none of its placeholder content is left.
    assert "Didukung oleh" in page
    assert ">CKAN</a>" in page
    for stock in ("Selamat datang di CKAN", "Welcome to CKAN", "placeholder-420x220", "ckan-logo"):
        assert stock not in page


def test_the_headline_figures_count_public_data_only(app, catalogue):
    figures = _figures(app.get("/").body)

    assert figures["tabel data"] == "2"
    assert figures["kegiatan statistik"] == "1"
    assert figures["indikator"] == "1"
    assert figures["OPD menerbitkan data"] == "2"
    # the last change, as a date in Indonesian ("2 Desember 2026")
    assert re.fullmatch(
        r"\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|"
        r"November|Desember) \d{4}",
        figures["pembaruan terakhir"],
    )


def test_numbers_are_written_the_indonesian_way(app):
    """12.345 in Indonesian, 12,345 in English: counts pass through the visitor's locale."""
    from flask_babel import force_locale

    from ckanext.sipessut.portal import helpers

    with app.flask_app.test_request_context("/"):
        with force_locale("id"):
            assert helpers.number(12345) == "12.345"
        with force_locale("en"):
            assert helpers.number(12345) == "12,345"


def test_tiles_by_sektor_and_by_opd_link_to_their_data_with_counts(app, catalogue):
    page = app.get("/").body

    assert 'href="/dataset/?dataset_type=dataset&amp;vocab_sektor=2"' in page
    assert "Demografi dan Kependudukan" in page
    assert 'href="/dataset/?dataset_type=dataset&amp;vocab_sektor=9"' in page
    assert 'href="/organization/disdukcapil"' in page
    opd_tile = page.split('href="/organization/disdukcapil"', 1)[1].split("</a>", 1)[0]
    # the tiles count data tables, as they say: Disdukcapil's table, not its kegiatan
    # and indikator
    assert "1 tabel data" in opd_tile
    # a sektor only a private draft has is not offered
    assert "vocab_sektor=7" not in page


def test_latest_releases_are_tables_newest_release_first(app, catalogue):
    latest = app.get("/").body.split("Rilis terbaru", 1)[1].split("</section>", 1)[0]

    first = latest.index("Jumlah Penduduk Menurut Kecamatan, 2024")
    second = latest.index("Jumlah Puskesmas, 2023")
    assert first < second
    assert "dirilis 31 Maret 2025" in latest
    assert "Kompilasi Registrasi Penduduk" not in latest  # a kegiatan is not a release
    assert "Rahasia Draf" not in latest


def test_the_upcoming_releases_come_from_the_release_calendar(app, people, catalogue):
    soon = (datetime.date.today() + datetime.timedelta(days=20)).isoformat()
    people.published(title="Jumlah Kunjungan Wisata, 2025", tanggal_rilis_berikutnya=soon)
    hidden = people.draft(title="Draf Rilis Rahasia", tanggal_rilis_berikutnya=soon)

    page = app.get("/").body
    upcoming = page.split("Rilis mendatang", 1)[1].split("</div>", 1)[0]

    assert "Jumlah Kunjungan Wisata, 2025" in upcoming
    # with its date, in Indonesian ("22 Desember 2026")
    day = datetime.date.fromisoformat(soon)
    assert re.search(rf"\b{day.day} [A-Z][a-z]+ {day.year}\b", upcoming), upcoming
    assert hidden["title"] not in page  # a private draft's release is not announced


def test_the_walidata_features_datasets_in_the_order_it_chose(app, people, catalogue):
    act(
        "sipessut_portal_featured_update",
        people.reviewer,
        datasets=[catalogue.indikator["name"], catalogue.health_table["name"]],
    )

    featured = app.get("/").body.split("Data unggulan", 1)[1].split("</section>", 1)[0]

    assert featured.index("Kepadatan Penduduk") < featured.index("Jumlah Puskesmas, 2023")
    assert "Jumlah Penduduk Menurut Kecamatan" not in featured
    assert "Indikator" in featured
    assert "Tabel data" in featured


def test_the_configured_featured_datasets_serve_until_the_walidata_chooses(
    app, people, catalogue, ckan_config, monkeypatch
):
    """The option starts the list; once the Walidata has chosen (even nothing), its choice holds."""
    monkeypatch.setitem(
        ckan_config, "ckanext.sipessut.portal.featured_datasets", [catalogue.table["name"]]
    )
    assert "Jumlah Penduduk Menurut Kecamatan" in app.get("/").body.split("Data unggulan")[1]

    act("sipessut_portal_featured_update", people.reviewer, datasets=[])

    assert "Data unggulan" not in app.get("/").body  # nothing featured, nobody to choose


def test_only_the_walidata_sees_the_link_to_choose(app, people, catalogue):
    link = "/walidata/unggulan"

    assert link not in app.get("/").body
    assert link not in app.get("/", headers=as_user(people.editor)).body
    assert link in app.get("/", headers=as_user(people.reviewer)).body


@pytest.mark.ckan_config("ckanext.sipessut.region_name", "Kabupaten Kutai Kartanegara")
@pytest.mark.ckan_config("ckanext.sipessut.portal.colour_primary", "#1a4d8f")
@pytest.mark.ckan_config("ckanext.sipessut.portal.logo", "/kukar/logo.svg")
def test_name_colour_and_logo_come_from_the_configuration(app, people):
    page = app.get("/").body

    assert "Portal Satu Data Kabupaten Kutai Kartanegara" in page
    assert "--sipessut-primary:#1a4d8f" in page
    assert 'src="/kukar/logo.svg"' in page


@pytest.mark.ckan_config("ckanext.sipessut.portal.colour_primary", "red;}body{display:none")
def test_a_colour_that_is_not_one_never_reaches_the_stylesheet(app, people):
    page = app.get("/").body

    assert "display:none" not in page
    assert "--sipessut-primary:#0b6b57" in page


@pytest.mark.ckan_config("ckan.site_logo", "/uploads/admin/logo-pemkot.png")
def test_a_logo_the_sysadmin_uploaded_replaces_ours(app, people):
    page = app.get("/").body

    assert 'src="/uploads/admin/logo-pemkot.png"' in page
    assert "logo-satu-data.svg" not in page


@pytest.mark.ckan_config("ckanext.sipessut.portal.home_cache_seconds", 60)
def test_figures_are_kept_briefly_and_an_index_change_clears_them(app, people, catalogue):
    assert _figures(app.get("/").body)["tabel data"] == "2"

    # Another process empties the index: this one keeps its figures for a while...
    search.clear_all()
    assert _figures(app.get("/").body)["tabel data"] == "2"
    home.forget()
    assert _figures(app.get("/").body)["tabel data"] == "0"

    # ...and a change this process indexes clears them at once.
    Dataset(owner_org=people.opd["id"], title="Jumlah Kelahiran, 2024")
    assert _figures(app.get("/").body)["tabel data"] == "1"


def test_an_empty_portal_says_so_instead_of_showing_empty_lists(app, people):
    page = app.get("/").body

    assert "Belum ada tabel data yang ditayangkan." in page
    assert _figures(page)["tabel data"] == "0"
