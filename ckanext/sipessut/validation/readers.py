"""Reading the tables people actually upload: CSV/TSV in any common encoding and
separator, and Excel/ODS workbooks through calamine, with guards on size.

A reader turns a local file into rows of raw cells (lists), numbered as the
user sees them (row 1 is the first line or the first spreadsheet row). It
neither casts nor checks cells: that is the engine's job, with frictionless.
Problems with the file itself are raised as `FileProblem`, carrying a code that
the report explains in the user's language.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import hashlib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ckanext.sipessut.validation import deadline

CHUNK = 1 << 20
SNIFF_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")
TEXT_FORMATS = ("csv", "tsv", "txt")
EXCEL_FORMATS = ("xlsx", "xls", "ods", "xlsm", "xlsb")
TABULAR_FORMATS = ("csv", "tsv", "xlsx", "xls", "ods")

# Leading bytes of files that are certainly not a text table.
BINARY_MAGIC = {
    b"%PDF": "pdf",
    b"\x89PNG": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF8": "gif",
    b"\x1f\x8b": "gzip",
    b"Rar!": "rar",
    b"7z\xbc\xaf": "7z",
}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

# csv.field_size_limit is process-wide; a cell longer than this is a broken file.
csv.field_size_limit(16 * 1024 * 1024)


class FileProblem(Exception):
    """The file cannot be read as a table; `code` names the problem for the report."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


@dataclass
class Fingerprint:
    """What one pass over the bytes tells: size, content hash and text encoding."""

    size: int
    sha256: str
    encoding: str | None = None  # for text files only


@dataclass
class Table:
    """An opened table: where its rows come from and how they were read."""

    format: str
    rows: Iterator[list[Any]]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    notices: list[dict[str, Any]] = field(default_factory=list)


def scan(path: str | Path, max_bytes: int) -> Fingerprint:
    """Hash the file and learn its text encoding in one pass.

    UTF-8 (with or without BOM) and UTF-16 with BOM are recognised; a file that
    is not valid UTF-8 is Windows-1252 when every byte is defined there, else
    ISO-8859-1 (which decodes any byte). The encoding is decided here, once:
    the file is never validated twice in two encodings.
    """
    digest = hashlib.sha256()
    size = 0
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    cp1252 = True
    head = b""
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise FileProblem("too-large", limit=max_bytes)
            digest.update(chunk)
            if len(head) < 4:
                head = (head + chunk)[:4]
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            if cp1252 and any(byte in chunk for byte in _CP1252_UNDEFINED):
                cp1252 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif utf8:
        encoding = "utf-8"
    elif cp1252:
        encoding = "cp1252"
    else:
        encoding = "iso-8859-1"
    return Fingerprint(size=size, sha256=digest.hexdigest(), encoding=encoding)


# Bytes that text tables do not contain (tab, line feed and carriage return excepted).
_CONTROL_BYTES = [*range(9), 11, 12, *range(14, 32), 127]
_CP1252_UNDEFINED = [bytes([b]) for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)]


def sniff_format(path: str | Path, declared: str | None) -> str:
    """The real format of the file from its first bytes; the declared one only breaks ties.

    A workbook named .csv is read as the workbook it is; binary data named
    .csv is refused with a clear reason rather than reported as garbage cells.
    """
    declared = (declared or "").lower().lstrip(".")
    with open(path, "rb") as stream:
        head = stream.read(SNIFF_BYTES)
    if not head:
        raise FileProblem("empty-file")
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(path)
    if head.startswith(OLE2_MAGIC):
        return "xls"
    for magic, kind in BINARY_MAGIC.items():
        if head.startswith(magic):
            raise FileProblem("binary-file", kind=kind)
    if not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        control = sum(head.count(bytes([b])) for b in _CONTROL_BYTES)
        if b"\x00" in head or control > len(head) // 20:
            raise FileProblem("binary-file", kind="binary")
    return "tsv" if declared == "tsv" else "csv"


def _zip_kind(path: str | Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                return "xlsx"
            if "content.xml" in names and "mimetype" in names:
                mimetype = archive.read("mimetype")[:100]
                if b"spreadsheet" in mimetype:
                    return "ods"
    except zipfile.BadZipFile as error:
        raise FileProblem("corrupt-file", detail=str(error)) from error
    raise FileProblem("binary-file", kind="zip")


def check_zip(path: str | Path, max_uncompressed: int) -> None:
    """Refuse a zip (XLSX, ODS) that would inflate beyond `max_uncompressed` bytes.

    The declared sizes are checked first (a classic zip bomb is refused at
    once); then every member is inflated in chunks and counted, so a member
    that lies about its size fails its CRC check. Memory stays bounded by the
    chunk size whatever the archive claims.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            declared = sum(member.file_size for member in members)
            if declared > max_uncompressed:
                raise FileProblem("zip-too-large", limit=max_uncompressed)
            inflated = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(CHUNK):
                        inflated += len(chunk)
                        if inflated > max_uncompressed:
                            raise FileProblem("zip-too-large", limit=max_uncompressed)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as error:
        raise FileProblem("corrupt-file", detail=str(error)) from error


def open_table(
    path: str | Path,
    fmt: str,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int | None = None,
    max_uncompressed: int,
) -> Table:
    if fmt in EXCEL_FORMATS:
        if fmt in ("xlsx", "ods", "xlsm"):
            check_zip(path, max_uncompressed)
        table = _open_workbook(path, fmt, sheet)
    else:
        table = _open_text(path, fmt, encoding or "utf-8", delimiter)
    # The run's time limit (deadline.py) holds between the rows it reads.
    table.rows = deadline.checked(table.rows)
    return table


# --- text ------------------------------------------------------------------------


def _open_text(path: str | Path, fmt: str, encoding: str, delimiter: str | None) -> Table:
    with open(path, encoding=encoding, errors="replace", newline="") as stream:
        sample = stream.read(SNIFF_BYTES)
    if not sample.strip():
        raise FileProblem("empty-file")
    if delimiter is None:
        delimiter = "\t" if fmt == "tsv" else detect_delimiter(sample)
    return Table(
        format=fmt,
        rows=_text_rows(path, encoding, delimiter),
        encoding=encoding,
        delimiter=delimiter,
    )


def detect_delimiter(sample: str) -> str:
    """The separator that splits the first lines into the most, and most regular, columns."""
    lines = sample.splitlines()[:50]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line of a sample may be cut short
    best, best_score = ",", (0, 0)
    for candidate in DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=candidate) if row]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        if common < 2:
            continue
        score = (widths.count(common), common)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _text_rows(path: str | Path, encoding: str, delimiter: str) -> Iterator[list[Any]]:
    # errors="replace": a stray byte shows as U+FFFD in its cell rather than
    # stopping the whole file; the encoding itself was chosen by scan().
    with open(path, encoding=encoding, errors="replace", newline="") as stream:
        yield from csv.reader(stream, delimiter=delimiter)


# --- workbooks -------------------------------------------------------------------


def _open_workbook(path: str | Path, fmt: str, sheet: str | int | None) -> Table:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own error types per format
        raise FileProblem("corrupt-file", detail=str(error)[:300]) from error
    names = list(book.sheet_names)
    if not names:
        raise FileProblem("empty-file")
    chosen = _choose_sheet(names, sheet)
    try:
        worksheet = book.get_sheet_by_name(chosen)
    except Exception as error:
        raise FileProblem("corrupt-file", detail=str(error)[:300]) from error
    table = Table(format=fmt, rows=_sheet_rows(worksheet), sheet=chosen, sheets=names)
    if len(names) > 1:
        table.notices.append({"code": "several-sheets", "sheet": chosen, "sheets": names})
    return table


def _choose_sheet(names: list[str], sheet: str | int | None) -> str:
    if sheet in (None, ""):
        return names[0]
    if isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit()):
        index = int(sheet)
        if 1 <= index <= len(names):
            return names[index - 1]
    elif sheet in names:
        return str(sheet)
    raise FileProblem("sheet-not-found", sheet=str(sheet), sheets=names)


def _sheet_rows(worksheet: Any) -> Iterator[list[Any]]:
    """Rows as openpyxl (and so plain frictionless) would give them.

    calamine's rows begin at row 1 but its columns at the first used column, and
    it gives every number as a float, empty cells as "" and dates as date: the
    columns left of the used range are restored (so column numbers match the
    spreadsheet's), whole floats become int, empty cells None and dates
    midnight datetimes.
    """
    first_col = (worksheet.start or (0, 0))[1]
    pad = [None] * first_col
    for raw in worksheet.iter_rows():
        yield pad + [_excel_cell(cell) for cell in raw]


def _excel_cell(cell: Any) -> Any:
    kind = cell.__class__
    if kind is str:
        return cell if cell != "" else None
    if kind is float:
        return int(cell) if cell.is_integer() else cell
    if kind is datetime.date:
        return datetime.datetime(cell.year, cell.month, cell.day)
    return cell
