"""`ckan sipessut opd ...` as an operator uses it, in the portal's language (Indonesian)."""

from __future__ import annotations

import pytest
import yaml
from ckan.cli.cli import ckan
from ckan.tests import helpers

from ckanext.sipessut.tests.opd.conftest import entry, registry_text

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


def run(cli, *args):
    return cli.invoke(ckan, ["sipessut", "opd", *args])


def test_sync_without_a_file_loads_the_samarinda_registry_once(cli):
    first = run(cli, "sync")
    second = run(cli, "sync")

    assert first.exit_code == 0, first.output
    assert "+ buat       diskominfo" in first.output
    assert "25 dibuat, 0 diubah" in first.output
    assert "peringatan: 25 OPD memakai kode SKPD sementara" in first.output
    assert second.exit_code == 0, second.output
    assert "0 dibuat, 0 diubah, 0 dipulihkan, 0 dihapus, 25 tidak berubah" in second.output
    assert len(helpers.call_action("organization_list")) == 25


def test_a_bad_file_exits_with_an_error_naming_the_line(cli, tmp_path):
    path = tmp_path / "registry.yaml"
    path.write_text(registry_text(entry("2.16.0.00.0.00.01.0000", "opd-a", "OPD A", bidang="2.10")))

    result = run(cli, "sync", str(path))

    assert result.exit_code == 1
    assert "baris 6: bidang_urusan: YAML membaca 2.1 sebagai angka" in result.output
    assert helpers.call_action("organization_list") == []


def test_a_missing_file_is_named(cli, tmp_path):
    result = run(cli, "sync", str(tmp_path / "nowhere.yaml"))

    assert result.exit_code == 1
    assert "nowhere.yaml" in result.output


def test_export_writes_a_file_that_sync_accepts(cli, tmp_path):
    run(cli, "sync")
    path = tmp_path / "export.yaml"

    exported = run(cli, "export", "--output", str(path))
    synced = run(cli, "sync", str(path))

    assert exported.exit_code == 0, exported.output
    assert len(yaml.safe_load(path.read_text())["opd"]) == 25
    assert "25 tidak berubah" in synced.output


def test_resolve_prints_the_opd_or_the_candidates(cli):
    run(cli, "sync")

    found = run(cli, "resolve", "Kec. Sei Kunjang")
    missing = run(cli, "resolve", "Dinas Pendidikan")

    assert found.exit_code == 0
    assert found.output.startswith("kecamatan-sungai-kunjang\t7.01.0.00.0.00.95.0000")
    assert missing.exit_code == 1
    assert "disdikbud" in missing.output
