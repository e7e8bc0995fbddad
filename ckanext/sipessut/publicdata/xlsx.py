"""A streaming XLSX writer: sheets written row by row into a zip that is sent as it grows.

An XLSX file is a zip of XML parts. Writing the parts ourselves, with inline strings (no
shared-strings table to keep in memory) and zip entries that carry their sizes after
their data (so the zip needs no seeking), the workbook leaves in chunks while the rows
are read: memory stays flat whatever the number of rows, and the first bytes go out at
once. Cells: text, integers and decimals, booleans, dates and timestamps (as Excel dates
with a date format).
"""

from __future__ import annotations

import datetime
import decimal
import re
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

EPOCH = datetime.datetime(1899, 12, 30)
MAX_ROWS = 1_048_576  # Excel's limit per sheet
MAX_CELL = 32_767  # characters Excel keeps in a cell
# zip64 for the parts that might pass 4 GB (huge tables); others stay plain.
ZIP64_CELLS = 20_000_000

_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

STYLE_DATE, STYLE_DATETIME, STYLE_HEADER, STYLE_WRAP = 1, 2, 3, 4

STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>\
<numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">\
<alignment wrapText="1" vertical="top"/></xf></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def _column_letters(count: int) -> list[str]:
    letters = []
    for index in range(count):
        name, n = "", index + 1
        while n:
            n, rest = divmod(n - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def text(value: str) -> str:
    value = value[:MAX_CELL].translate(_ESCAPE)
    if _INVALID_XML.search(value):
        value = _INVALID_XML.sub("", value)
    return value


class Sheet:
    """A sheet to write: a name, column widths, and rows (lists of Python values)."""

    def __init__(
        self,
        name: str,
        rows: Iterable[list[Any]],
        *,
        widths: list[float] | None = None,
        header_rows: int = 1,
        size_hint: int = 0,
        wrap: bool = False,
    ) -> None:
        self.name = name[:31]
        self.rows = rows
        self.widths = widths or []
        self.header_rows = header_rows
        self.size_hint = size_hint  # cells expected, for zip64
        self.wrap = wrap


class _Sink:
    """A write-only file whose bytes are collected and handed out by the generator."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts = []
        self.size = 0
        return data


def workbook(sheets: list[Sheet], chunk_rows: int = 2000) -> Iterator[bytes]:
    """The XLSX file of `sheets`, as a stream of byte chunks."""
    sink = _Sink()
    archive = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
    archive.writestr("[Content_Types].xml", _content_types(len(sheets)))
    archive.writestr("_rels/.rels", _ROOT_RELS)
    archive.writestr("xl/workbook.xml", _workbook_xml(sheets))
    archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
    archive.writestr("xl/styles.xml", STYLES)
    yield sink.take()
    for number, sheet in enumerate(sheets, start=1):
        with archive.open(
            f"xl/worksheets/sheet{number}.xml", "w", force_zip64=sheet.size_hint > ZIP64_CELLS
        ) as part:
            for piece in _sheet_xml(sheet, chunk_rows):
                part.write(piece.encode("utf-8"))
                if sink.size > 1 << 16:
                    yield sink.take()
        yield sink.take()
    archive.close()
    yield sink.take()


def _sheet_xml(sheet: Sheet, chunk_rows: int) -> Iterator[str]:
    head = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    ]
    if sheet.header_rows:
        head.append(
            f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{sheet.header_rows}" '
            f'topLeftCell="A{sheet.header_rows + 1}" activePane="bottomLeft" state="frozen"/>'
            "</sheetView></sheetViews>"
        )
    if sheet.widths:
        head.append("<cols>")
        for index, width in enumerate(sheet.widths, start=1):
            head.append(f'<col min="{index}" max="{index}" width="{width:.1f}" customWidth="1"/>')
        head.append("</cols>")
    head.append("<sheetData>")
    yield "".join(head)
    letters: list[str] = []
    buffer: list[str] = []
    default_style = STYLE_WRAP if sheet.wrap else 0
    for number, values in enumerate(sheet.rows, start=1):
        if number > MAX_ROWS:
            break
        if len(letters) < len(values):
            letters = _column_letters(len(values))
        style = STYLE_HEADER if number <= sheet.header_rows else default_style
        buffer.append(_row(number, values, letters, style))
        if len(buffer) >= chunk_rows:
            yield "".join(buffer)
            buffer = []
    buffer.append("</sheetData></worksheet>")
    yield "".join(buffer)


def _row(number: int, values: list[Any], letters: list[str], style: int) -> str:
    cells = []
    styled = f' s="{style}"' if style else ""
    for index, value in enumerate(values):
        if value is None or value == "":
            continue
        ref = f"{letters[index]}{number}"
        kind = value.__class__
        if kind is str:
            cells.append(
                f'<c r="{ref}" t="inlineStr"{styled}><is><t xml:space="preserve">'
                f"{text(value)}</t></is></c>"
            )
        elif kind is bool:
            cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
        elif kind is int or kind is float:
            if value != value or value in (float("inf"), float("-inf")):
                continue
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        elif kind is decimal.Decimal:
            if not value.is_finite():
                continue
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        elif kind is datetime.datetime:
            serial = (value.replace(tzinfo=None) - EPOCH).total_seconds() / 86400
            cells.append(f'<c r="{ref}" s="{STYLE_DATETIME}"><v>{serial:.10f}</v></c>')
        elif kind is datetime.date:
            serial = (value - EPOCH.date()).days
            cells.append(f'<c r="{ref}" s="{STYLE_DATE}"><v>{serial}</v></c>')
        else:
            cells.append(
                f'<c r="{ref}" t="inlineStr"{styled}><is><t xml:space="preserve">'
                f"{text(str(value))}</t></is></c>"
            )
    return f'<row r="{number}">{"".join(cells)}</row>'


def _content_types(count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/>'
        f"{sheets}</Types>"
    )


_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def _workbook_xml(sheets: list[Sheet]) -> str:
    entries = "".join(
        f'<sheet name="{text(sheet.name)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, sheet in enumerate(sheets, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{entries}</sheets></workbook>"
    )


def _workbook_rels(count: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    styles = (
        f'<Relationship Id="rId{count + 1}" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{sheets}{styles}</Relationships>"
    )
