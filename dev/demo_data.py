"""Loads the demo content into a running portal through its action API.

Run by dev/demo.sh with SIPESSUT_URL and SIPESSUT_TOKEN (a short-lived API
token of the demo sysadmin, revoked at the end). Idempotent: what exists
already is left as it is.

The numbers in dev/demo/*.csv are illustrative, not official statistics; the
datasets say so.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import requests

URL = os.environ["SIPESSUT_URL"].rstrip("/")
TOKEN = os.environ["SIPESSUT_TOKEN"]
DATA = Path(__file__).with_name("demo")
TIMEOUT = 30  # seconds, per request

ORGANIZATIONS = [
    {
        "name": "diskominfo",
        "title": "Dinas Komunikasi dan Informatika",
        "description": "Walidata Kota Samarinda (data contoh).",
        "kode_skpd": "2.16.2.20.2.21.01.0000",
        "singkatan": "Diskominfo",
        "peran": "walidata",
        "bidang_urusan": ["2.16", "2.20", "2.21"],
        "kode_wilayah": "64.72",
    },
]

DATASETS = [
    {
        "name": "jumlah-penduduk-menurut-kecamatan-2024",
        "title": "Jumlah Penduduk Menurut Kecamatan di Kota Samarinda, 2024",
        "notes": "Data contoh untuk demo SiPessut: angka ilustratif, bukan statistik resmi.",
        "owner_org": "diskominfo",
        "tags": [{"name": "kependudukan"}, {"name": "kecamatan"}],
        "file": "penduduk-kecamatan-2024.csv",
        # The MS-Var data dictionary the table is validated against (Table Schema).
        "data_dictionary": {
            "fields": [
                {
                    "name": "kode_wilayah",
                    "title": "Kode wilayah",
                    "type": "string",
                    "codelist": {"name": "wilayah", "where": {"level": "kecamatan"}},
                    "constraints": {"required": True},
                },
                {"name": "kecamatan", "type": "string", "constraints": {"required": True}},
                {"name": "tahun", "type": "year"},
                {
                    "name": "jumlah_penduduk",
                    "type": "integer",
                    "constraints": {"minimum": 0},
                    "satuan": "jiwa",
                },
                {
                    "name": "luas_km2",
                    "type": "number",
                    "decimalChar": ",",
                    "groupChar": ".",
                    "satuan": "km2",
                },
            ],
            "primaryKey": ["kode_wilayah", "tahun"],
        },
    },
    {
        "name": "jumlah-sekolah-menurut-kecamatan-2024",
        "title": "Jumlah Sekolah Dasar dan Menengah Pertama Menurut Kecamatan, 2024",
        "notes": "Data contoh untuk demo SiPessut: angka ilustratif, bukan statistik resmi.",
        "owner_org": "diskominfo",
        "tags": [{"name": "pendidikan"}, {"name": "kecamatan"}],
        "file": "sekolah-kecamatan-2024.csv",
    },
]


def call(action: str, data: dict | None = None, files: dict | None = None) -> dict:
    response = requests.post(
        f"{URL}/api/3/action/{action}",
        headers={"Authorization": TOKEN},
        json=None if files else data,
        data=data if files else None,
        files=files,
        timeout=TIMEOUT,
    )
    body = response.json()
    if not body.get("success"):
        raise RuntimeError(f"{action} failed ({response.status_code}): {body.get('error')}")
    return body["result"]


def exists(action: str, name: str) -> bool:
    response = requests.get(
        f"{URL}/api/3/action/{action}",
        params={"id": name},
        headers={"Authorization": TOKEN},
        timeout=TIMEOUT,
    )
    return response.status_code == 200


def load() -> None:
    for org in ORGANIZATIONS:
        if exists("organization_show", org["name"]):
            print(f"  organization {org['name']}: present")
        else:
            call("organization_create", org)
            print(f"  organization {org['name']}: created")

    for spec in DATASETS:
        dataset = {k: v for k, v in spec.items() if k not in ("file", "data_dictionary")}
        if exists("package_show", dataset["name"]):
            print(f"  dataset {dataset['name']}: present")
            continue
        created = call("package_create", dataset)
        path = DATA / spec["file"]
        with path.open("rb") as upload:
            call(
                "resource_create",
                {
                    "package_id": created["id"],
                    "name": path.stem,
                    "format": "CSV",
                    **(
                        {"data_dictionary": json.dumps(spec["data_dictionary"])}
                        if "data_dictionary" in spec
                        else {}
                    ),
                },
                files={"upload": (path.name, upload, "text/csv")},
            )
        print(f"  dataset {dataset['name']}: created")


def main() -> int:
    try:
        load()
    finally:
        requests.post(
            f"{URL}/api/3/action/api_token_revoke",
            headers={"Authorization": TOKEN},
            json={"token": TOKEN},
            timeout=TIMEOUT,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
