"""What the public sees: the OPD identity on its pages, OPDs and datasets by urusan."""

from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from ckanext.sipessut.opd import dataset_urusan
from ckanext.sipessut.tests.factories import OPD, Dataset

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


@pytest.fixture
def diskominfo():
    return OPD(
        name="diskominfo",
        title="Dinas Komunikasi dan Informatika",
        singkatan="Diskominfo",
        kode_skpd="2.16.2.20.2.21.90.0000",
        kode_skpd_status="sementara",
        bidang_urusan=["2.16", "2.20", "2.21"],
        peran="walidata",
        kode_wilayah="64.72",
    )


@pytest.fixture
def dinkes():
    return OPD(
        name="dinkes",
        title="Dinas Kesehatan",
        kode_skpd="1.02.0.00.0.00.01.0000",
        bidang_urusan=["1.02"],
    )


def test_datasets_carry_their_opds_urusan_into_the_search_facets(diskominfo, dinkes):
    Dataset(owner_org=diskominfo["id"])
    Dataset(owner_org=diskominfo["id"])
    Dataset(owner_org=dinkes["id"])

    result = helpers.call_action("package_search", **{"facet.field": '["vocab_urusan"]'})
    by_urusan = helpers.call_action("package_search", fq='vocab_urusan:"2.20"')

    assert result["facets"]["vocab_urusan"] == {"2.16": 2, "2.20": 2, "2.21": 2, "1.02": 1}
    assert by_urusan["count"] == 2


def test_the_dataset_search_page_facets_by_urusan_with_indonesian_names(app, diskominfo):
    Dataset(owner_org=diskominfo["id"])

    page = app.get("/dataset/").body

    assert "Bidang Urusan" in page
    assert "Komunikasi dan Informatika" in page
    assert "vocab_urusan=2.16" in page


def test_changing_an_opds_urusan_reindexes_its_datasets(diskominfo):
    dataset = Dataset(owner_org=diskominfo["id"])

    helpers.call_action(
        "organization_patch",
        {"user": factories.Sysadmin()["name"]},
        id=diskominfo["id"],
        bidang_urusan=["2.20"],
    )

    found = helpers.call_action("package_search", fq='vocab_urusan:"2.16"')
    assert found["count"] == 0
    assert (
        helpers.call_action("package_search", fq='vocab_urusan:"2.20"')["results"][0]["id"]
        == (dataset["id"])
    )


def test_dataset_urusan_is_the_opds_primary_first(diskominfo):
    assert dataset_urusan({"owner_org": diskominfo["id"]}) == ["2.16", "2.20", "2.21"]
    assert dataset_urusan({"owner_org": None}) == []
    assert dataset_urusan({"owner_org": "no-such-organization"}) == []


def _as_sysadmin() -> dict[str, str]:
    # the placeholder flag and the registry's source are for the OPD and the Walidata
    # (tests/portal/test_public_view.py: the public does not see them)
    return {"Authorization": factories.SysadminWithToken()["token"]}


def test_the_organization_page_shows_the_opd_identity(app, diskominfo):
    page = app.get("/organization/diskominfo", headers=_as_sysadmin()).body

    assert "Diskominfo" in page
    assert "Walidata" in page
    assert "Komunikasi dan Informatika" in page
    assert "Statistik" in page
    assert "2.16.2.20.2.21.90.0000" in page
    assert "Sementara (perlu ditinjau)" in page
    assert "Kota Samarinda" in page


def test_the_about_page_shows_the_codes_and_contacts(app, diskominfo):
    helpers.call_action(
        "organization_patch",
        {"user": factories.Sysadmin()["name"]},
        id="diskominfo",
        email="diskominfo@samarindakota.go.id",
        sumber="Perwali <script>alert(1)</script>",
    )

    page = app.get("/organization/about/diskominfo", headers=_as_sysadmin()).body

    assert "diskominfo@samarindakota.go.id" in page
    assert "2.16.2.20.2.21.90.0000" in page
    # User input is escaped.
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_the_organization_list_is_filtered_by_urusan(app, diskominfo, dinkes):
    page = app.get("/organization/", params={"urusan": "1.02"}).body
    everything = app.get("/organization/").body

    assert "Dinas Kesehatan" in page
    assert "Dinas Komunikasi dan Informatika" not in page
    assert "Bidang Urusan: <strong>Kesehatan</strong>" in page
    assert "Tampilkan semua OPD" in page
    assert "Dinas Komunikasi dan Informatika" in everything
    # The filter offers every urusan in use, by name.
    assert "Kesehatan" in everything
    assert "urusan=2.20" in everything


def test_organization_list_filters_by_urusan_through_the_api(diskominfo, dinkes):
    assert helpers.call_action("organization_list", urusan="2.21") == ["diskominfo"]
    assert helpers.call_action("organization_list", urusan=["1.02", "2.16"]) == [
        "dinkes",
        "diskominfo",
    ]
    # A top-level urusan code stands for all its bidang.
    assert helpers.call_action("organization_list", urusan="1") == ["dinkes"]
    assert helpers.call_action("organization_list", urusan="3.27") == []
    assert helpers.call_action("organization_list") == ["dinkes", "diskominfo"]
