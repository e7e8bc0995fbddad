"""BPS INDAH: a kegiatan's MS-Keg, its tables' MS-Var and its indicators' MS-Ind in the
structure and codes INDAH uses (shared reference satu-data-portals.md section 4), as JSON
and as one XLSX an officer copies from; and the printable MS-Keg (the BPS form's blocks).

INDAH wraps each record in an envelope (`version: "v2"`, `submission_period`, `status`,
`produsen_data`) around `data`. Our field names are INDAH's keys already; what changes:
- single choices become INDAH's enums (the code list's `indah` attribute, else the label
  in capitals with underscores: "Cross Sectional" -> CROSS_SECTIONAL);
- multi-select answers (stored as lists of paper-form codes) become one boolean per
  option, plus the paper form's sum of the codes (`..._kode`);
- yes/no answers become booleans.
Only what the user may read is exported: the OPD its drafts, the public what is published.
"""

from __future__ import annotations

import io
import re
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut import codelists, metadata, opd, settings
from ckanext.sipessut.interop import rdf, records

VERSION = "v2"
STAGES = (
    "perencanaan",
    "desain",
    "pengumpulan",
    "pengolahan",
    "analisis",
    "diseminasi",
    "evaluasi",
)
YES = "1"

# Multi-select fields -> (code list, {code: INDAH boolean key}); the `lainnya` option
# carries its free text in `<prefix>lainnya_text`.
_UNIT_KEYS = {"1": "individu", "2": "rumah_tangga", "4": "usaha_perusahaan", "8": "lainnya"}
MULTI = {
    "metode_pengumpulan_data": ("metode_pengumpulan", None, "metode_lainnya_text"),
    "sarana_pengumpulan_data": ("sarana_pengumpulan", None, "sarana_lainnya_text"),
    "unit_pengumpulan_data": (
        "unit", {c: f"unit_{k}" for c, k in _UNIT_KEYS.items()}, "unit_lainnya_text"
    ),
    "metode_pemeriksaan_kualitas": ("pemeriksaan_kualitas", None, "kualitas_lainnya_text"),
    "tahap_pengolahan_data": ("tahap_pengolahan", None, None),
    "unit_analisis": (
        "unit",
        {c: f"unit_analisis_{k}" for c, k in _UNIT_KEYS.items()},
        "unit_analisis_lainnya_text",
    ),
    # INDAH has no Kecamatan box: it is "lainnya" with the text Kecamatan.
    "tingkat_penyajian_hasil": (
        "tingkat_penyajian",
        {"1": "tingkat_nasional", "2": "tingkat_provinsi", "4": "tingkat_kabupaten_kota",
         "8": "tingkat_lainnya", "16": "tingkat_lainnya"},
        "tingkat_lainnya_text",
    ),
    "produk_tersedia": (
        "produk", {"tercetak": "produk_tercetak", "digital": "produk_digital",
                   "mikrodata": "produk_mikrodata"}, None,
    ),
}  # fmt: skip
MSVAR_TYPES = {"string": "CHARACTER"}


def enum(codelist: str, code: Any) -> str | None:
    """A single choice as INDAH's enum."""
    if code in (None, ""):
        return None
    found = codelists.get(codelist).get(str(code))
    if found is None:
        return str(code)
    if found.attrs.get("indah"):
        return str(found.attrs["indah"])
    return re.sub(r"[^A-Z0-9]+", "_", found.label("id").upper()).strip("_")


def _yes(value: Any) -> bool | None:
    return None if value in (None, "") else str(value) == YES


def booleans(pkg: dict[str, Any], field: str) -> dict[str, Any]:
    codelist, keys, other_text = MULTI[field]
    chosen = set(records.references(pkg.get(field)))
    found: dict[str, Any] = {}
    total = 0
    for code in codelists.get(codelist).codes:
        key = (keys or {}).get(code.code) or str(code.attrs.get("indah") or code.code)
        found[key] = found.get(key, False) or code.code in chosen
        if code.code in chosen and code.code.isdigit():
            total += int(code.code)
    if other_text:
        text = pkg.get(other_text) or ""
        if field == "tingkat_penyajian_hasil" and "8" in chosen:
            text = ", ".join(filter(None, ["Kecamatan", text]))
        found[other_text] = text
    if total:
        found[f"{field}_kode"] = total
    return found


def _producer(pkg: dict[str, Any]) -> dict[str, Any]:
    producer = records.producer(pkg)
    region = settings.region_code()
    wilayah = codelists.get("wilayah").get(region)
    bps = str(wilayah.attrs.get("bps") or "") if wilayah else ""
    return {
        "id": producer.kode_skpd if producer else "",
        "name": producer.title if producer else "",
        "province_code": region.split(".")[0],
        "city_code": bps if len(bps) == 4 else "",
        "kode_wilayah": region,
    }


def _schedule(pkg: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {
        stage: {
            "awal": pkg.get(f"jadwal_{stage}_awal") or "",
            "akhir": pkg.get(f"jadwal_{stage}_akhir") or "",
        }
        for stage in STAGES
    }


def _repeating(pkg: dict[str, Any], field: str) -> list[dict[str, Any]]:
    value = pkg.get(field)
    if isinstance(value, str):
        import json

        try:
            value = json.loads(value)
        except ValueError:
            return []
    return [item for item in value or [] if isinstance(item, dict)]


def ms_keg(pkg: dict[str, Any]) -> dict[str, Any]:
    """The kegiatan as INDAH's `data` of /metadata-statistik/kegiatan."""
    producer = records.producer(pkg)
    frekuensi = enum("frekuensi", pkg.get("frekuensi_penyelenggaraan"))
    known = {c.attrs.get("indah") for c in codelists.get("frekuensi").codes}
    frekuensi_text = ""
    if frekuensi and frekuensi not in known:
        frekuensi_text = codelists.get("frekuensi").label(
            str(pkg["frekuensi_penyelenggaraan"]), "id"
        )
        frekuensi = "LAINNYA"
    return {
        "judul_kegiatan": pkg.get("title") or "",
        "tahun": int(pkg["tahun"]) if str(pkg.get("tahun") or "").isdigit() else None,
        "kode_kegiatan": pkg.get("kode_kegiatan") or "",
        "kode_metadata": pkg.get("kode_metadata") or "",
        "jenis_statistik": "STATISTIK_SEKTORAL",
        "cara_pengumpulan_data": enum("cara_pengumpulan", pkg.get("cara_pengumpulan_data")),
        "sektor_kegiatan": str(pkg.get("sektor_kegiatan") or ""),
        "sektor_kegiatan_nama": codelists.get("sektor").label(
            str(pkg.get("sektor_kegiatan") or ""), "id"
        ),
        "rekomendasi_dari_bps": _yes(pkg.get("rekomendasi_dari_bps")),
        "identitas_rekomendasi": pkg.get("identitas_rekomendasi") or "",
        "blok_i": {
            "instansi_penyelenggara": producer.title if producer else "",
            "kode_skpd": producer.kode_skpd if producer else "",
            "alamat_instansi": producer.alamat if producer else "",
            "telepon_instansi": producer.telepon if producer else "",
            "email_instansi": producer.email if producer else "",
        },
        "blok_ii": {
            "unit_eselon1": pkg.get("unit_eselon1") or "",
            "unit_eselon2": pkg.get("unit_eselon2") or "",
            **{
                f"pj_teknis_{k}": pkg.get(f"pj_teknis_{k}") or ""
                for k in ("nama", "jabatan", "alamat", "telepon", "faksimile", "email")
            },
        },  # fmt: skip
        "blok_iii": {
            "latar_belakang_kegiatan": pkg.get("latar_belakang_kegiatan") or "",
            "tujuan_kegiatan": pkg.get("tujuan_kegiatan") or "",
            "jadwal": _schedule(pkg),
            "variabel_dikumpulkan": [
                {
                    "nama": v.get("variabel_nama") or "",
                    "konsep": v.get("variabel_konsep") or "",
                    "definisi": v.get("variabel_definisi") or "",
                    "referensi_waktu": v.get("variabel_referensi_waktu") or "",
                }
                for v in _repeating(pkg, "variabel_dikumpulkan")
            ],
        },
        "blok_iv": {
            "kegiatan_ini_dilakukan": enum("kegiatan_dilakukan", pkg.get("kegiatan_ini_dilakukan")),
            "frekuensi_penyelenggaraan": frekuensi,
            "frekuensi_lainnya_text": frekuensi_text,
            "tipe_pengumpulan_data": enum("tipe_pengumpulan", pkg.get("tipe_pengumpulan_data")),
            "cakupan_wilayah": enum("cakupan_pengumpulan", pkg.get("cakupan_wilayah")),
            "wilayah_kegiatan": _repeating(pkg, "wilayah_kegiatan"),
            **booleans(pkg, "metode_pengumpulan_data"),
            **booleans(pkg, "sarana_pengumpulan_data"),
            **booleans(pkg, "unit_pengumpulan_data"),
        },
        "blok_v": _blok_v(pkg),
        "blok_vi": {
            "melakukan_uji_coba": _yes(pkg.get("melakukan_uji_coba")),
            **booleans(pkg, "metode_pemeriksaan_kualitas"),
            "penyesuaian_nonrespon": _yes(pkg.get("penyesuaian_nonrespon")),
            "petugas_pengumpulan_data": enum(
                "petugas_pengumpulan", pkg.get("petugas_pengumpulan_data")
            ),
            "pendidikan_terendah_petugas": enum(
                "pendidikan_petugas", pkg.get("pendidikan_terendah_petugas")
            ),
            "jumlah_petugas_supervisor": _number(pkg.get("jumlah_petugas_supervisor")),
            "jumlah_petugas_enumerator": _number(pkg.get("jumlah_petugas_enumerator")),
            "pelatihan_petugas": _yes(pkg.get("pelatihan_petugas")),
        },
        "blok_vii": {
            **booleans(pkg, "tahap_pengolahan_data"),
            "metode_analisis": enum("metode_analisis", pkg.get("metode_analisis")),
            **booleans(pkg, "unit_analisis"),
            **booleans(pkg, "tingkat_penyajian_hasil"),
        },
        "blok_viii": {
            **booleans(pkg, "produk_tersedia"),
            "rilis_tercetak_tanggal": pkg.get("rilis_tercetak_tanggal") or "",
            "rilis_digital_tanggal": pkg.get("rilis_digital_tanggal") or "",
            "rilis_mikrodata_tanggal": pkg.get("rilis_mikrodata_tanggal") or "",
        },
    }


def _number(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _blok_v(pkg: dict[str, Any]) -> dict[str, Any] | None:
    if str(pkg.get("cara_pengumpulan_data") or "") != "2":  # survei only
        return None
    return {
        "jenis_rancangan_sampel": enum("rancangan_sampel", pkg.get("jenis_rancangan_sampel")),
        "metode_pemilihan_sampel_tahap_terakhir": enum(
            "pemilihan_sampel", pkg.get("metode_pemilihan_sampel_tahap_terakhir")
        ),
        "metode_yang_digunakan": enum("metode_sampling", pkg.get("metode_yang_digunakan")),
        "kerangka_sampel_tahap_terakhir": enum(
            "kerangka_sampel", pkg.get("kerangka_sampel_tahap_terakhir")
        ),
        "fraksi_sampel_keseluruhan": pkg.get("fraksi_sampel_keseluruhan") or "",
        "sampling_error_variabel_utama": pkg.get("sampling_error_variabel_utama") or "",
        "unit_sampel": pkg.get("unit_sampel") or "",
        "unit_observasi": pkg.get("unit_observasi") or "",
    }


def _rules(field: dict[str, Any]) -> list[str]:
    """Aturan validasi in INDAH's words ("HARUS TERISI"...)."""
    constraints = field.get("constraints") or {}
    rules = []
    if constraints.get("required"):
        rules.append("HARUS TERISI")
    if constraints.get("unique"):
        rules.append("UNIK")
    if "minimum" in constraints:
        rules.append(f"MINIMAL {constraints['minimum']}")
    if "maximum" in constraints:
        rules.append(f"MAKSIMAL {constraints['maximum']}")
    if constraints.get("pattern"):
        rules.append(f"POLA {constraints['pattern']}")
    return rules


def _value_domain(field: dict[str, Any]) -> list[dict[str, str]]:
    if field.get("klasifikasi"):
        return [
            {"kode": str(k.get("kode")), "nilai": str(k.get("nilai"))} for k in field["klasifikasi"]
        ]
    reference = field.get("codelist")
    if reference:
        name = reference.get("name") if isinstance(reference, dict) else reference
        where = (reference.get("where") or {}) if isinstance(reference, dict) else {}
        try:
            found = codelists.get(str(name))
        except KeyError:
            return []
        codes = found.where(**where) if where else found.codes
        return [{"kode": c.code, "nilai": c.label("id")} for c in codes]
    return [
        {"kode": str(c), "nilai": str(c)}
        for c in (field.get("constraints") or {}).get("enum") or []
    ]


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return [str(value)] if value else []


def ms_var(field: dict[str, Any], pkg: dict[str, Any]) -> dict[str, Any]:
    """One variable (a column's MS-Var) as INDAH's `data` of /metadata-statistik/variabel."""
    tipe = codelists.get("tipe_data").get(str(field.get("type") or "string"))
    msvar = MSVAR_TYPES.get(str(field.get("type") or "string")) or (
        str(tipe.attrs.get("msvar") or "").upper() if tipe else "CHARACTER"
    )
    return {
        "nama": field.get("title") or field.get("name") or "",
        "alias": field.get("alias") or field.get("name") or "-",
        "definisi": field.get("description") or "",
        "konsep": _as_list(field.get("konsep")),
        "referensi_pemilihan": _as_list(field.get("referensi_pemilihan")),
        "referensi_waktu": field.get("referensi_waktu") or "",
        "ukuran": field.get("ukuran") or "-",
        "satuan": field.get("satuan") or "",
        "tipe_data": msvar,
        "value_domain": _value_domain(field),
        "aturan_validasi": _rules(field),
        "kalimat_pertanyaan": field.get("kalimat_pertanyaan")
        or field.get("title")
        or field.get("name")
        or "",
        "apakah_variabel_bisa_diakses_umum": rdf.is_public_field(field),
        "id_sds": field.get("id_sds") or pkg.get("kode_sds") or "",
    }


def ms_ind(pkg: dict[str, Any]) -> dict[str, Any]:
    """An indikator as INDAH's `data` of /metadata-statistik/indikator."""
    komposit = _yes(pkg.get("indikator_komposit"))
    return {
        "nama": pkg.get("title") or "",
        "definisi": pkg.get("definisi") or "",
        "konsep": _as_list(pkg.get("konsep")),
        "interpretasi": pkg.get("interpretasi") or "",
        "metode_perhitungan": pkg.get("metode_perhitungan") or "",
        "rumus": pkg.get("rumus") or "",
        "ukuran": pkg.get("ukuran") or "",
        "satuan": pkg.get("satuan") or "",
        "variabel_disaggregasi": [
            {"nama": n} for n in records.references(pkg.get("klasifikasi_penyajian"))
        ],
        "apakah_indikator_komposit": komposit,
        "indikator_pembangun": _repeating(pkg, "indikator_pembangun") if komposit else [],
        "variabel_pembangun": _repeating(pkg, "variabel_pembangun") if komposit is False else [],
        "level_estimasi": enum("level_estimasi", pkg.get("level_estimasi")),
        "apakah_indikator_bisa_diakses_umum": _yes(pkg.get("bisa_diakses_umum")),
        "id_sds": pkg.get("kode_sds") or "",
    }


def _linked(kegiatan: dict[str, Any], dataset_type: str) -> list[dict[str, Any]]:
    """The datasets of `dataset_type` linking to this kegiatan that the user may read."""
    found = tk.h.sipessut_referenced_by(kegiatan["id"], dataset_type)
    shown = []
    for item in found:
        try:
            shown.append(tk.get_action("package_show")({}, {"id": item["id"]}))
        except (tk.ObjectNotFound, tk.NotAuthorized):
            continue
    return shown


def _envelope(kegiatan: dict[str, Any], data: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "version": VERSION,
        "submission_period": kegiatan.get("tahun") or "",
        "status": "DRAFT",
        "produsen_data": _producer(kegiatan),
        **extra,
        "data": data,
    }


def export(kegiatan: dict[str, Any]) -> dict[str, Any]:
    """The whole INDAH export of one kegiatan."""
    kode = kegiatan.get("kode_metadata") or None
    variables = []
    for table in _linked(kegiatan, "dataset"):
        for resource in table.get("resources") or []:
            schema = rdf.dictionary_of(resource.get(metadata.DATA_DICTIONARY_FIELD)) or {}
            for field in schema.get("fields") or []:
                if isinstance(field, dict):
                    variables.append(
                        _envelope(
                            kegiatan,
                            ms_var(field, table),
                            ms_keg_id=kode,
                            sumber={"dataset": table["name"], "tabel": resource.get("name") or ""},
                        )
                    )
    return {
        "format": "INDAH metadata-statistik v2 (ekspor SiPessut)",
        "sumber": rdf.dataset_page_url(kegiatan).replace("/dataset/", "/kegiatan/"),
        "kegiatan": _envelope(kegiatan, ms_keg(kegiatan)),
        "variabel": variables,
        "indikator": [
            _envelope(kegiatan, ms_ind(ind), ms_keg_id=kode)
            for ind in _linked(kegiatan, "indikator")
        ],
    }


# --- the printable MS-Keg and the XLSX an officer copies from -----------------------------


def display(field: dict[str, Any], value: Any) -> str | list[dict[str, str]]:
    """A field's value as the form shows it: code labels, linked titles, sub-rows."""
    if value in (None, "", []):
        return ""
    if field.get("repeating_subfields"):
        rows = value if isinstance(value, list) else _repeating({"v": value}, "v")
        return [
            {metadata.field_label(sub): str(row.get(sub["field_name"]) or "")
             for sub in field["repeating_subfields"]}
            for row in rows if isinstance(row, dict)
        ]  # fmt: skip
    if field.get("codelist"):
        return ", ".join(
            codelists.get(field["codelist"]).label(code, "id") for code in records.references(value)
        )
    if field["field_name"] == "owner_org":
        record = opd.organization(str(value))
        return record.title if record else str(value)
    return str(value)


# In the printed form's header (or not part of the BPS form): not repeated in the blocks.
PRINT_HEADER_FIELDS = frozenset(
    {"name", "title", "tahun", "kode_kegiatan", "kode_metadata", "tag_string"}
)


def printable(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    """The MS-Keg as the BPS form's blocks: [{title, rows: [{label, value}]}]."""
    blocks = []
    for title, fields in metadata.sections_of(pkg):
        rows = []
        for field in fields:
            if field["field_name"] in PRINT_HEADER_FIELDS:
                continue
            rows.append(
                {
                    "label": metadata.field_label(field),
                    "value": display(field, pkg.get(field["field_name"])),
                }
            )
        if rows:
            blocks.append({"title": title, "rows": rows})
    return blocks


MSVAR_HEADER = (
    "No", "Nama Variabel", "Alias", "Konsep", "Definisi", "Referensi Pemilihan", "Referensi Waktu",
    "Tipe Data", "Klasifikasi Isian", "Aturan Validasi", "Kalimat Pertanyaan",
    "Apakah Variabel Dapat Diakses Umum?", "Ukuran", "Satuan", "Tabel",
)  # fmt: skip
MSIND_HEADER = (
    "No", "Nama Indikator", "Konsep", "Definisi", "Interpretasi", "Metode/Rumus Penghitungan",
    "Ukuran", "Satuan", "Klasifikasi Penyajian", "Apakah Indikator Komposit?",
    "Indikator Pembangun", "Variabel Pembangun", "Level Estimasi",
    "Apakah Indikator Dapat Diakses Umum?",
)  # fmt: skip


def _yes_no(value: Any) -> str:
    return {True: "Ya", False: "Tidak"}.get(value, "")


def workbook(kegiatan: dict[str, Any]) -> bytes:
    """One XLSX per kegiatan: sheets MS-Keg, MS-Var and MS-Ind, in Indonesian."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    data = export(kegiatan)
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    heading = [
        ("Kode Metadata (INDAH)", kegiatan.get("kode_metadata") or ""),
        ("Kode Kegiatan", kegiatan.get("kode_kegiatan") or ""),
        ("Nama Kegiatan", kegiatan.get("title") or ""),
        ("Tahun", kegiatan.get("tahun") or ""),
        ("Penyelenggara", data["kegiatan"]["produsen_data"]["name"]),
    ]

    def cell(sheet: Any, value: Any, strong: bool = False) -> Any:
        from openpyxl.cell import WriteOnlyCell

        item = WriteOnlyCell(sheet, value=value)
        if strong:
            item.font = bold
        return item

    keg = book.create_sheet("MS-Keg")
    for label, value in heading:
        keg.append([cell(keg, label, True), value])
    keg.append([])
    for block in printable(kegiatan):
        keg.append([cell(keg, block["title"], True)])
        for row in block["rows"]:
            value = row["value"]
            if isinstance(value, list):
                keg.append([row["label"], ""])
                for number, sub in enumerate(value, start=1):
                    keg.append(
                        ["", f"{number}. " + "; ".join(f"{k}: {v}" for k, v in sub.items() if v)]
                    )
            else:
                keg.append([row["label"], value])
        keg.append([])

    var = book.create_sheet("MS-Var")
    for label, value in heading:
        var.append([cell(var, label, True), value])
    var.append([])
    var.append([cell(var, h, True) for h in MSVAR_HEADER])
    for number, record in enumerate(data["variabel"], start=1):
        v = record["data"]
        var.append([
            number, v["nama"], v["alias"], "; ".join(v["konsep"]), v["definisi"],
            "; ".join(v["referensi_pemilihan"]), v["referensi_waktu"], v["tipe_data"],
            "; ".join(f"{d['kode']} = {d['nilai']}" for d in v["value_domain"]),
            "; ".join(v["aturan_validasi"]), v["kalimat_pertanyaan"],
            _yes_no(v["apakah_variabel_bisa_diakses_umum"]), v["ukuran"], v["satuan"],
            record["sumber"]["tabel"] or record["sumber"]["dataset"],
        ])  # fmt: skip

    ind = book.create_sheet("MS-Ind")
    for label, value in heading:
        ind.append([cell(ind, label, True), value])
    ind.append([])
    ind.append([cell(ind, h, True) for h in MSIND_HEADER])
    for number, record in enumerate(data["indikator"], start=1):
        i = record["data"]
        ind.append([
            number, i["nama"], "; ".join(i["konsep"]), i["definisi"], i["interpretasi"],
            "; ".join(filter(None, [i["metode_perhitungan"], i["rumus"]])),
            i["ukuran"], i["satuan"],
            "; ".join(d["nama"] for d in i["variabel_disaggregasi"]),
            _yes_no(i["apakah_indikator_komposit"]),
            "; ".join(p.get("nama", "") for p in i["indikator_pembangun"]),
            "; ".join(p.get("nama", "") for p in i["variabel_pembangun"]),
            codelists.get("level_estimasi").label(str(records_value(i["level_estimasi"])), "id"),
            _yes_no(i["apakah_indikator_bisa_diakses_umum"]),
        ])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def records_value(enum_value: Any) -> str:
    """The level_estimasi code back from its enum (for its Indonesian label)."""
    for code in codelists.get("level_estimasi").codes:
        if enum("level_estimasi", code.code) == enum_value:
            return code.code
    return str(enum_value or "")
