"""A small catalogue for the interop tests: one OPD with contacts, the Walidata, published
tables with an uploaded CSV and its MS-Var dictionary, and everything that must stay home
(a draft, a submitted one, a returned one, a private Terbatas one)."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from typing import Any

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from werkzeug.datastructures import FileStorage

from ckanext.sipessut.tests.factories import OPD, Dataset, Indikator, Kegiatan

DICTIONARY = {
    "fields": [
        {
            "name": "kode_wilayah",
            "title": "Kode wilayah",
            "type": "string",
            "codelist": {"name": "wilayah", "where": {"level": "kecamatan"}},
            "constraints": {"required": True},
            "konsep": ["Wilayah administrasi"],
            "bisa_diakses_umum": True,
        },
        {"name": "kecamatan", "title": "Kecamatan", "type": "string"},
        {
            "name": "jumlah_penduduk",
            "title": "Jumlah penduduk",
            "description": "Penduduk terdaftar pada akhir tahun.",
            "type": "integer",
            "constraints": {"minimum": 0},
            "satuan": "jiwa",
        },
        {
            "name": "nik_petugas",
            "title": "NIK petugas pencatat",
            "type": "string",
            "bisa_diakses_umum": False,
        },
    ]
}
CSV = (
    "kode_wilayah,kecamatan,jumlah_penduduk,nik_petugas\n"
    "64.72.01,Palaran,61234,6472010101900001\n"
    "64.72.02,Samarinda Seberang,70456,6472010101900002\n"
)
SECRET = "6472010101900001"  # a value of the non-public column


def act(action: str, user: dict[str, Any] | None, **data: Any) -> Any:
    return tk.get_action(action)({"user": user["name"] if user else ""}, data)


def upload(data: str, filename: str = "penduduk.csv") -> FileStorage:
    return FileStorage(io.BytesIO(data.encode("utf-8")), filename, "upload")


@dataclass
class Catalogue:
    sysadmin: dict[str, Any]
    opd: dict[str, Any]
    walidata: dict[str, Any]
    opd_editor: dict[str, Any]
    reviewer: dict[str, Any]
    kegiatan: dict[str, Any]
    indikator: dict[str, Any]
    published: list[dict[str, Any]] = field(default_factory=list)
    hidden: dict[str, dict[str, Any]] = field(default_factory=dict)
    secret_kegiatan: dict[str, Any] = field(default_factory=dict)

    def table(self, private: bool = False, **fields: Any) -> dict[str, Any]:
        """A data table of the OPD with an uploaded CSV and its dictionary (by the sysadmin)."""
        fields.setdefault("tag_string", "penduduk,kecamatan")
        fields.setdefault("license_id", "cc-by")
        dataset = Dataset(owner_org=self.opd["id"], user=self.sysadmin, private=private, **fields)
        act(
            "resource_create",
            self.sysadmin,
            package_id=dataset["id"],
            name="Penduduk per kecamatan",
            format="CSV",
            upload=upload(CSV),
            data_dictionary=DICTIONARY,
        )
        return act("package_show", self.sysadmin, id=dataset["id"])

    def names(self) -> set[str]:
        return {d["name"] for d in self.published}


def fresh_portal() -> None:
    """What clean_db and clean_index do, for a fixture shared by a module's tests."""
    from ckan.cli.db import _run_migrations
    from ckan.lib import search
    from ckan.tests import helpers

    from ckanext.sipessut.tests import conftest as suite

    factories.fake.unique.clear()
    helpers.reset_db()
    _run_migrations("activity")
    _run_migrations("sipessut")
    suite._empty_our_tables()
    search.clear_all()


@contextlib.contextmanager
def plugins_loaded():
    """The plugins of test.ini, outside a test (CKAN's with_plugins is per test)."""
    from ckan import plugins

    plugins.load_all()
    try:
        yield
    finally:
        plugins.unload_all()


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    """Made once per test module; tests that change it make their own datasets."""
    with plugins_loaded():
        fresh_portal()
        return make_catalogue()


def make_catalogue() -> Catalogue:
    sysadmin = factories.SysadminWithToken()
    opd_editor, reviewer = factories.User(), factories.User()
    opd = OPD(
        name="dinkes",
        title="Dinas Kesehatan",
        kode_skpd="1.02.0.00.0.00.01.0000",
        bidang_urusan=["1.02"],
        email="dinkes@samarindakota.example",
        telepon="(0541) 741234",
        alamat="Jl. Milono No. 1, Samarinda",
        website="https://dinkes.samarindakota.example",
        users=[{"name": opd_editor["name"], "capacity": "editor"}],
    )
    walidata = OPD(
        name="diskominfo",
        title="Dinas Komunikasi dan Informatika",
        peran="walidata",
        users=[{"name": reviewer["name"], "capacity": "editor"}],
    )
    kegiatan = Kegiatan(
        owner_org=opd["id"], user=sysadmin, private=False, kode_metadata="KEG-6472-0001"
    )
    indikator = Indikator(
        owner_org=opd["id"], user=sysadmin, private=False, kegiatan=kegiatan["id"]
    )
    catalogue = Catalogue(sysadmin, opd, walidata, opd_editor, reviewer, kegiatan, indikator)
    catalogue.published.append(
        catalogue.table(
            name="penduduk-kecamatan-2024",
            title="Jumlah Penduduk Menurut Kecamatan di Kota Samarinda, 2024",
            periode_awal="2024",
            kode_wilayah="64.72",
            urusan=["1.02"],
            kegiatan=kegiatan["id"],
            indikator=[indikator["id"]],
            license_id="cc-by",
        )
    )
    catalogue.published.append(
        catalogue.table(
            name="kunjungan-puskesmas-2023-2024",
            title="Kunjungan Puskesmas Kota Samarinda, 2023-2024",
            periode_awal="2023-01",
            periode_akhir="2024-12",
            jadwal_pemutakhiran="bulanan",
            sektor="9",
            kode_wilayah="64.72.01",
        )
    )
    from ckanext.sipessut.tests.factories import Kegiatan as _Kegiatan

    secret = _Kegiatan(owner_org=opd["id"], user=sysadmin, private=True, title="Survei Rahasia")
    catalogue.secret_kegiatan = secret
    catalogue.published.append(
        catalogue.table(name="dengan-kegiatan-privat", title="Data dengan kegiatan privat",
                        kegiatan=secret["id"])
    )  # fmt: skip
    catalogue.hidden["draft"] = catalogue.table(private=True, name="draf-rahasia")
    submitted = catalogue.table(private=True, name="menunggu-walidata")
    act("sipessut_review_submit", sysadmin, id=submitted["id"])
    catalogue.hidden["submitted"] = submitted
    returned = catalogue.table(private=False, name="dikembalikan-walidata")
    act("sipessut_review_return", sysadmin, id=returned["id"], note="Satuan belum benar")
    catalogue.hidden["returned"] = returned
    catalogue.hidden["terbatas"] = catalogue.table(
        private=True, name="data-terbatas", pengaturan_akses="terbatas"
    )
    return catalogue
