"""Files of the kind OPDs upload, made by the tests: CSV in several encodings and
separators, XLSX/XLS/ODS workbooks, and broken or hostile files."""

from __future__ import annotations

import codecs
import datetime
import struct
import zipfile
from pathlib import Path
from typing import Any

HEADER = ["kode_wilayah", "kecamatan", "tahun", "jumlah_penduduk", "luas_km2"]
ROWS = [
    ["64.72.01", "Palaran", 2024, 61234, 221.29],
    ["64.72.02", "Samarinda Seberang", 2024, 70456, 12.49],
    ["64.72.06", "Sungai Kunjang", 2024, 130117, 43.04],
]


def csv_text(rows: list[list[Any]], delimiter: str = ",", decimal_comma: bool = True) -> str:
    lines = []
    for row in rows:
        cells = []
        for cell in row:
            text = str(cell)
            if isinstance(cell, float) and decimal_comma:
                text = text.replace(".", ",")
            if delimiter in text or '"' in text:
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(delimiter.join(cells))
    return "\r\n".join(lines) + "\r\n"


def write_text(path: Path, text: str, encoding: str = "utf-8", bom: bool = False) -> Path:
    data = text.encode(encoding)
    if bom and encoding == "utf-8":
        data = codecs.BOM_UTF8 + data
    path.write_bytes(data)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def write_xls(path: Path, rows: list[list[Any]]) -> Path:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Data")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if isinstance(cell, datetime.date):
                sheet.write(r, c, cell, date_style)
            else:
                sheet.write(r, c, cell)
    book.save(str(path))
    return path


def write_ods(path: Path, rows: list[list[Any]]) -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice writes one."""
    cells_xml = []
    for row in rows:
        cells = []
        for cell in row:
            if isinstance(cell, int | float) and not isinstance(cell, bool):
                cells.append(
                    f'<table:table-cell office:value-type="float" office:value="{cell}">'
                    f"<text:p>{cell}</text:p></table:table-cell>"
                )
            else:
                cells.append(
                    f'<table:table-cell office:value-type="string"><text:p>{cell}</text:p>'
                    "</table:table-cell>"
                )
        cells_xml.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Data">'
        + "".join(cells_xml)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.2"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path


def write_zip_bomb(path: Path, inflated_bytes: int) -> Path:
    """An XLSX-looking zip whose sheet inflates to `inflated_bytes` of zeros (honest sizes)."""
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            written = 0
            while written < inflated_bytes:
                member.write(chunk)
                written += len(chunk)
    return path


def write_lying_zip(path: Path, inflated_bytes: int, declared_bytes: int = 1000) -> Path:
    """A zip bomb that declares a tiny size for a member that inflates to much more."""
    write_zip_bomb(path, inflated_bytes)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    # Local file header: signature PK\3\4, uncompressed size at offset 22.
    local = data.find(b"PK\x03\x04")
    while local != -1:
        name_length = struct.unpack_from("<H", data, local + 26)[0]
        if bytes(data[local + 30 : local + 30 + name_length]) == name:
            struct.pack_into("<I", data, local + 22, declared_bytes)
            break
        local = data.find(b"PK\x03\x04", local + 4)
    # Central directory entry: signature PK\1\2, uncompressed size at offset 24.
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_length]) == name:
            struct.pack_into("<I", data, central + 24, declared_bytes)
            extra_length = struct.unpack_from("<H", data, central + 30)[0]
            _patch_zip64_extra(data, central + 46 + name_length, extra_length, declared_bytes)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    return path


def _patch_zip64_extra(data: bytearray, start: int, length: int, size: int) -> None:
    position = start
    while position < start + length:
        header_id, field_length = struct.unpack_from("<HH", data, position)
        if header_id == 0x0001 and field_length >= 8:
            struct.pack_into("<Q", data, position + 4, size)
        position += 4 + field_length
