"""`ckan sipessut publicdata ...` on the real stack: reload every table, one status."""

from __future__ import annotations

import pytest
from ckan.cli.cli import ckan
from ckan.tests import helpers

from ckanext.sipessut.publicdata import loader
from ckanext.sipessut.tests.publicdata.conftest import BAD_CSV

pytestmark = pytest.mark.usefixtures("clean_datastore", "clean_redis")


def test_load_all_reloads_the_valid_tables_and_explains_the_others(cli, upload):
    good = upload()
    bad = upload(BAD_CSV, name="Tabel rusak")
    loader.drop(good["id"])  # as if the DataStore had lost it

    result = cli.invoke(ckan, ["sipessut", "publicdata", "load", "--all", "--sync"])

    assert result.exit_code == 0, result.output
    assert f"{good['id']} Penduduk per kecamatan: Dimuat ke DataStore (3 baris)" in result.output
    assert f"{bad['id']} Tabel rusak: Tidak dimuat" in result.output
    assert "2 tabel: 1 dimuat, 1 tidak dimuat, 0 diantrekan" in result.output
    assert loader.table_exists(good["id"])
    assert not loader.table_exists(bad["id"])
    status = cli.invoke(ckan, ["sipessut", "publicdata", "status", good["id"]])
    assert status.output.splitlines()[0].split("  ")[1:3] == ["Dimuat ke DataStore", "3 baris"]
    assert helpers.call_action("resource_show", id=good["id"])["datastore_active"] is True
