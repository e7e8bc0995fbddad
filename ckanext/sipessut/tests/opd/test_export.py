"""Export writes the OPDs as a registry that sync accepts unchanged."""

from __future__ import annotations

import pytest
import yaml
from ckan.tests import helpers

from ckanext.sipessut.opd import registry

pytestmark = pytest.mark.usefixtures("clean_db")


def export(sysadmin) -> dict:
    return helpers.call_action("sipessut_opd_export", {"user": sysadmin["name"]})


def test_an_export_synced_back_changes_nothing(samarinda, sync, sysadmin):
    helpers.call_action(
        "organization_patch",
        {"user": sysadmin["name"]},
        id="dinkes",
        alias=["Dinas Kesehatan Kota Samarinda"],
        telepon="(0541) 741234",
        description="Urusan kesehatan.\n\nDua paragraf.",
    )

    exported = export(sysadmin)
    again = sync(exported["registry"])

    assert exported["count"] == 25
    assert again["changes"] == []
    assert again["summary"]["unchanged"] == 25


def test_the_export_keeps_every_field_of_the_registry(samarinda, sysadmin):
    exported = yaml.safe_load(export(sysadmin)["registry"])
    by_name = {opd["name"]: opd for opd in exported["opd"]}

    assert exported["wilayah"] == "64.72"
    assert by_name["diskominfo"] == {
        "kode_skpd": "2.16.2.20.2.21.90.0000",
        "kode_skpd_status": "sementara",
        "name": "diskominfo",
        "title": "Dinas Komunikasi dan Informatika",
        "singkatan": "Diskominfo",
        "bidang_urusan": ["2.16", "2.20", "2.21"],
        "peran": "walidata",
        "kode_wilayah": "64.72",
        "alamat": "Jl. Kesuma Bangsa, Samarinda",
        "sumber": by_name["diskominfo"]["sumber"],
    }
    assert by_name["bapperida"]["alias"] == ["Bappeda", "Badan Perencanaan Pembangunan Daerah"]


def test_the_exported_text_parses_as_a_registry(samarinda, sysadmin):
    parsed = registry.parse(export(sysadmin)["registry"])

    assert len(parsed.entries) == 25
