"""Fixtures of the validation tests: uploads, data dictionaries and a real RQ worker."""

from __future__ import annotations

import contextlib
import http.server
import io
import json
import threading
import time
from typing import Any

import pytest
from ckan.lib import jobs
from ckan.tests import factories, helpers
from werkzeug.datastructures import FileStorage

from ckanext.sipessut.tests.factories import OPD, Dataset

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

# The table of issue 11 against DICTIONARY: row 3 holds a code that is not a kecamatan,
# row 4 a negative count; the corrected file fixes both.
ISSUE_CSV = (
    "kode_wilayah,kecamatan,tahun,jumlah_penduduk,luas_km2\n"
    '64.72.01,Palaran,2024,61234,"221,29"\n'
    '64.72.19,Samarinda Seberang,2024,70456,"12,49"\n'
    '64.72.03,Samarinda Ulu,2024,-12,"22,12"\n'
)
ISSUE_CORRECTED_CSV = ISSUE_CSV.replace("64.72.19", "64.72.02").replace("-12", "131902")


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
    return Dataset(owner_org=opd_editor["org"]["id"])


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


class _Handler(http.server.BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self.path.startswith("/slow"):
            # Headers at once, then one byte now and then: a server that never finishes.
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.end_headers()
            deadline = time.monotonic() + 30
            with contextlib.suppress(OSError):
                while time.monotonic() < deadline:
                    self.wfile.write(b"a")
                    self.wfile.flush()
                    time.sleep(0.2)
            return
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def file_server():
    """A real HTTP server on loopback serving `files` (path -> bytes) and a /slow endpoint."""
    files: dict[str, bytes] = {}
    handler = type("Handler", (_Handler,), {"files": files})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    server.files = files
    yield server
    server.shutdown()
    server.server_close()
