"""Who is who in the portal's tests: an OPD with an editor, another OPD, the Walidata with
a reviewer, a sysadmin; and a catalogue of a table, a kegiatan and an indikator."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories

from ckanext.sipessut.tests.factories import OPD, Dataset, Indikator, Kegiatan

# A column of kecamatan codes: the table has figures for each kecamatan.
KECAMATAN_COLUMN = {
    "name": "kode_wilayah",
    "type": "string",
    "codelist": {"name": "wilayah", "where": {"level": "kecamatan"}},
}


def act(action: str, user: dict[str, Any] | None, **data: Any) -> Any:
    """Call an action as a user would (auth checked); None is the anonymous visitor."""
    return tk.get_action(action)({"user": user["name"] if user else ""}, data)


def as_user(user: dict[str, Any]) -> dict[str, str]:
    """Request headers of a signed-in user (CKAN accepts an API token on its pages)."""
    return {"Authorization": user["token"]}


@dataclass
class People:
    opd: dict[str, Any]
    editor: dict[str, Any]
    other_opd: dict[str, Any]
    other_editor: dict[str, Any]
    walidata: dict[str, Any]
    reviewer: dict[str, Any]
    sysadmin: dict[str, Any]
    made: list[dict[str, Any]] = field(default_factory=list)

    def draft(self, **fields: Any) -> dict[str, Any]:
        """A private draft of the OPD, made by its editor."""
        fields.setdefault("private", True)
        return Dataset(owner_org=self.opd["id"], user=self.editor, **fields)

    def published(self, **fields: Any) -> dict[str, Any]:
        """A table of the OPD submitted by its editor and approved by the Walidata."""
        fields.setdefault("resources", [{"url": "http://example.com/data.csv", "format": "CSV"}])
        dataset = self.draft(**fields)
        act("sipessut_review_submit", self.editor, id=dataset["id"])
        act("sipessut_review_approve", self.reviewer, id=dataset["id"])
        return tk.get_action("package_show")({"ignore_auth": True}, {"id": dataset["id"]})

    def returned(self, note: str, **fields: Any) -> dict[str, Any]:
        fields.setdefault("resources", [{"url": "http://example.com/data.csv", "format": "CSV"}])
        dataset = self.draft(**fields)
        act("sipessut_review_submit", self.editor, id=dataset["id"])
        act("sipessut_review_return", self.reviewer, id=dataset["id"], note=note)
        return dataset


@pytest.fixture
def people(clean_db, clean_index) -> People:
    editor, other_editor, reviewer = (factories.UserWithToken() for _ in range(3))
    opd = OPD(
        name="disdukcapil",
        title="Dinas Kependudukan dan Pencatatan Sipil",
        kode_skpd_status="sementara",
        sumber="Perwali 2022 (after the 2022 restructuring)",
        # Indonesian, as an OPD writes it (the factory's default is a random English sentence)
        description="Melayani administrasi kependudukan warga Kota Samarinda.",
        users=[{"name": editor["name"], "capacity": "editor"}],
    )
    other_opd = OPD(
        name="dinkes",
        title="Dinas Kesehatan",
        users=[{"name": other_editor["name"], "capacity": "editor"}],
    )
    walidata = OPD(
        name="diskominfo",
        title="Dinas Komunikasi dan Informatika",
        peran="walidata",
        email="walidata@samarindakota.example",
        users=[{"name": reviewer["name"], "capacity": "editor"}],
    )
    return People(
        opd=opd,
        editor=editor,
        other_opd=other_opd,
        other_editor=other_editor,
        walidata=walidata,
        reviewer=reviewer,
        sysadmin=factories.SysadminWithToken(),
    )


@dataclass
class Catalogue:
    table: dict[str, Any]
    health_table: dict[str, Any]
    kegiatan: dict[str, Any]
    indikator: dict[str, Any]
    draft: dict[str, Any]


@pytest.fixture
def catalogue(people) -> Catalogue:
    """What the public finds: two tables (one by kecamatan), a kegiatan, an indikator; and
    an OPD's private draft it must not find."""
    kegiatan = Kegiatan(
        owner_org=people.opd["id"],
        title="Kompilasi Registrasi Penduduk 2025",
        notes="Kompilasi data registrasi penduduk Kota Samarinda.",
        tahun="2025",
    )
    indikator = Indikator(
        owner_org=people.opd["id"], title="Kepadatan Penduduk", notes="", kegiatan=kegiatan["id"]
    )
    table = Dataset(
        owner_org=people.opd["id"],
        title="Jumlah Penduduk Menurut Kecamatan, 2024",
        sektor="2",
        periode_awal="2024",
        tanggal_rilis_terakhir="2025-03-31",
        kegiatan=kegiatan["id"],
        license_id="cc-by",
        resources=[
            {
                "url": "http://example.com/penduduk.csv",
                "format": "CSV",
                "name": "Tabel penduduk",
                "data_dictionary": {"fields": [KECAMATAN_COLUMN, {"name": "jumlah"}]},
            }
        ],
    )
    health_table = Dataset(
        owner_org=people.other_opd["id"],
        title="Jumlah Puskesmas, 2023",
        sektor="9",
        periode_awal="2023",
        tingkat_penyajian=["4"],
        tanggal_rilis_terakhir="2024-06-30",
        resources=[{"url": "http://example.com/puskesmas.csv", "format": "CSV"}],
    )
    draft = people.draft(title="Rahasia Draf Anggaran Tersembunyi", sektor="7")
    return Catalogue(table, health_table, kegiatan, indikator, draft)
