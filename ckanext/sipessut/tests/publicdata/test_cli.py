"""`ckan sipessut publicdata ...` on the real stack: reload every table, one status."""

from __future__ import annotations

import pytest
from ckan.cli.cli import ckan
from ckan.tests import helpers

from ckanext.sipessut.publicdata import loader
from ckanext.sipessut.tests.publicdata.conftest import BAD_CSV

pytestmark = pytest.mark.usefixtures("clean_datastore", "clean_redis")

# The CLI speaks the portal's default language where CKAN gives it one (2.12), else English.
LOADED = ("Dimuat ke DataStore (3 baris)", "Loaded into the DataStore (3 rows)")
NOT_LOADED = ("Tidak dimuat", "Not loaded")
SUMMARY = (
    "2 tabel: 1 dimuat, 1 tidak dimuat, 0 diantrekan",
    "2 tables: 1 loaded, 1 not loaded, 0 queued",
)


def test_load_all_reloads_the_valid_tables_and_explains_the_others(cli, upload):
    good = upload()
    bad = upload(BAD_CSV, name="Tabel rusak")
    loader.drop(good["id"])  # as if the DataStore had lost it

    result = cli.invoke(ckan, ["sipessut", "publicdata", "load", "--all", "--sync"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(f"{good['id']} Penduduk per kecamatan: {text}" in lines for text in LOADED)
    refused = tuple(f"{bad['id']} Tabel rusak: {text}" for text in NOT_LOADED)
    assert any(line.startswith(refused) for line in lines)
    assert lines[-1] in SUMMARY
    assert loader.table_exists(good["id"])
    assert not loader.table_exists(bad["id"])
    status = cli.invoke(ckan, ["sipessut", "publicdata", "status", good["id"]])
    fields = status.output.splitlines()[0].split("  ")[1:3]
    assert fields in (["Dimuat ke DataStore", "3 baris"], ["Loaded into the DataStore", "3 rows"])
    assert helpers.call_action("resource_show", id=good["id"])["datastore_active"] is True
