"""Frictionless Data Packages of published datasets: the descriptor, the zip that
`frictionless validate` accepts, non-public columns left out, limits, nothing unpublished."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from ckan.plugins import toolkit as tk

from ckanext.sipessut.interop import vocab
from ckanext.sipessut.tests.interop.conftest import SECRET

FRICTIONLESS = str(Path(sys.executable).with_name("frictionless"))


def test_descriptor_keeps_ms_var_and_leaves_non_public_columns_out(app, catalogue):
    pkg = catalogue.published[0]
    descriptor = app.get(f"/dataset/{pkg['name']}/datapackage.json").json
    assert descriptor["name"] == pkg["name"]
    assert descriptor["title"] == pkg["title"]
    assert descriptor["licenses"][0]["name"] == "cc-by"
    assert descriptor["sources"] == [{"title": pkg["sumber_data"]}]
    assert descriptor["contributors"][0]["title"] == "Dinas Kesehatan"
    assert descriptor["contributors"][0]["role"] == "publisher"
    [resource] = descriptor["resources"]
    assert resource["path"].startswith(vocab.site_url() + "/dataset/")
    fields = resource["schema"]["fields"]
    assert [f["name"] for f in fields] == ["kode_wilayah", "kecamatan", "jumlah_penduduk"]
    assert fields[0]["konsep"] == ["Wilayah administrasi"]
    assert "64.72.01" in fields[0]["constraints"]["enum"]  # the code list, made explicit
    assert fields[2]["satuan"] == "jiwa"
    assert descriptor["sipessut"]["produsen_data"]["kode_skpd"] == "1.02.0.00.0.00.01.0000"


def test_zip_validates_with_frictionless_and_has_a_readme(app, catalogue, tmp_path):
    pkg = catalogue.published[0]
    response = app.get(f"/dataset/{pkg['name']}/datapackage.zip")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    target = tmp_path / "paket.zip"
    target.write_bytes(response.get_data())
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        assert {"datapackage.json", "README.md"} <= names
        readme = archive.read("README.md").decode()
        data = [archive.read(n).decode() for n in names if n.startswith("data/")]
    assert "Produsen data: Dinas Kesehatan" in readme
    assert "Kolom yang tidak dapat diakses umum tidak disertakan." in readme
    [table] = data
    assert table.splitlines()[0] == "kode_wilayah,kecamatan,jumlah_penduduk"
    assert SECRET not in table
    checked = subprocess.run(
        [FRICTIONLESS, "validate", "--json", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(checked.stdout)
    assert report["valid"], checked.stdout[:3000]
    assert report["stats"]["tasks"] == 1


def test_unpublished_datasets_have_no_package(app, catalogue):
    for kind, pkg in catalogue.hidden.items():
        for suffix in ("datapackage.json", "datapackage.zip"):
            assert app.get(f"/dataset/{pkg['name']}/{suffix}").status_code == 404, (kind, suffix)
        with pytest.raises(tk.ObjectNotFound):
            tk.get_action("sipessut_datapackage_show")({"user": ""}, {"id": pkg["id"]})


@pytest.mark.ckan_config("ckanext.sipessut.interop.datapackage_max_bytes", "10")
def test_a_package_larger_than_the_limit_is_refused_before_it_starts(app, catalogue):
    pkg = catalogue.published[0]
    response = app.get(f"/dataset/{pkg['name']}/datapackage.zip")
    assert response.status_code == 413
    assert "10" in response.body
