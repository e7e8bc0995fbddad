"""The Daftar Data Daerah: the export read back with python-calamine (attributes, order,
numbered row, values), the import's drafts, its idempotence and its refusals row by row."""

from __future__ import annotations

import io

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from ckanext.sipessut.interop.daftar_data import ATTRIBUTES, NUMBERS
from ckanext.sipessut.tests.factories import OPD, Dataset


def _rows(body: bytes) -> list[list[str]]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0)
    return [[str(c) for c in row] for row in sheet.to_python()]


def _table(rows: list[list[str]]) -> list[dict[str, str]]:
    header = rows.index(list(ATTRIBUTES))
    assert rows[header + 1] == list(NUMBERS)
    return [dict(zip(ATTRIBUTES, row, strict=True)) for row in rows[header + 2 :] if any(row)]


def test_export_in_the_national_format(app, catalogue):
    response = app.get("/daftar-data/daftar-data.xlsx")
    assert response.status_code == 200
    rows = _rows(response.get_data())
    assert rows[1][0] == "Format Daftar Data Daerah"
    table = _table(rows)
    by_title = {row["Nama Data"]: row for row in table}
    assert set(by_title) == {d["title"] for d in catalogue.published}  # visitors: published only
    first = by_title[catalogue.published[0]["title"]]
    assert first["Produsen Data"] == "Dinas Kesehatan"
    assert first["Klasifikasi Data sesuai Risiko"] == "Terbuka"
    assert first["Jadwal Pemutakhiran"] == "Tahunan"
    assert first["Klasifikasi Penyajian"] == "Kecamatan"
    assert first["Kode Standar Data"] == "N/A"
    assert first["Kode Metadata"] == "KEG-6472-0001"
    assert first["Nama Indikator"] == catalogue.indikator["title"]
    assert first["Indikator/Variabel"] == "Indikator"
    assert first["Jenis Data"] == "Statistik"
    assert first["Link Portal Daerah"].endswith(f"/dataset/{catalogue.published[0]['name']}")


def test_the_walidata_exports_planned_data_too(app, catalogue):
    headers = {"Authorization": catalogue.sysadmin["token"]}
    table = _table(
        _rows(app.get("/daftar-data/daftar-data.xlsx?opd=dinkes", headers=headers).get_data())
    )
    titles = {row["Nama Data"] for row in table}
    assert {d["title"] for d in catalogue.hidden.values()} <= titles
    draft = next(r for r in table if r["Nama Data"] == catalogue.hidden["draft"]["title"])
    assert draft["Link Portal Daerah"] == ""  # not published: no public link
    assert app.get("/daftar-data/daftar-data.xlsx?opd=tidak-ada").status_code == 404


# --- import ----------------------------------------------------------------------------

ROW = {
    "ID DDD": "DDD-1.02-001",
    "ID DDP": "",
    "Sumber Referensi": "RPJMD Kota Samarinda 2021-2026",
    "Kode Indikator": "IKU-1.02.01",
    "Nama Indikator": "",
    "Nama Data": "Jumlah Puskesmas Menurut Kecamatan",
    "Jenis Data": "Statistik",
    "Indikator/Variabel": "Variabel",
    "Kode Standar Data": "N/A",
    "Produsen Data": "Dinas Kesehatan Kota Samarinda",
    "Klasifikasi Data sesuai Risiko": "Terbuka",
    "Definisi": "Banyaknya puskesmas yang beroperasi.",
    "Satuan": "unit",
    "Klasifikasi Penyajian": "Kecamatan",
    "Jadwal Pemutakhiran": "Tahunan",
    "Kategori RAD": "Kesehatan",
    "Kode Metadata": "",
    "Link Portal Daerah": "",
    "Link Portal SDI": "",
}


def workbook(*rows: dict[str, str], numbered: bool = True) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Lampiran"])
    sheet.append(["Format Daftar Data Daerah"])
    sheet.append(["Nama OPD", "Dinas Kesehatan"])
    sheet.append(["Tahun", "2026"])
    sheet.append([])
    sheet.append(list(ATTRIBUTES))
    if numbered:
        sheet.append(list(NUMBERS))
    for row in rows:
        sheet.append([row[a] for a in ATTRIBUTES])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def opd(clean_db, clean_index):
    walidata_editor, opd_editor = factories.User(), factories.User()
    OPD(name="diskominfo", title="Dinas Komunikasi dan Informatika", peran="walidata",
        users=[{"name": walidata_editor["name"], "capacity": "editor"}])  # fmt: skip
    dinkes = OPD(name="dinkes", title="Dinas Kesehatan", kode_skpd="1.02.0.00.0.00.01.0000",
                 users=[{"name": opd_editor["name"], "capacity": "editor"}])  # fmt: skip
    return {"org": dinkes, "walidata": walidata_editor, "editor": opd_editor,
            "sysadmin": factories.Sysadmin()}  # fmt: skip


def _import(user: dict, data: bytes, dry_run: bool = False) -> dict:
    return tk.get_action("sipessut_daftar_data_import")(
        {"user": user["name"]}, {"workbook": data, "dry_run": dry_run}
    )


def _drafts(org_id: str) -> list[dict]:
    result = tk.get_action("package_search")(
        {"ignore_auth": True},
        {
            "fq": f'+owner_org:"{org_id}"',
            "include_private": True,
            "include_drafts": True,
            "rows": 100,
        },
    )
    return result["results"]


def test_import_makes_drafts_once(opd):
    second = {**ROW, "ID DDD": "DDD-1.02-002", "Nama Data": "Cakupan Imunisasi Dasar Lengkap",
              "Satuan": "persen", "Jadwal Pemutakhiran": "Insidental",
              "Klasifikasi Penyajian": "Kabupaten/Kota, Kecamatan"}  # fmt: skip
    data = workbook(ROW, second)

    dry = _import(opd["walidata"], data, dry_run=True)
    assert dry["summary"] == {"create": 2, "update": 0, "unchanged": 0}
    assert [r["row"] for r in dry["rows"]] == [8, 9]
    assert not _drafts(opd["org"]["id"])  # a dry run changes nothing

    done = _import(opd["walidata"], data)
    assert done["summary"]["create"] == 2
    drafts = {d["id_ddd"]: d for d in _drafts(opd["org"]["id"])}
    assert set(drafts) == {"DDD-1.02-001", "DDD-1.02-002"}
    first = drafts["DDD-1.02-001"]
    assert first["private"] is True
    assert first["title"] == ROW["Nama Data"]
    assert first["sumber_referensi"] == ROW["Sumber Referensi"]
    assert first["kode_indikator"] == "IKU-1.02.01"
    assert first["kategori_rad"] == "Kesehatan"
    assert first["jadwal_pemutakhiran"] == "tahunan"
    assert first["tingkat_penyajian"] == ["8"]
    assert first["notes"] == ROW["Definisi"]
    assert drafts["DDD-1.02-002"]["jadwal_pemutakhiran"] == "ad_hoc"
    assert drafts["DDD-1.02-002"]["tingkat_penyajian"] == ["4", "8"]
    modified = {d["id"]: d["metadata_modified"] for d in drafts.values()}

    again = _import(opd["walidata"], data)
    assert again["summary"] == {"create": 0, "update": 0, "unchanged": 2}
    assert {d["id"]: d["metadata_modified"] for d in _drafts(opd["org"]["id"])} == modified

    changed = _import(opd["sysadmin"], workbook({**ROW, "Satuan": "puskesmas"}, second))
    assert changed["summary"] == {"create": 0, "update": 1, "unchanged": 1}
    assert (
        tk.get_action("package_show")({"ignore_auth": True}, {"id": first["id"]})["satuan"]
        == "puskesmas"
    )


def test_one_wrong_row_and_nothing_is_imported(opd):
    rows = (
        ROW,
        {**ROW, "ID DDD": "DDD-2", "Produsen Data": "Dinas Pariwisata Kota Balikpapan"},
        {**ROW, "ID DDD": "DDD-3", "Jadwal Pemutakhiran": "Sewindu", "Kode Standar Data": "ABC"},
        {**ROW, "Nama Data": ""},
    )
    with pytest.raises(tk.ValidationError) as refused:
        _import(opd["walidata"], workbook(*rows))
    messages = refused.value.error_dict["rows"]
    assert len(messages) == 3
    assert messages[0].startswith("Row 9:")
    assert "Produsen Data" in messages[0]
    assert messages[1].startswith("Row 10:")
    assert "Sewindu" in messages[1]
    assert "Kode Standar Data" in messages[1]
    assert messages[2].startswith("Row 11:")
    assert "DDD-1.02-001" in messages[2]
    assert "row 8" in messages[2]
    assert not _drafts(opd["org"]["id"])


def test_a_published_dataset_is_not_changed_by_an_import(opd):
    Dataset(owner_org=opd["org"]["id"], user=opd["sysadmin"], id_ddd="DDD-1.02-001", private=False)
    with pytest.raises(tk.ValidationError) as refused:
        _import(opd["sysadmin"], workbook(ROW))
    assert "Row 8:" in refused.value.error_dict["rows"][0]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "No file"),
        (b"Nama Data;Produsen\n", "not an XLSX"),
        (b"PK\x03\x04 broken", "cannot be read"),
    ],
)
def test_a_malformed_workbook_gets_a_clear_reason(opd, data, reason):
    with pytest.raises(tk.ValidationError) as refused:
        _import(opd["walidata"], data)
    assert reason in refused.value.error_dict["workbook"][0]


def test_a_workbook_without_the_attributes_is_refused(opd):
    book = Workbook()
    book.active.append(["Nama Data", "Produsen Data"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(tk.ValidationError) as refused:
        _import(opd["walidata"], out.getvalue())
    assert "19 attributes" in refused.value.error_dict["workbook"][0]


@pytest.mark.ckan_config("ckanext.sipessut.interop.import_max_rows", "1")
def test_row_limit(opd):
    with pytest.raises(tk.ValidationError) as refused:
        _import(opd["walidata"], workbook(ROW, {**ROW, "ID DDD": "DDD-2"}))
    assert "more than 1 rows" in refused.value.error_dict["workbook"][0]


@pytest.mark.ckan_config("ckanext.sipessut.interop.import_max_bytes", "1000")
def test_size_limit(opd):
    with pytest.raises(tk.ValidationError) as refused:
        _import(opd["walidata"], workbook(ROW))
    assert "larger than 1000 bytes" in refused.value.error_dict["workbook"][0]


def test_only_sysadmins_and_the_walidata_import(opd):
    for user in (opd["editor"], {"name": ""}):
        with pytest.raises(tk.NotAuthorized):
            _import(user, workbook(ROW), dry_run=True)
    assert _import(opd["walidata"], workbook(ROW), dry_run=True)["summary"]["create"] == 1


def test_cli_dry_run(cli, opd, tmp_path):
    from ckan.cli.cli import ckan

    path = tmp_path / "daftar.xlsx"
    path.write_bytes(workbook(ROW))
    result = cli.invoke(ckan, ["sipessut", "daftar-data", "import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "[dry run] create 1, update 0, unchanged 0" in result.output
    assert not _drafts(opd["org"]["id"])
    bad = tmp_path / "salah.xlsx"
    bad.write_bytes(workbook({**ROW, "Jadwal Pemutakhiran": "Sewindu"}))
    result = cli.invoke(ckan, ["sipessut", "daftar-data", "import", str(bad)])
    assert result.exit_code == 1
    assert "Row 8" in result.output
