"""Sync keeps the organizations true to the registry, safely and idempotently."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.tests import factories, helpers
from ckanext.activity.model import Activity

from ckanext.sipessut.opd import registry
from ckanext.sipessut.tests.factories import Dataset
from ckanext.sipessut.tests.opd.conftest import entry, registry_text

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

DISKOMINFO = entry(
    "2.16.2.20.2.21.01.0000",
    "diskominfo",
    "Dinas Komunikasi dan Informatika",
    bidang='"2.16", "2.20", "2.21"',
    singkatan="Diskominfo",
    peran="walidata",
)
DINKES = entry("1.02.0.00.0.00.01.0000", "dinkes", "Dinas Kesehatan", bidang='"1.02"')
DISNAKER = entry("2.07.0.00.0.00.01.0000", "disnaker", "Dinas Tenaga Kerja", bidang='"2.07"')


def line_of(text: str, fragment: str) -> int:
    """The line of `fragment`; "LAST fragment" for its last occurrence."""
    last = fragment.startswith("LAST ")
    fragment = fragment.removeprefix("LAST ")
    lines = [n for n, line in enumerate(text.splitlines(), 1) if fragment in line]
    return lines[-1] if last else lines[0]


def organization_names() -> list[str]:
    return sorted(helpers.call_action("organization_list"))


def activity_count() -> int:
    return model.Session.query(Activity).count()


def test_sync_on_an_empty_portal_creates_the_samarinda_registry(samarinda):
    text, _ = registry.read_text(registry.DEFAULT_REGISTRY)
    expected = registry.parse(text)

    assert samarinda["applied"] is True
    assert samarinda["summary"]["create"] == len(expected.entries) == 25
    assert len(organization_names()) == 25
    org = helpers.call_action("organization_show", id="diskominfo")
    assert org["title"] == "Dinas Komunikasi dan Informatika"
    assert org["kode_skpd"] == "2.16.2.20.2.21.90.0000"
    assert org["kode_skpd_status"] == "sementara"
    assert org["peran"] == "walidata"
    assert org["bidang_urusan"] == ["2.16", "2.20", "2.21"]
    assert org["kode_wilayah"] == "64.72"
    palaran = helpers.call_action("organization_show", id="kecamatan-palaran")
    assert palaran["kode_wilayah"] == "64.72.01"
    # The file's honesty reaches the operator: placeholders and unconfirmed entries.
    warnings = " ".join(samarinda["warnings"])
    assert "25 OPDs have a placeholder kode SKPD" in warnings
    assert "3 OPDs are not confirmed by a source" in warnings
    assert "inspektorat" in warnings


def test_the_api_syncs_the_configured_registry_when_given_no_text(sync):
    result = sync(dry_run=True)

    assert result["source"].endswith("kota-samarinda.yaml")
    assert result["summary"]["create"] == 25
    assert organization_names() == []


def test_a_second_sync_changes_nothing_and_writes_no_activity(samarinda, sync):
    before = activity_count()
    text, _ = registry.read_text(registry.DEFAULT_REGISTRY)

    again = sync(text)

    assert again["changes"] == []
    assert again["summary"]["unchanged"] == 25
    assert activity_count() == before


def test_renaming_an_opd_in_the_file_renames_it_and_keeps_its_datasets(sync, app):
    sync(registry_text(DISKOMINFO, DINKES))
    dinkes = helpers.call_action("organization_show", id="dinkes")
    dataset = Dataset(owner_org=dinkes["id"], title="Jumlah Puskesmas")

    renamed = DINKES.replace("name: dinkes", "name: dinas-kesehatan").replace(
        "title: Dinas Kesehatan", "title: Dinas Kesehatan dan Keluarga Berencana"
    )
    result = sync(registry_text(DISKOMINFO, renamed))

    assert [(c["action"], c["name"]) for c in result["changes"]] == [("update", "dinas-kesehatan")]
    org = helpers.call_action("organization_show", id=dinkes["id"])
    assert org["name"] == "dinas-kesehatan"
    assert org["title"] == "Dinas Kesehatan dan Keluarga Berencana"
    assert helpers.call_action("package_show", id=dataset["id"])["owner_org"] == dinkes["id"]
    # The search index follows the new name...
    found = helpers.call_action("package_search", fq="organization:dinas-kesehatan")
    assert [d["id"] for d in found["results"]] == [dataset["id"]]
    # ...and the old address leads to the renamed organization.
    response = app.get("/organization/dinkes", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/organization/dinas-kesehatan")
    # Data still labelled with the old name finds the OPD.
    resolved = helpers.call_action("sipessut_opd_resolve", q="DINKES Kota Samarinda")
    assert resolved["organization"]["name"] == "dinas-kesehatan"
    assert resolved["match"] == "former_name"


@pytest.mark.parametrize(
    ("bad_entry", "fragment", "message"),
    [
        (
            entry("1.02.0.00.0.00.02.0000", "rsud: x", "RSUD", bidang='"1.02"'),
            "name: rsud: x",
            "not valid YAML",
        ),
        (
            entry("1.02.0.00.0.00.01.0000", "puskesmas", "UPT Puskesmas", bidang='"1.02"'),
            "LAST 1.02.0.00.0.00.01.0000",
            "kode SKPD 1.02.0.00.0.00.01.0000 is also used on line",
        ),
        (
            entry(
                "2.07.0.00.0.00.01.0000", "disnaker", "Dinas Tenaga Kerja", bidang='"2.07", "9.99"'
            ),
            '"9.99"',
            "9.99 is not in the list of",
        ),
        (
            entry(
                "2.07.0.00.0.00.01.0000",
                "disnaker",
                "Dinas Tenaga Kerja",
                bidang='"2.07"',
                peran="walidata",
            ),
            "peran: walidata",
            "only one OPD can be the Walidata",
        ),
        (
            entry("2.07.0.00.0.00.01.0000", "disnaker", "Dinas Tenaga Kerja", bidang="2.10"),
            "bidang_urusan: [2.10]",
            "YAML read 2.1 as a number",
        ),
        (
            entry(
                "2.07.0.00.0.00.01.0000",
                "disnaker",
                "Dinas Tenaga Kerja",
                bidang='"2.07"',
                bidang_urusn='"2.07"',
            ),
            "bidang_urusn",
            "unknown key bidang_urusn",
        ),
        (
            entry("2.07.0.00.1.00.01", "disnaker", "Dinas Tenaga Kerja", bidang='"2.07"'),
            "2.07.0.00.1.00.01",
            "is not a kode SKPD",
        ),
    ],
    ids=[
        "malformed-yaml",
        "duplicate-code",
        "unknown-urusan",
        "two-walidata",
        "unquoted-code",
        "unknown-key",
        "bad-kode",
    ],
)
def test_a_bad_file_changes_nothing_and_names_the_line(sync, bad_entry, fragment, message):
    text = registry_text(DISKOMINFO, DINKES, bad_entry)

    with pytest.raises(helpers.logic.ValidationError) as error:
        sync(text)

    errors = error.value.error_dict["registry"]
    expected_line = line_of(text, fragment)
    assert any(f"line {expected_line}" in e and message in e for e in errors), errors
    # The good entries before the bad one were not applied either.
    assert organization_names() == []


def test_errors_are_in_indonesian_through_the_api(app):
    sysadmin = factories.SysadminWithToken()
    text = registry_text(DISKOMINFO, DINKES.replace("dinkes", "diskominfo"))
    first, second = [n for n, line in enumerate(text.splitlines(), 1) if "name: diskominfo" in line]

    response = app.post(
        "/api/3/action/sipessut_opd_sync",
        json={"registry": text},
        headers={"Authorization": sysadmin["token"]},
        status=409,
    )

    assert response.json["error"]["registry"] == [
        f"baris {second}: nama URL diskominfo juga dipakai pada baris {first}."
    ]
    assert organization_names() == []


def test_prune_refuses_an_organization_with_datasets_and_removes_empty_ones(sync):
    sync(registry_text(DISKOMINFO, DINKES, DISNAKER))
    dinkes = helpers.call_action("organization_show", id="dinkes")
    Dataset(owner_org=dinkes["id"], private=True)

    result = sync(registry_text(DISKOMINFO), prune=True)

    outcome = {org["name"]: (org["action"], org["datasets"]) for org in result["not_in_registry"]}
    assert outcome == {"dinkes": ("refused", 1), "disnaker": ("prune", 0)}
    assert organization_names() == ["dinkes", "diskominfo"]


def test_without_prune_missing_organizations_are_only_reported(sync):
    sync(registry_text(DISKOMINFO, DISNAKER))

    result = sync(registry_text(DISKOMINFO))

    assert result["not_in_registry"][0]["name"] == "disnaker"
    assert result["not_in_registry"][0]["action"] == "kept"
    assert organization_names() == ["diskominfo", "disnaker"]


def test_a_dry_run_reports_the_plan_and_changes_nothing(sync):
    result = sync(registry_text(DISKOMINFO, DINKES), dry_run=True)

    assert result["applied"] is False
    assert [c["action"] for c in result["changes"]] == ["create", "create"]
    assert organization_names() == []


def test_a_placeholder_code_replaced_by_the_official_one_keeps_the_organization(sync):
    placeholder = DINKES.replace("1.02.0.00.0.00.01.0000", "1.02.0.00.0.00.90.0000")
    sync(registry_text(DISKOMINFO, placeholder + "\nkode_skpd_status: sementara"))
    before = helpers.call_action("organization_show", id="dinkes")
    Dataset(owner_org=before["id"])

    official = DINKES + '\nkode_skpd_lama: ["1.02.0.00.0.00.90.0000"]\nkode_skpd_status: resmi'
    result = sync(registry_text(DISKOMINFO, official))

    assert [c["action"] for c in result["changes"]] == ["update"]
    after = helpers.call_action("organization_show", id="dinkes")
    assert after["id"] == before["id"]
    assert after["kode_skpd"] == "1.02.0.00.0.00.01.0000"
    assert after["kode_skpd_lama"] == ["1.02.0.00.0.00.90.0000"]
    assert after["package_count"] == 1
    assert sync(registry_text(DISKOMINFO, official))["changes"] == []


def test_an_older_registry_finds_an_opd_whose_code_changed_on_the_portal(sync, sysadmin):
    """Never two organizations for one OPD: a code changed through the form is
    remembered, and the file's old code still finds the organization."""
    sync(registry_text(DISKOMINFO, DINKES))
    helpers.call_action(
        "organization_patch",
        {"user": sysadmin["name"]},
        id="dinkes",
        kode_skpd="1.02.0.00.0.00.02.0000",
    )

    result = sync(registry_text(DISKOMINFO, DINKES))

    assert [(c["action"], c["name"]) for c in result["changes"]] == [("update", "dinkes")]
    assert result["changes"][0]["changes"]["kode_skpd"] == {
        "old": "1.02.0.00.0.00.02.0000",
        "new": "1.02.0.00.0.00.01.0000",
    }
    assert organization_names() == ["dinkes", "diskominfo"]


def test_a_url_name_kept_by_another_opd_of_the_registry_is_refused(sync):
    sync(registry_text(DISKOMINFO, DINKES))
    # A new OPD wants "dinkes" while the registry keeps the old one under it.
    text = registry_text(
        DISKOMINFO,
        DINKES.replace("name: dinkes\n", ""),
        entry("1.02.0.00.0.00.02.0000", "dinkes", "UPT Dinas Kesehatan", bidang='"1.02"'),
    )

    with pytest.raises(helpers.logic.ValidationError) as error:
        sync(text)

    assert error.value.error_dict["registry"] == [
        f"line {line_of(text, '1.02.0.00.0.00.02.0000')}: the URL name dinkes stays with the "
        "organization Dinas Kesehatan, which the registry lists under kode SKPD "
        "1.02.0.00.0.00.01.0000."
    ]


def test_the_walidata_can_move_to_another_opd_in_one_sync(sync):
    sync(registry_text(DISKOMINFO, DINKES))
    moved = registry_text(
        DISKOMINFO.replace("peran: walidata", "peran: produsen_data"),
        DINKES + "\nperan: walidata",
    )

    sync(moved)

    assert helpers.call_action("organization_show", id="dinkes")["peran"] == "walidata"
    assert helpers.call_action("organization_show", id="diskominfo")["peran"] == "produsen_data"


def test_a_deleted_opd_back_in_the_registry_is_restored(sync, sysadmin):
    sync(registry_text(DISKOMINFO, DINKES))
    helpers.call_action("organization_delete", {"user": sysadmin["name"]}, id="dinkes")

    result = sync(registry_text(DISKOMINFO, DINKES))

    assert [c["action"] for c in result["changes"]] == ["restore"]
    assert helpers.call_action("organization_show", id="dinkes")["state"] == "active"


def test_a_url_name_held_by_an_organization_outside_the_registry_is_refused(sync):
    helpers.call_action(
        "organization_create",
        {"user": factories.Sysadmin()["name"]},
        name="dinkes",
        title="Dinas Kesehatan (lama)",
        kode_skpd="1.02.0.00.0.00.05.0000",
    )
    text = registry_text(DISKOMINFO, DINKES)
    line = line_of(text, "1.02.0.00.0.00.01.0000")

    with pytest.raises(helpers.logic.ValidationError) as error:
        sync(text)

    assert error.value.error_dict["registry"] == [
        f"line {line}: the URL name dinkes belongs to the organization Dinas Kesehatan (lama) "
        "(active), which is not in the registry; rename or purge it first."
    ]


def test_an_entry_without_a_name_keeps_the_url_of_its_organization(sync, sysadmin):
    helpers.call_action(
        "organization_create",
        {"user": sysadmin["name"]},
        name="dinas-kesehatan-samarinda",
        title="Dinkes",
        kode_skpd="1.02.0.00.0.00.01.0000",
    )
    nameless = DINKES.replace("name: dinkes\n", "")

    result = sync(registry_text(nameless))

    assert result["changes"][0]["changes"] == {
        "title": {"old": "Dinkes", "new": "Dinas Kesehatan"},
        "bidang_urusan": {"old": [], "new": ["1.02"]},
    }
    assert organization_names() == ["dinas-kesehatan-samarinda"]


def test_units_are_created_after_their_parent(sync):
    kecamatan = entry(
        "7.01.0.00.0.00.01.0000",
        "kecamatan-palaran",
        "Kecamatan Palaran",
        bidang='"7.01"',
        kode_wilayah='"64.72.01"',
    )
    kelurahan = entry(
        "7.01.0.00.0.00.01.0001",
        "kelurahan-bantuas",
        "Kelurahan Bantuas",
        bidang='"7.01"',
        kode_wilayah='"64.72.01.1005"',
        induk='"7.01.0.00.0.00.01.0000"',
    )

    sync(registry_text(kelurahan, kecamatan))

    bantuas = helpers.call_action("organization_show", id="kelurahan-bantuas")
    assert bantuas["induk"] == "7.01.0.00.0.00.01.0000"


def test_a_registry_of_another_region_is_refused(sync):
    text = registry_text(DINKES, header='wilayah: "64.71"\n')

    with pytest.raises(helpers.logic.ValidationError) as error:
        sync(text)

    assert (
        "this registry is for wilayah 64.71, but the portal serves 64.72"
        in (error.value.error_dict["registry"][0])
    )
