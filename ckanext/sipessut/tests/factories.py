"""Test factories for the extension's schemas, built on CKAN's own factories.

Each factory makes an object the schemas accept as *public*, i.e. with complete
metadata; pass `private=True` and leave fields out to test drafts.
"""

from __future__ import annotations

import uuid

import factory
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories


class OPD(factories.Organization):
    """An organization as the OPD schema requires it (a unique kode SKPD)."""

    kode_skpd = factory.Sequence(lambda n: f"2.16.0.00.0.00.{n % 100:02d}.{n // 100:04d}")
    # Indonesian, as an OPD writes it (CKAN's factory writes a random English sentence,
    # which the language sweep of the portal's pages would rightly find)
    description = "Perangkat daerah Pemerintah Kota Samarinda."


class Dataset(factories.Dataset):
    """A data table with complete Satu Data metadata."""

    notes = "Jumlah penduduk menurut kecamatan."
    sektor = "2"
    sumber_data = "Registrasi penduduk"
    periode_awal = "2024"
    jadwal_pemutakhiran = "tahunan"
    tingkat_penyajian = ["8"]
    kode_wilayah = "64.72"
    pengaturan_akses = "terbuka"


class Kegiatan(factories.Dataset):
    """An MS-Keg statistical activity, compiled from administrative records (no block V)."""

    type = "kegiatan"
    tahun = "2025"
    cara_pengumpulan_data = "3"
    sektor_kegiatan = "2"
    unit_eselon1 = "Sekretariat Daerah"
    unit_eselon2 = "Dinas Kependudukan dan Pencatatan Sipil"
    pj_teknis_jabatan = "Kepala Bidang Pelayanan"
    pj_teknis_alamat = "Jl. Kesuma Bangsa, Samarinda"
    latar_belakang_kegiatan = "Kebutuhan data penduduk per kecamatan."
    tujuan_kegiatan = "Menyediakan jumlah penduduk per kecamatan."
    jadwal_perencanaan_awal = "2025-01-02"
    jadwal_perencanaan_akhir = "2025-01-31"
    jadwal_desain_awal = "2025-02-01"
    jadwal_desain_akhir = "2025-02-28"
    jadwal_pengumpulan_awal = "2025-03-01"
    jadwal_pengumpulan_akhir = "2025-06-30"
    jadwal_pengolahan_awal = "2025-07-01"
    jadwal_pengolahan_akhir = "2025-08-31"
    jadwal_analisis_awal = "2025-09-01"
    jadwal_analisis_akhir = "2025-09-30"
    jadwal_diseminasi_awal = "2025-10-01"
    jadwal_diseminasi_akhir = "2025-10-31"
    jadwal_evaluasi_awal = "2025-11-01"
    jadwal_evaluasi_akhir = "2025-11-30"
    variabel_dikumpulkan = factory.LazyFunction(
        lambda: [{"variabel_nama": "Jumlah penduduk", "variabel_konsep": "Penduduk"}]
    )
    kegiatan_ini_dilakukan = "2"
    frekuensi_penyelenggaraan = "7"
    tipe_pengumpulan_data = "3"
    cakupan_wilayah = "2"
    wilayah_kegiatan = factory.LazyFunction(
        lambda: [
            {
                "kode_provinsi": "64",
                "nama_provinsi": "Kalimantan Timur",
                "kode_kabupaten_kota": "64.72",
                "nama_kabupaten_kota": "Kota Samarinda",
            }
        ]
    )
    metode_pengumpulan_data = ["8"]
    sarana_pengumpulan_data = ["8"]
    unit_pengumpulan_data = ["1"]
    melakukan_uji_coba = "2"
    metode_pemeriksaan_kualitas = ["2"]
    penyesuaian_nonrespon = "2"
    metode_analisis = "1"
    unit_analisis = ["1"]
    tingkat_penyajian_hasil = ["4", "8"]


class Indikator(factories.Dataset):
    """An MS-Ind indicator, not composite; give it `kegiatan=<id or name>`."""

    type = "indikator"
    konsep = "Penduduk adalah semua orang yang berdomisili di wilayah Indonesia."
    definisi = "Jumlah penduduk yang tercatat pada akhir tahun."
    interpretasi = "Menggambarkan besarnya penduduk."
    metode_perhitungan = "Penjumlahan penduduk terdaftar."
    ukuran = "Jumlah"
    satuan = "orang"
    klasifikasi_penyajian = ["Kecamatan", "Jenis kelamin"]
    indikator_komposit = "2"
    variabel_pembangun = factory.LazyFunction(
        lambda: [{"nama": "Jumlah penduduk", "kegiatan_penghasil": "Registrasi penduduk"}]
    )
    level_estimasi = "kecamatan"
    bisa_diakses_umum = "1"


def store_resources(package_id: str, rows: list[dict]) -> None:
    """Replace a dataset's resources by rows written straight into CKAN's resource table
    (each: format, url, state, extras), for tests of the SQL rules over generated resources."""
    model.Session.execute(
        sa.delete(model.Resource.__table__).where(model.Resource.package_id == package_id)
    )
    for position, row in enumerate(rows):
        model.Session.execute(
            model.Resource.__table__.insert().values(
                id=str(uuid.uuid4()), package_id=package_id, position=position, **row
            )
        )
    model.Session.flush()
