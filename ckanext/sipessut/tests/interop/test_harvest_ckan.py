"""The national portal's CKAN harvester (ckanext-harvest 1.6) harvests our portal's
harvest API (/sdi): what arrives, what never does, incremental re-harvests, withdrawals."""

from __future__ import annotations

import pytest

from ckanext.sipessut.tests.interop import harvesting
from ckanext.sipessut.tests.interop.conftest import SECRET, act


@pytest.fixture(scope="module")
def stage(catalogue, tmp_path_factory):
    directory = tmp_path_factory.mktemp("harvest-ckan")
    with harvesting.our_portal(directory) as portal, harvesting.plain_ckan(directory) as plain:
        yield portal, plain


def test_the_national_portal_harvests_us_with_the_ckan_harvester(stage, catalogue):
    portal, plain = stage
    source = plain.source("samarinda-ckan", f"{portal}/sdi", "ckan")

    stats = plain.harvest(source)
    assert stats["added"] == len(catalogue.published)
    harvested = {i: p for i, p in plain.datasets().items() if p["state"] == "active"}
    assert set(harvested) == {d["id"] for d in catalogue.published}
    for pkg in catalogue.published:
        copy = harvested[pkg["id"]]
        assert copy["title"] == pkg["title"]
        assert copy["notes"] == pkg["notes"]
        assert copy["license_id"] == pkg["license_id"]
        assert copy["organization"]["name"] == "pemerintah-kota-samarinda"
        fields = harvesting.extras(copy)
        assert fields["produsen_data"] == "Dinas Kesehatan"
        assert fields["kode_skpd"] == "1.02.0.00.0.00.01.0000"
        assert fields["pengaturan_akses"] == "Terbuka"
        assert fields["accesslevel"] == "public"
        assert fields["periode_awal"] == pkg["periode_awal"]
        assert fields["kode_wilayah"] == pkg["kode_wilayah"]
        assert fields["link_portal_daerah"] == f"{portal}/dataset/{pkg['name']}"
        # The table has a column that is not public (nik_petugas): the harvest never points
        # at its original file, and what it points at holds none of that column.
        bodies = harvesting.downloads_answer(portal, copy)
        assert all("/download/" not in r["url"] for r in copy["resources"])
        assert bodies
        assert all(SECRET.encode() not in body for body in bodies)
    first = harvested[catalogue.published[0]["id"]]
    fields = harvesting.extras(first)
    assert fields["jadwal_pemutakhiran"] == "Tahunan"
    assert fields["periode_data"] == "2024"
    assert fields["wilayah"] == "Kota Samarinda"
    assert fields["sektor"] == "Demografi dan Kependudukan"
    assert fields["kegiatan"] == catalogue.kegiatan["title"]
    assert fields["kode_metadata"] == "KEG-6472-0001"
    second = harvesting.extras(harvested[catalogue.published[1]["id"]])
    assert second["periode_data"] == "2023-01 - 2024-12"
    assert second["wilayah"] == "Kecamatan Palaran"
    # nothing private, waiting, returned or Terbatas arrives, not even as a record
    for kind, pkg in catalogue.hidden.items():
        assert plain.state_of(pkg["id"]) is None, kind

    # a second harvest after one dataset changed re-imports that one only
    changed = catalogue.published[0]
    act("package_patch", catalogue.sysadmin, id=changed["id"], notes="Angka diperbarui.")
    before = plain.datasets()
    stats = plain.harvest(source)
    assert stats["updated"] == 1
    after = plain.datasets()
    assert after[changed["id"]]["notes"] == "Angka diperbarui."
    for package_id, copy in before.items():
        if package_id != changed["id"]:
            assert after[package_id]["metadata_modified"] == copy["metadata_modified"]
    # a dataset returned within the harvester's one-hour look-back may come as a deleted
    # record (id and name only); nothing new is visible
    for package_id in set(after) - set(before):
        assert after[package_id]["state"] == "deleted"
        assert not after[package_id]["resources"]

    # returned by the Walidata, made private: withdrawn at the next harvest
    returned, private = catalogue.published[1], catalogue.published[2]
    act("sipessut_review_return", catalogue.sysadmin, id=returned["id"], note="Periksa angka")
    act("package_patch", catalogue.sysadmin, id=private["id"], private=True)
    plain.harvest(source)
    assert plain.state_of(returned["id"]) == "deleted"
    assert plain.state_of(private["id"]) == "deleted"
    assert plain.state_of(changed["id"]) == "active"
    active = [p for p in plain.datasets().values() if p["state"] == "active"]
    assert [p["id"] for p in active] == [changed["id"]]
