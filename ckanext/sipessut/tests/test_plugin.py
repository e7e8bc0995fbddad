"""The extension is installed, loaded by CKAN, and the stack under it is real."""

from __future__ import annotations

import pytest
from ckan.plugins import plugin_loaded

from ckanext.sipessut.tests.factories import OPD, Dataset


def test_portal_reports_the_extension_and_scheming(app):
    """An API user sees both plugins in status_show, as a sysadmin checking an install would."""
    result = app.get("/api/3/action/status_show").json["result"]

    assert "sipessut" in result["extensions"]
    assert "scheming_datasets" in result["extensions"]
    assert plugin_loaded("sipessut")


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_dataset_is_found_by_a_word_of_its_title_in_real_solr(app):
    org = OPD()
    Dataset(owner_org=org["id"], title="Jumlah Penduduk Kecamatan Palaran")
    Dataset(owner_org=org["id"], title="Produksi Padi Sawah")

    found = app.get("/api/3/action/package_search", params={"q": "Palaran"}).json["result"]

    assert found["count"] == 1
    assert found["results"][0]["title"] == "Jumlah Penduduk Kecamatan Palaran"


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_search_returns_facets_from_solr(app):
    org = OPD(name="diskominfo")
    Dataset(owner_org=org["id"], tags=[{"name": "statistik"}])

    result = app.get(
        "/api/3/action/package_search",
        params={"facet.field": '["organization", "tags"]'},
    ).json["result"]

    assert result["facets"]["organization"] == {"diskominfo": 1}
    assert result["facets"]["tags"] == {"statistik": 1}


def test_region_settings_have_samarinda_defaults(ckan_config):
    """A portal that sets nothing serves Kota Samarinda (Kemendagri 64.72)."""
    assert ckan_config["ckanext.sipessut.region_code"] == "64.72"
    assert ckan_config["ckanext.sipessut.region_name"] == "Kota Samarinda"
