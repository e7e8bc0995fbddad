"""The national portal's DCAT harvester (ckanext-dcat 2.4, stock DCAT-AP 3 profile, no
sipessut) harvests our /catalog.ttl: the Satu Data fields arrive as DCAT fields."""

from __future__ import annotations

import json

import pytest

from ckanext.sipessut.interop import vocab
from ckanext.sipessut.tests.interop import harvesting
from ckanext.sipessut.tests.interop.conftest import SECRET, act


@pytest.fixture(scope="module")
def stage(catalogue, tmp_path_factory):
    directory = tmp_path_factory.mktemp("harvest-dcat")
    with harvesting.our_portal(directory) as portal, harvesting.plain_ckan(directory) as plain:
        yield portal, plain


def _by_guid(plain, portal):
    found = {}
    for copy in plain.datasets().values():
        guid = harvesting.extras(copy).get("guid", "")
        if copy["state"] == "active":
            found[guid.rsplit("/", 1)[-1]] = copy
    return found


def test_the_national_portal_harvests_us_with_the_dcat_harvester(stage, catalogue):
    portal, plain = stage
    source = plain.source("samarinda-dcat", f"{portal}/catalog.ttl", "dcat_rdf")

    stats = plain.harvest(source)
    assert stats["added"] == len(catalogue.published)
    harvested = _by_guid(plain, portal)
    assert set(harvested) == {d["id"] for d in catalogue.published}
    for pkg in catalogue.published:
        copy = harvested[pkg["id"]]
        assert copy["title"] == pkg["title"]
        assert copy["notes"] == pkg["notes"]
        fields = harvesting.extras(copy)
        assert fields["publisher_name"] == "Dinas Kesehatan"
        assert fields["publisher_identifier"] == "1.02.0.00.0.00.01.0000"
        assert fields["access_rights"] == vocab.EU_ACCESS_RIGHT + "PUBLIC"
        assert fields["spatial_uri"] == f"{portal}/codelist/wilayah/{pkg['kode_wilayah']}"
        # The table has a column that is not public (nik_petugas): the harvest never points
        # at its original file, and what it points at holds none of that column.
        bodies = harvesting.downloads_answer(portal, copy)
        assert all("/download/" not in r["url"] for r in copy["resources"])
        assert bodies
        assert all(SECRET.encode() not in body for body in bodies)
    first = harvesting.extras(harvested[catalogue.published[0]["id"]])
    assert harvested[catalogue.published[0]["id"]]["license_id"] == "cc-by"
    assert first["frequency"] == vocab.EU_FREQUENCY + "ANNUAL"
    assert first["temporal_start"].startswith("2024")
    assert first["spatial_text"] == "Kota Samarinda"
    assert f"{portal}/codelist/sektor/2" in json.loads(first["theme"])
    second = harvesting.extras(harvested[catalogue.published[1]["id"]])
    assert second["frequency"] == vocab.EU_FREQUENCY + "MONTHLY"
    assert second["temporal_start"].startswith("2023-01")
    hidden_ids = {pkg["id"] for pkg in catalogue.hidden.values()}
    assert not hidden_ids & set(_by_guid(plain, portal))

    # a change arrives at the next harvest (this harvester updates every dataset it lists)
    changed = catalogue.published[0]
    act("package_patch", catalogue.sysadmin, id=changed["id"], notes="Angka diperbarui.")
    stats = plain.harvest(source)
    assert stats["added"] == 0
    assert _by_guid(plain, portal)[changed["id"]]["notes"] == "Angka diperbarui."

    # returned by the Walidata, made private: withdrawn at the next harvest
    returned, private = catalogue.published[1], catalogue.published[2]
    act("sipessut_review_return", catalogue.sysadmin, id=returned["id"], note="Periksa angka")
    act("package_patch", catalogue.sysadmin, id=private["id"], private=True)
    stats = plain.harvest(source)
    assert stats["deleted"] == 2
    assert set(_by_guid(plain, portal)) == {changed["id"]}
