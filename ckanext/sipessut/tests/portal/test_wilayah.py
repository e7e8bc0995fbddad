"""The wilayah facet: the kecamatan and kelurahan a dataset has figures for, from its
metadata (its area, its tables' code-list columns, its level of presentation)."""

from __future__ import annotations

from ckan.tests import helpers

from ckanext.sipessut import codelists
from ckanext.sipessut.portal import wilayah
from ckanext.sipessut.tests.factories import Dataset
from ckanext.sipessut.tests.portal.conftest import KECAMATAN_COLUMN

KECAMATAN = [c.code for c in codelists.get("wilayah").where(level="kecamatan")]
KELURAHAN = [c.code for c in codelists.get("wilayah").where(level="kelurahan")]


def _table(columns=(), **fields):
    return {
        "type": "dataset",
        "kode_wilayah": "64.72",
        "tingkat_penyajian": ["4"],
        "resources": [{"data_dictionary": {"fields": list(columns)}}],
        **fields,
    }


def test_a_city_table_without_a_breakdown_covers_the_city_only():
    assert wilayah.coverage(_table()) == ["64.72"]


def test_a_column_of_kecamatan_codes_covers_every_kecamatan():
    assert wilayah.coverage(_table([KECAMATAN_COLUMN])) == ["64.72", *KECAMATAN]


def test_a_column_of_kelurahan_codes_covers_every_kelurahan_and_their_kecamatan():
    column = {"name": "kode", "codelist": {"name": "wilayah", "where": {"level": "kelurahan"}}}

    covered = wilayah.coverage(_table([column]))

    assert set(covered) == {"64.72", *KECAMATAN, *KELURAHAN}


def test_a_kecamatan_table_by_kelurahan_covers_that_kecamatan_only():
    column = {"name": "kode", "codelist": {"name": "wilayah", "where": {"level": "kelurahan"}}}

    covered = wilayah.coverage(_table([column], kode_wilayah="64.72.01"))

    assert covered[0] == "64.72.01"
    assert {code for code in covered if code.count(".") == 3} == {
        code for code in KELURAHAN if code.startswith("64.72.01.")
    }
    assert "64.72.02" not in covered


def test_a_dictionary_sent_as_json_text_counts_too():
    table = _table()
    table["resources"] = [{"data_dictionary": '{"fields": [{"name": "k", "codelist": '
                                              '{"name": "wilayah", "where": {"level": "kecamatan"}}}]}'}]  # fmt: skip

    assert set(KECAMATAN) <= set(wilayah.coverage(table))


def test_presentation_by_kecamatan_covers_every_kecamatan():
    assert set(KECAMATAN) <= set(wilayah.coverage(_table(tingkat_penyajian=["8"])))


def test_an_indikator_estimated_by_kecamatan_covers_them():
    indikator = {"type": "indikator", "level_estimasi": "kecamatan"}

    assert wilayah.coverage(indikator) == ["64.72", *KECAMATAN]


def test_an_area_outside_the_region_falls_back_to_the_region():
    assert wilayah.coverage(_table(kode_wilayah="64.71")) == ["64.72"]


def test_the_search_page_filters_by_wilayah_with_names(app, catalogue):
    found = helpers.call_action("package_search", fq='vocab_wilayah:"64.72.03"')["results"]
    names = {pkg["name"] for pkg in found}

    # the table by kecamatan, the kegiatan presented by kecamatan, the indikator by kecamatan
    assert catalogue.table["name"] in names
    assert catalogue.kegiatan["name"] in names
    assert catalogue.indikator["name"] in names
    assert catalogue.health_table["name"] not in names  # presented by kota only

    page = app.get("/dataset/").body
    assert "Wilayah" in page
    assert "Kecamatan Samarinda Ulu" in page
    assert "vocab_wilayah=64.72.03" in page


def test_a_changed_dictionary_changes_the_coverage(people):
    dataset = Dataset(owner_org=people.opd["id"], tingkat_penyajian=["4"])
    assert helpers.call_action("package_search", fq='vocab_wilayah:"64.72.05"')["count"] == 0

    helpers.call_action(
        "resource_create",
        {"user": people.sysadmin["name"]},
        package_id=dataset["id"],
        url="http://example.com/t.csv",
        format="CSV",
        data_dictionary={"fields": [KECAMATAN_COLUMN]},
    )

    assert helpers.call_action("package_search", fq='vocab_wilayah:"64.72.05"')["count"] == 1
