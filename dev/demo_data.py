"""Loads the demo content into a running portal through its action API.

The organizations (OPDs) come from the OPD registry, which dev/demo.sh syncs
with `ckan sipessut opd sync` before this script runs.

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
EXAMPLE = "Data contoh untuk demo SiPessut: angka ilustratif, bukan statistik resmi."

KEGIATAN = {
    "type": "kegiatan",
    "name": "kompilasi-registrasi-penduduk-2025",
    "title": "Kompilasi Produk Administrasi Registrasi Penduduk Kota Samarinda 2025",
    "owner_org": "disdukcapil",
    "notes": EXAMPLE,
    "tahun": "2025",
    "cara_pengumpulan_data": "3",
    "sektor_kegiatan": "2",
    "unit_eselon1": "Sekretariat Daerah Kota Samarinda",
    "unit_eselon2": "Dinas Kependudukan dan Pencatatan Sipil",
    "pj_teknis_nama": "Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan",
    "pj_teknis_jabatan": "Kepala Bidang",
    "pj_teknis_alamat": "Samarinda",
    "latar_belakang_kegiatan": "Data penduduk per kecamatan dibutuhkan untuk perencanaan daerah.",
    "tujuan_kegiatan": "Menyediakan jumlah penduduk per kecamatan setiap tahun.",
    **{
        f"jadwal_{stage}_{edge}": date
        for stage, (start, end) in {
            "perencanaan": ("2025-01-02", "2025-01-31"),
            "desain": ("2025-02-03", "2025-02-28"),
            "pengumpulan": ("2025-03-03", "2025-06-30"),
            "pengolahan": ("2025-07-01", "2025-08-29"),
            "analisis": ("2025-09-01", "2025-09-30"),
            "diseminasi": ("2025-10-01", "2025-10-31"),
            "evaluasi": ("2025-11-03", "2025-11-28"),
        }.items()
        for edge, date in (("awal", start), ("akhir", end))
    },
    "variabel_dikumpulkan": [
        {
            "variabel_nama": "Jumlah penduduk",
            "variabel_konsep": "Penduduk",
            "variabel_definisi": "Penduduk yang tercatat dalam registrasi.",
            "variabel_referensi_waktu": "31 Desember",
        },
        {
            "variabel_nama": "Luas wilayah",
            "variabel_konsep": "Luas daratan",
            "variabel_definisi": "Luas daratan kecamatan dalam km2.",
            "variabel_referensi_waktu": "31 Desember",
        },
    ],  # fmt: skip
    "kegiatan_ini_dilakukan": "2",
    "frekuensi_penyelenggaraan": "7",
    "tipe_pengumpulan_data": "3",
    "cakupan_wilayah": "2",
    "wilayah_kegiatan": [
        {
            "kode_provinsi": "64",
            "nama_provinsi": "Kalimantan Timur",
            "kode_kabupaten_kota": "64.72",
            "nama_kabupaten_kota": "Kota Samarinda",
        }
    ],  # fmt: skip
    "metode_pengumpulan_data": ["8", "16"],
    "metode_lainnya_text": "Aplikasi SIAK",
    "sarana_pengumpulan_data": ["8"],
    "unit_pengumpulan_data": ["1"],
    "melakukan_uji_coba": "2",
    "metode_pemeriksaan_kualitas": ["2"],
    "penyesuaian_nonrespon": "2",
    "tahap_pengolahan_data": ["editing", "validasi"],
    "metode_analisis": "1",
    "unit_analisis": ["1"],
    "tingkat_penyajian_hasil": ["4", "8"],
    "produk_tersedia": ["digital"],
    "rilis_digital_tanggal": "2026-01-31",
}

INDIKATOR = [
    {
        "type": "indikator",
        "name": "jumlah-penduduk",
        "title": "Jumlah Penduduk",
        "owner_org": "disdukcapil",
        "kegiatan": KEGIATAN["name"],
        "konsep": "Penduduk adalah semua orang yang berdomisili di wilayah Kota Samarinda.",
        "definisi": "Jumlah penduduk yang tercatat dalam registrasi pada akhir tahun.",
        "interpretasi": "Menggambarkan besarnya penduduk suatu wilayah.",
        "metode_perhitungan": "Penjumlahan penduduk yang tercatat.",
        "ukuran": "Jumlah",
        "satuan": "orang",
        "klasifikasi_penyajian": ["Kecamatan"],
        "indikator_komposit": "2",
        "variabel_pembangun": [
            {"nama": "Jumlah penduduk", "kegiatan_penghasil": KEGIATAN["title"]}
        ],
        "level_estimasi": "kecamatan",
        "bisa_diakses_umum": "1",
    },
    {
        "type": "indikator",
        "name": "kepadatan-penduduk",
        "title": "Kepadatan Penduduk",
        "owner_org": "disdukcapil",
        "kegiatan": KEGIATAN["name"],
        "konsep": "Kepadatan penduduk adalah banyaknya penduduk per satuan luas.",
        "definisi": "Jumlah penduduk dibagi luas daratan wilayah.",
        "interpretasi": "Makin tinggi nilainya, makin padat wilayahnya.",
        "metode_perhitungan": "Jumlah penduduk dibagi luas wilayah (km2).",
        "rumus": "\\frac{P}{L}",
        "ukuran": "Rasio",
        "satuan": "jiwa per km2",
        "klasifikasi_penyajian": ["Kecamatan"],
        "indikator_komposit": "2",
        "variabel_pembangun": [
            {"nama": "Jumlah penduduk", "kegiatan_penghasil": KEGIATAN["title"]},
            {"nama": "Luas wilayah", "kegiatan_penghasil": KEGIATAN["title"]},
        ],
        "level_estimasi": "kecamatan",
        "bisa_diakses_umum": "1",
    },
]

KODE_WILAYAH = {
    "name": "kode_wilayah",
    "title": "Kode Wilayah",
    "type": "string",
    "description": "Kode Kemendagri kecamatan.",
    "codelist": {"name": "wilayah", "where": {"level": "kecamatan"}},
    "constraints": {"required": True, "unique": True},
}
KECAMATAN = {"name": "kecamatan", "title": "Kecamatan", "type": "string"}
TAHUN = {"name": "tahun", "title": "Tahun", "type": "year", "referensi_waktu": "31 Desember"}


def _count(name: str, title: str, satuan: str) -> dict:
    return {
        "name": name,
        "title": title,
        "type": "integer",
        "satuan": satuan,
        "constraints": {"required": True, "minimum": 0},
    }


COMMON = {
    "notes": EXAMPLE,
    "jadwal_pemutakhiran": "tahunan",
    "tingkat_penyajian": ["8"],
    "kode_wilayah": "64.72",
    "pengaturan_akses": "terbuka",
    "periode_awal": "2024",
    "tanggal_rilis_terakhir": "2025-03-31",
    "tanggal_rilis_berikutnya": "2026-03-31",
    "license_id": "cc-by",
}

DATASETS = [
    {
        **COMMON,
        "name": "jumlah-penduduk-dan-luas-wilayah-menurut-kecamatan-2024",
        "title": "Jumlah Penduduk dan Luas Wilayah Menurut Kecamatan di Kota Samarinda, 2024",
        "owner_org": "disdukcapil",
        "sektor": "2",
        "sumber_data": "Registrasi penduduk (SIAK)",
        "kegiatan": KEGIATAN["name"],
        "indikator": ["jumlah-penduduk", "kepadatan-penduduk"],
        "tags": [{"name": "kependudukan"}, {"name": "kecamatan"}],
        "file": "penduduk-kecamatan-2024.csv",
        "dictionary": {
            "fields": [
                KODE_WILAYAH,
                KECAMATAN,
                TAHUN,
                _count("jumlah_penduduk", "Jumlah Penduduk", "orang"),
                {
                    "name": "luas_km2",
                    "title": "Luas Wilayah",
                    "type": "number",
                    "satuan": "km2",
                    "decimalChar": ",",
                    "groupChar": ".",
                    "constraints": {"minimum": 0},
                },
            ],  # fmt: skip
            "primaryKey": ["kode_wilayah"],
        },
    },
    {
        **COMMON,
        "name": "jumlah-fasilitas-kesehatan-menurut-kecamatan-2024",
        "title": "Jumlah Fasilitas Kesehatan Menurut Kecamatan di Kota Samarinda, 2024",
        "owner_org": "dinkes",
        "sektor": "9",
        "sumber_data": "Profil Kesehatan Kota Samarinda",
        "tags": [{"name": "kesehatan"}, {"name": "puskesmas"}],
        "file": "fasilitas-kesehatan-2024.csv",
        "dictionary": {
            "fields": [
                KODE_WILAYAH,
                KECAMATAN,
                TAHUN,
                _count("puskesmas", "Jumlah Puskesmas", "unit"),
                _count("puskesmas_pembantu", "Jumlah Puskesmas Pembantu", "unit"),
                _count("rumah_sakit", "Jumlah Rumah Sakit", "unit"),
            ],
        },
    },
    {
        **COMMON,
        "name": "jumlah-sekolah-menurut-kecamatan-2024",
        "title": "Jumlah Sekolah Dasar dan Menengah Pertama Menurut Kecamatan, 2024",
        "owner_org": "disdikbud",
        "sektor": "5",
        "sumber_data": "Data Pokok Pendidikan (Dapodik)",
        "tags": [{"name": "pendidikan"}, {"name": "kecamatan"}],
        "file": "sekolah-kecamatan-2024.csv",
        "dictionary": {
            "fields": [
                KODE_WILAYAH,
                KECAMATAN,
                TAHUN,
                _count("jumlah_sd", "Jumlah SD", "sekolah"),
                _count("jumlah_smp", "Jumlah SMP", "sekolah"),
            ],
        },
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


def ensure(action: str, show_action: str, data: dict, label: str) -> None:
    if exists(show_action, data["name"]):
        print(f"  {label} {data['name']}: present")
    else:
        call(action, data)
        print(f"  {label} {data['name']}: created")


def load() -> None:
    ensure("package_create", "package_show", KEGIATAN, "kegiatan")
    for indikator in INDIKATOR:
        ensure("package_create", "package_show", indikator, "indikator")
    for spec in DATASETS:
        dataset = {k: v for k, v in spec.items() if k not in ("file", "dictionary")}
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
                    "data_dictionary": json.dumps(spec["dictionary"]),
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
