"""Control characters in what the OPD domain stores or looks up: the organization's
fields, registry entries (`ckan sipessut opd sync`) and resolver queries are refused
with a message naming the field (or the line), and nothing changes."""

from __future__ import annotations

import pytest
from ckan.cli.cli import ckan
from ckan.logic import ValidationError
from ckan.tests import helpers

from ckanext.sipessut.tests.opd.conftest import entry, registry_text

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")


@pytest.mark.parametrize("field", ["title", "description", "alamat", "singkatan", "sumber"])
def test_organization_fields(sysadmin, field):
    with pytest.raises(ValidationError) as refused:
        helpers.call_action(
            "organization_create",
            {"user": sysadmin["name"]},
            **{
                "name": "dinas-uji",
                "title": "Dinas Uji",
                "kode_skpd": "2.16.0.00.0.00.01.0000",
                field: "Dinas\x00Uji",
            },
        )

    assert field in refused.value.error_dict
    assert "U+0000" in refused.value.error_dict[field][0]
    assert helpers.call_action("organization_list") == []


def test_a_registry_entry_with_a_control_character_is_refused_naming_its_line(cli, tmp_path):
    path = tmp_path / "registry.yaml"
    # YAML's escape "\0" writes a NUL into a double-quoted string
    path.write_text(registry_text(entry("2.16.0.00.0.00.01.0000", "opd-a", '"Dinas\\0 Kominfo"')))

    result = cli.invoke(ckan, ["sipessut", "opd", "sync", str(path)])

    assert result.exit_code == 1
    assert "baris 5: title: Teks ini mengandung karakter kontrol (U+0000)" in result.output
    assert helpers.call_action("organization_list") == []


def test_a_raw_control_character_in_a_registry_file_is_refused(sync):
    text = registry_text(entry("2.16.0.00.0.00.01.0000", "opd-a", "Dinas\x01Kominfo"))

    with pytest.raises(ValidationError) as refused:
        sync(text)

    assert "U+0001" in str(refused.value.error_dict) or "#x0001" in str(refused.value.error_dict)
    assert helpers.call_action("organization_list") == []


def test_a_resolver_query_is_refused_naming_q():
    with pytest.raises(ValidationError) as refused:
        helpers.call_action("sipessut_opd_resolve", q="Dinas\x00Kesehatan")

    assert list(refused.value.error_dict) == ["q"]
    assert "U+0000" in refused.value.error_dict["q"][0]
