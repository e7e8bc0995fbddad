"""Fixtures of the validation tests: uploads, data dictionaries and a real RQ worker."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from ckan.lib import jobs
from ckan.tests import factories, helpers
from werkzeug.datastructures import FileStorage

from ckanext.sipessut.tests.factories import OPD

# The dictionary of the sample table (population by kecamatan): MS-Var extras included.
DICTIONARY = {
    "fields": [
        {
            "name": "kode_wilayah",
            "title": "Kode wilayah",
            "type": "string",
            "codelist": {"name": "wilayah", "where": {"level": "kecamatan"}},
            "constraints": {"required": True},
            "konsep": "Wilayah administrasi",
        },
        {"name": "kecamatan", "type": "string", "constraints": {"required": True}},
        {"name": "tahun", "type": "integer", "constraints": {"minimum": 2000, "maximum": 2030}},
        {
            "name": "jumlah_penduduk",
            "type": "integer",
            "constraints": {"minimum": 0},
            "satuan": "jiwa",
        },
        {"name": "luas_km2", "type": "number", "decimalChar": ",", "groupChar": "."},
    ]
}

GOOD_CSV = (
    "kode_wilayah,kecamatan,tahun,jumlah_penduduk,luas_km2\n"
    '64.72.01,Palaran,2024,61234,"221,29"\n'
    '64.72.02,Samarinda Seberang,2024,70456,"12,49"\n'
    '64.72.03,Samarinda Ulu,2024,131902,"22,12"\n'
)
# Row 3: a word in an integer column; row 4: a code that is not a kecamatan.
BAD_CSV = (
    "kode_wilayah,kecamatan,tahun,jumlah_penduduk,luas_km2\n"
    '64.72.01,Palaran,2024,61234,"221,29"\n'
    '64.72.02,Samarinda Seberang,2024,banyak,"12,49"\n'
    '64.72.99,Samarinda Ulu,2024,131902,"22,12"\n'
)


def file_storage(data: str | bytes, filename: str) -> FileStorage:
    """What a form or a multipart API call gives CKAN."""
    stream = io.BytesIO(data.encode("utf-8") if isinstance(data, str) else data)
    return FileStorage(stream, filename, "upload")


@pytest.fixture
def opd_editor():
    user = factories.User()
    org = OPD(users=[{"name": user["name"], "capacity": "editor"}])
    return {"user": user, "org": org}


@pytest.fixture
def dataset(opd_editor):
    return factories.Dataset(owner_org=opd_editor["org"]["id"])


@pytest.fixture
def upload_resource(opd_editor, dataset):
    """Create a resource with an uploaded file, as the OPD editor."""

    def create(data: str | bytes, filename: str = "tabel.csv", **fields: Any) -> dict[str, Any]:
        fields.setdefault("data_dictionary", json.dumps(DICTIONARY))
        return helpers.call_action(
            "resource_create",
            {"user": opd_editor["user"]["name"]},
            package_id=dataset["id"],
            upload=file_storage(data, filename),
            url="",
            **fields,
        )

    return create


@pytest.fixture
def run_jobs():
    """Run the queued validation jobs with a real RQ worker (forked work horse), then stop."""

    def run() -> None:
        jobs.Worker(["sipessut"]).work(burst=True)

    return run
