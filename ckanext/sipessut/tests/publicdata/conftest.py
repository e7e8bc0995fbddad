"""Fixtures of the public-data tests: the real DataStore database, uploads validated in
the request, and a real RQ worker that runs the load jobs."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
import sqlalchemy as sa
from ckan.lib import jobs
from ckan.tests import factories, helpers
from werkzeug.datastructures import FileStorage

from ckanext.sipessut.tests.factories import OPD, Dataset

# Population by kecamatan, with what MS-Var says of each column. `nik_petugas` is not
# public (bisa_diakses_umum: false); `kode_rt` keeps its leading zero.
DICTIONARY: dict[str, Any] = {
    "fields": [
        {
            "name": "kode_wilayah",
            "title": "Kode Wilayah",
            "type": "string",
            "description": "Kode Kemendagri kecamatan.",
            "codelist": {"name": "wilayah", "where": {"level": "kecamatan"}},
            "constraints": {"required": True},
        },
        {"name": "kecamatan", "title": "Kecamatan", "type": "string"},
        {"name": "kode_rt", "title": "Kode RT", "type": "string"},
        {"name": "tahun", "title": "Tahun", "type": "year"},
        {
            "name": "jumlah_penduduk",
            "title": "Jumlah Penduduk",
            "type": "integer",
            "description": "Penduduk yang tercatat dalam registrasi.",
            "satuan": "jiwa",
            "ukuran": "Jumlah",
            "constraints": {"minimum": 0},
        },
        {
            "name": "luas_km2",
            "title": "Luas Wilayah",
            "type": "number",
            "satuan": "km2",
            "decimalChar": ",",
            "groupChar": ".",
        },
        {"name": "tanggal_data", "title": "Tanggal Data", "type": "date", "format": "%d/%m/%Y"},
        {
            "name": "nik_petugas",
            "title": "NIK Petugas",
            "type": "string",
            "bisa_diakses_umum": False,
        },
    ]
}
HEADER = "kode_wilayah,kecamatan,kode_rt,tahun,jumlah_penduduk,luas_km2,tanggal_data,nik_petugas\n"
GOOD_CSV = HEADER + (
    '64.72.01,Palaran,001,2024,61234,"221,29",31/12/2024,6472010101900001\n'
    '64.72.02,Samarinda Seberang,002,2024,70456,"12,49",31/12/2024,6472010101900002\n'
    '64.72.03,Samarinda Ulu,003,2024,131902,"1.022,12",31/12/2024,6472010101900003\n'
)
# Row 3: a word where a number belongs.
BAD_CSV = HEADER + (
    '64.72.01,Palaran,001,2024,61234,"221,29",31/12/2024,6472010101900001\n'
    '64.72.02,Samarinda Seberang,002,2024,banyak,"12,49",31/12/2024,6472010101900002\n'
)
SECRET = "6472010101900001"


def file_storage(data: str | bytes, filename: str) -> FileStorage:
    stream = io.BytesIO(data.encode("utf-8") if isinstance(data, str) else data)
    return FileStorage(stream, filename, "upload")


def drop_datastore_tables() -> None:
    """Empty the DataStore database (tables of earlier tests; CKAN's clean_db leaves them)."""
    from ckanext.datastore.backend.postgres import get_write_engine

    with get_write_engine().begin() as connection:
        names = connection.execute(
            sa.text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename NOT IN ('_table_stats')"
            )
        ).scalars()
        for name in list(names):
            connection.execute(sa.text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))


@pytest.fixture
def clean_datastore(clean_db, clean_index):
    drop_datastore_tables()


@pytest.fixture
def opd_editor():
    user = factories.User()
    org = OPD(users=[{"name": user["name"], "capacity": "editor"}])
    return {"user": user, "org": org}


@pytest.fixture
def dataset(opd_editor):
    return Dataset(owner_org=opd_editor["org"]["id"])


@pytest.fixture
def run_jobs():
    """Run the queued jobs (validation and loads) with a real RQ worker, then stop."""

    def run() -> None:
        jobs.Worker(["sipessut"]).work(burst=True)

    return run


@pytest.fixture
def upload(opd_editor, dataset, run_jobs):
    """Create a table resource as the OPD editor, then run the jobs it queued."""

    def create(
        data: str | bytes = GOOD_CSV,
        filename: str = "penduduk.csv",
        package_id: str | None = None,
        user: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        fields.setdefault("data_dictionary", json.dumps(DICTIONARY))
        resource = helpers.call_action(
            "resource_create",
            {"user": user or opd_editor["user"]["name"]},
            package_id=package_id or dataset["id"],
            upload=file_storage(data, filename),
            url="",
            name=fields.pop("name", "Penduduk per kecamatan"),
            **fields,
        )
        run_jobs()
        return helpers.call_action("resource_show", id=resource["id"])

    return create


def search(resource_id: str, user: str | None = None, **params: Any) -> dict[str, Any]:
    context = {"user": user, "ignore_auth": False} if user is not None else {"ignore_auth": True}
    return helpers.call_action("datastore_search", context, resource_id=resource_id, **params)
