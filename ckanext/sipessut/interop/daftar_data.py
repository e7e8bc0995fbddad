"""Daftar Data Daerah: the list of data each OPD plans to produce, in the national format
of Forum Satu Data (19 attributes, in order, with the numbered row (1)..(19) beneath the
header; shared reference satu-data-portals.md section 3).

Export: the region's or one OPD's Daftar Data as XLSX, filled from the portal, written row
by row from search pages (bounded by `export_max_rows`). Visitors get the published data;
the Walidata and the OPDs also their planned (draft) data, as CKAN lets them read it.

Import: an OPD's Daftar Data XLSX becomes draft datasets (private, state draf). The
workbook is read whole and every row checked first; one wrong row and nothing is applied
(the refusal names each row and what is wrong in it). A row is matched to a dataset by
its ID DDD: unchanged rows change nothing (a second import of the same file is a no-op),
changed rows update the draft; a dataset already submitted or published is never changed
by an import. Should an action fail half-way, the datasets made by this import are purged
and those it changed are put back.
"""

from __future__ import annotations

import base64
import contextlib
import io
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model

from ckanext.sipessut import codelists, opd, review, settings
from ckanext.sipessut.interop import published, rdf, records
from ckanext.sipessut.interop import settings as interop_settings

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ATTRIBUTES = (
    "ID DDD", "ID DDP", "Sumber Referensi", "Kode Indikator", "Nama Indikator", "Nama Data",
    "Jenis Data", "Indikator/Variabel", "Kode Standar Data", "Produsen Data",
    "Klasifikasi Data sesuai Risiko", "Definisi", "Satuan", "Klasifikasi Penyajian",
    "Jadwal Pemutakhiran", "Kategori RAD", "Kode Metadata", "Link Portal Daerah",
    "Link Portal SDI",
)  # fmt: skip
NUMBERS = tuple(f"({n})" for n in range(1, len(ATTRIBUTES) + 1))
HEADER_SEARCH_ROWS = 30
PAGE = 500
NOT_AVAILABLE = "N/A"
# Words officers write for a schedule that are not the portal's labels.
JADWAL_ALIASES = {
    "insidental": "ad_hoc",
    "ad hoc": "ad_hoc",
    "adhoc": "ad_hoc",
    "tidak tentu": "ad_hoc",
}
# Attributes the portal derives and an import leaves alone.
DERIVED = ("Nama Indikator", "Indikator/Variabel", "Link Portal Daerah")


class ExportError(Exception):
    pass


def _fold(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


# --- export --------------------------------------------------------------------------------


def may_import(user: str | None = None) -> bool:
    """System administrators and the Walidata's editors and admins."""
    if user is None:
        current = tk.current_user
        user = current.name if current and current.is_authenticated else ""
    if not user:
        return False
    if authz.is_sysadmin(user):
        return True
    walidata = opd.walidata()
    return walidata is not None and authz.has_user_permission_for_group_or_org(
        walidata.id, user, "create_dataset"
    )


def opd_choices() -> list[dict[str, str]]:
    import ckan.plugins.toolkit as tk  # noqa: F811 - also used in templates

    orgs = tk.get_action("organization_list")({}, {"all_fields": True, "limit": 1000})
    return [{"value": o["name"], "label": o["title"] or o["name"]} for o in orgs]


def _labels(codelist: str, value: Any) -> str:
    return ", ".join(codelists.get(codelist).label(c, "id") for c in records.references(value))


def row_of(pkg: dict[str, Any]) -> list[str]:
    """The 19 attributes of one dataset, from the portal."""
    producer = records.producer(pkg)
    indikator = [r for r in map(records.related, records.references(pkg.get("indikator"))) if r]
    kegiatan = [r for r in map(records.related, records.references(pkg.get("kegiatan"))) if r]
    public = published.is_published(pkg)
    return [
        str(pkg.get("id_ddd") or ""),
        str(pkg.get("id_ddp") or ""),
        str(pkg.get("sumber_referensi") or ""),
        str(pkg.get("kode_indikator") or ""),
        "; ".join(r.title for r in indikator),
        str(pkg.get("title") or ""),
        codelists.get("jenis_data").label(str(pkg.get("jenis_data") or "statistik"), "id"),
        "Indikator" if indikator else "Variabel",
        str(pkg.get("kode_sds") or NOT_AVAILABLE),
        producer.title if producer else "",
        _labels("pengaturan_akses", pkg.get("pengaturan_akses") or "terbuka"),
        str(pkg.get("notes") or ""),
        str(pkg.get("satuan") or ""),
        _labels("tingkat_penyajian", pkg.get("tingkat_penyajian")),
        _labels("jadwal_pemutakhiran", pkg.get("jadwal_pemutakhiran")),
        str(pkg.get("kategori_rad") or ""),
        "; ".join(r.kode for r in kegiatan if r.kode),
        rdf.dataset_page_url(pkg) if public else "",
        str(pkg.get("link_portal_sdi") or ""),
    ]


@dataclass
class Export:
    filename: str
    title: str
    tahun: str
    fq: str

    def datasets(self) -> Iterator[dict[str, Any]]:
        limit = interop_settings.export_max_rows()
        start = 0
        while start < limit:
            page = tk.get_action("package_search")(
                {},
                {
                    "q": "*:*",
                    "fq": self.fq,
                    "include_private": True,
                    "sort": "organization asc, title_string asc",
                    "rows": min(PAGE, limit - start),
                    "start": start,
                },
            )
            yield from page["results"]
            start += len(page["results"])
            if not page["results"] or start >= page["count"]:
                return

    def chunks(self) -> Iterator[bytes]:
        with self.written() as path, open(path, "rb") as handle:
            yield from iter(lambda: handle.read(64 * 1024), b"")

    @contextlib.contextmanager
    def written(self) -> Iterator[str]:
        """The workbook in a temporary file, written row by row."""
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Daftar Data")
        bold = Font(bold=True)

        def strong(value: str) -> Any:
            item = WriteOnlyCell(sheet, value=value)
            item.font = bold
            item.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            return item

        sheet.append(["Lampiran"])
        sheet.append([strong("Format Daftar Data Daerah")])
        sheet.append(["Nama OPD", self.title])
        sheet.append(["Tahun", self.tahun])
        sheet.append([])
        sheet.append([strong(a) for a in ATTRIBUTES])
        sheet.append([strong(n) for n in NUMBERS])
        count = 0
        for pkg in self.datasets():
            sheet.append(row_of(pkg))
            count += 1
        if count >= interop_settings.export_max_rows():
            sheet.append([tk._("(list cut at {limit} rows)").format(limit=count)])
        handle, path = tempfile.mkstemp(prefix="sipessut-daftar-data-", suffix=".xlsx")
        os.close(handle)
        try:
            book.save(path)
            yield path
        finally:
            with contextlib.suppress(OSError):
                os.unlink(path)


def export(opd_name: str | None, tahun: str | None = None) -> Export:
    fq = f"+dataset_type:{published.TABLE_TYPE}"
    title = settings.region_name()
    if opd_name:
        record = opd.organization(opd_name)
        if record is None or record.state != "active":
            raise ExportError(tk._("No OPD {name} on this portal.").format(name=opd_name))
        fq += f' +owner_org:"{record.id}"'
        title = record.title
    if tahun:
        if not re.fullmatch(r"\d{4}", tahun):
            raise ExportError(tk._("The year must have four digits."))
        fq += f" +vocab_tahun:{tahun}"
    import datetime

    year = tahun or str(datetime.date.today().year)
    name = (opd_name or re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")) or "portal"
    return Export(f"daftar-data-{name}-{year}.xlsx", title, year, fq)


# --- import: reading the workbook ----------------------------------------------------------


class WorkbookError(Exception):
    """The file is not a Daftar Data workbook; str() says why, for the user."""


@dataclass
class Sheet:
    opd_name: str
    tahun: str
    rows: list[tuple[int, dict[str, str]]]  # (row number in the sheet, attribute -> text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read(data: bytes) -> Sheet:
    """The title block and the rows of the first sheet with the 19 attributes."""
    limit = interop_settings.import_max_bytes()
    if len(data) > limit:
        raise WorkbookError(tk._("The file is larger than {limit} bytes.").format(limit=limit))
    if not data:
        raise WorkbookError(tk._("No file was sent."))
    if not data.startswith(b"PK"):
        raise WorkbookError(tk._("This is not an XLSX workbook (save it from Excel as .xlsx)."))
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [book.get_sheet_by_index(i) for i in range(len(book.sheet_names))]
    except Exception as error:  # calamine raises its own errors for damaged files
        raise WorkbookError(
            tk._("The workbook cannot be read: {reason}").format(reason=str(error)[:200])
        ) from error
    wanted = [_fold(a) for a in ATTRIBUTES]
    max_rows = interop_settings.import_max_rows()
    for sheet in sheets:
        rows = sheet.to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS + max_rows + 2)
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            cells = [_fold(_cell(c)) for c in row]
            if cells[: len(wanted)] != wanted:
                continue
            return _sheet(rows, index, max_rows)
    raise WorkbookError(
        tk._(
            "No sheet has the 19 attributes of the Daftar Data Daerah in one row, in order: "
            "{attributes}."
        ).format(attributes=", ".join(ATTRIBUTES))
    )


def _sheet(rows: list[list[Any]], header: int, max_rows: int) -> Sheet:
    opd_name = tahun = ""
    for row in rows[:header]:
        cells = [_cell(c) for c in row]
        label = _fold(cells[0]) if cells else ""
        value = next((c for c in cells[1:] if c), "")
        if label.startswith("nama opd"):
            opd_name = value or cells[0].split(":", 1)[-1].strip()
        elif label.startswith("tahun"):
            tahun = value or cells[0].split(":", 1)[-1].strip()
    first = header + 1
    numbered = [_cell(c) for c in rows[first]] if first < len(rows) else []
    if numbered[: len(NUMBERS)] == list(NUMBERS):
        first += 1
    found = []
    for offset, row in enumerate(rows[first:], start=first + 1):
        cells = [_cell(c) for c in row][: len(ATTRIBUTES)]
        if not any(cells):
            continue
        if len(found) >= max_rows:
            raise WorkbookError(
                tk._("The workbook has more than {limit} rows of data.").format(limit=max_rows)
            )
        cells += [""] * (len(ATTRIBUTES) - len(cells))
        found.append((offset, dict(zip(ATTRIBUTES, cells, strict=True))))
    if not found:
        raise WorkbookError(tk._("The workbook has the attributes but no row of data under them."))
    return Sheet(opd_name, tahun, found)


# --- import: checking every row ------------------------------------------------------------

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
IMPORTED_FIELDS = (
    "title", "owner_org", "id_ddd", "id_ddp", "sumber_referensi", "kode_indikator", "jenis_data",
    "kode_sds", "pengaturan_akses", "notes", "satuan", "tingkat_penyajian", "jadwal_pemutakhiran",
    "kategori_rad", "kegiatan", "link_portal_sdi",
)  # fmt: skip


@dataclass
class Row:
    number: int
    id_ddd: str
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    action: str = CREATE
    dataset: dict[str, Any] | None = None  # the existing one

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.number,
            "id_ddd": self.id_ddd,
            "title": self.values.get("title", ""),
            "action": self.action,
            "dataset": (self.dataset or {}).get("name") or self.values.get("name"),
            "errors": self.errors,
            "notes": self.notes,
        }


def _code_by_label(codelist: str, text: str, aliases: dict[str, str] | None = None) -> str | None:
    folded = _fold(text)
    if aliases and folded in aliases:
        return aliases[folded]
    for code in codelists.get(codelist).codes:
        if folded in {_fold(code.code), *(_fold(v) for v in code.labels.values())}:
            return code.code
    return None


def _allowed(codelist: str) -> str:
    return ", ".join(c.label("id") for c in codelists.get(codelist).codes)


def _check_row(number: int, cells: dict[str, str], resolver: Any, default_opd: Any) -> Row:
    row = Row(number, cells["ID DDD"])
    values = row.values
    error = row.errors.append

    def need(attribute: str) -> str:
        value = cells[attribute]
        if not value:
            error(tk._("{attribute} is empty.").format(attribute=attribute))
        return value

    values["id_ddd"] = need("ID DDD")
    values["title"] = need("Nama Data")
    for attribute, key, limit in (
        ("ID DDD", "id_ddd", 100), ("ID DDP", "id_ddp", 100), ("Nama Data", "title", 500),
        ("Sumber Referensi", "sumber_referensi", 500), ("Kode Indikator", "kode_indikator", 100),
        ("Kategori RAD", "kategori_rad", 500), ("Satuan", "satuan", 500),
        ("Definisi", "notes", 20000),
    ):  # fmt: skip
        text = cells[attribute]
        if len(text) > limit:
            error(
                tk._("{attribute} is longer than {limit} characters.").format(
                    attribute=attribute, limit=limit
                )
            )
        values[key] = text
    producer = cells["Produsen Data"]
    if producer:
        found = resolver.resolve(producer, 3)
        if found.found:
            values["owner_org"] = found.organization["id"]
        else:
            error(tk._("Produsen Data: {message}").format(message=found.message))
    elif default_opd is not None:
        values["owner_org"] = default_opd
    else:
        error(tk._("{attribute} is empty.").format(attribute="Produsen Data"))
    jenis = cells["Jenis Data"]
    values["jenis_data"] = _code_by_label("jenis_data", jenis) if jenis else "statistik"
    if values["jenis_data"] is None:
        error(
            tk._("Jenis Data {value} is not one of: {allowed}.").format(
                value=jenis, allowed=_allowed("jenis_data")
            )
        )
    sds = cells["Kode Standar Data"]
    values["kode_sds"] = ""
    if sds and sds.upper() not in (NOT_AVAILABLE, "-", "NA"):
        try:
            values["kode_sds"] = tk.get_validator("sipessut_sds_code")(sds)
        except tk.Invalid as invalid:
            error(tk._("Kode Standar Data: {message}").format(message=invalid.error))
    access = cells["Klasifikasi Data sesuai Risiko"]
    values["pengaturan_akses"] = _code_by_label("pengaturan_akses", access) if access else "terbuka"
    if values["pengaturan_akses"] is None:
        error(tk._("Klasifikasi Data sesuai Risiko {value} is not one of: {allowed}.").format(
            value=access, allowed=_allowed("pengaturan_akses")))  # fmt: skip
    levels = []
    for part in filter(
        None, (p.strip() for p in re.split(r"[,;]", cells["Klasifikasi Penyajian"]))
    ):
        code = _code_by_label(
            "tingkat_penyajian", re.sub(r"^(menurut|per)\s+", "", part, flags=re.I)
        )
        if code is None:
            error(tk._("Klasifikasi Penyajian {value} is not one of: {allowed}.").format(
                value=part, allowed=_allowed("tingkat_penyajian")))  # fmt: skip
        else:
            levels.append(code)
    values["tingkat_penyajian"] = levels
    jadwal = cells["Jadwal Pemutakhiran"]
    values["jadwal_pemutakhiran"] = (
        _code_by_label("jadwal_pemutakhiran", jadwal, JADWAL_ALIASES) if jadwal else ""
    )
    if values["jadwal_pemutakhiran"] is None:
        error(tk._("Jadwal Pemutakhiran {value} is not one of: {allowed}.").format(
            value=jadwal, allowed=_allowed("jadwal_pemutakhiran")))  # fmt: skip
    link = cells["Link Portal SDI"]
    values["link_portal_sdi"] = link
    if link:
        try:
            from ckanext.sipessut import formats

            formats.check_url(link)
        except formats.RuleError as problem:
            error(tk._("Link Portal SDI: {message}").format(message=str(problem)))
    kode = cells["Kode Metadata"]
    values["kegiatan"] = ""
    if kode:
        kegiatan = _kegiatan_by_kode(kode)
        if kegiatan:
            values["kegiatan"] = kegiatan
        else:
            row.notes.append(
                tk._("No kegiatan has Kode Metadata {code} yet; the link is left empty.").format(
                    code=kode
                )
            )
    return row


def _kegiatan_by_kode(kode: str) -> str | None:
    result = tk.get_action("package_search")(
        {"ignore_auth": True},
        {"fq": f'+dataset_type:kegiatan +extras_kode_metadata:"{_solr(kode)}"',
         "include_private": True, "rows": 1, "fl": ["id"]},
    )  # fmt: skip
    return result["results"][0]["id"] if result["results"] else None


def _solr(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _existing(id_ddds: list[str]) -> dict[str, dict[str, Any]]:
    """Datasets already carrying these ID DDD (drafts and private ones included)."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(id_ddds), 200):
        batch = id_ddds[start : start + 200]
        terms = " OR ".join(f'"{_solr(i)}"' for i in batch)
        result = tk.get_action("package_search")(
            {"ignore_auth": True},
            {"fq": f"+dataset_type:{published.TABLE_TYPE} +extras_id_ddd:({terms})",
             "include_private": True, "include_drafts": True, "rows": len(batch) * 2},
        )  # fmt: skip
        for pkg in result["results"]:
            found.setdefault(str(pkg.get("id_ddd")), pkg)
    return found


def _same(pkg: dict[str, Any], values: dict[str, Any]) -> bool:
    def norm(value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return sorted(str(v) for v in value)
        return str(value or "")

    return all(norm(pkg.get(key)) == norm(values.get(key)) for key in IMPORTED_FIELDS)


def check(sheet: Sheet) -> list[Row]:
    resolver = opd.Resolver()
    default_opd = None
    if sheet.opd_name:
        found = resolver.resolve(sheet.opd_name, 3)
        default_opd = found.organization["id"] if found.found else None
    rows = [_check_row(number, cells, resolver, default_opd) for number, cells in sheet.rows]
    seen: dict[str, int] = {}
    for row in rows:
        if row.id_ddd and row.id_ddd in seen:
            row.errors.append(
                tk._("ID DDD {value} is already on row {row}.").format(
                    value=row.id_ddd, row=seen[row.id_ddd]
                )
            )
        seen.setdefault(row.id_ddd, row.number)
    existing = _existing([r.id_ddd for r in rows if r.id_ddd])
    states = review.states_of([p["id"] for p in existing.values()])
    for row in rows:
        pkg = existing.get(row.id_ddd)
        if pkg is None:
            continue
        row.dataset = pkg
        if _same(pkg, row.values):
            row.action = UNCHANGED
        elif states.get(pkg["id"]) in (review.DRAF, review.DIKEMBALIKAN) and pkg.get("private"):
            row.action = UPDATE
        else:
            row.errors.append(
                tk._(
                    "Dataset {name} with this ID DDD is {state}: an import does not change it."
                ).format(
                    name=pkg["name"], state=review.state_label(states.get(pkg["id"], review.DRAF))
                )
            )
    return rows


# --- import: applying ----------------------------------------------------------------------


def _name_for(values: dict[str, Any]) -> str:
    from ckan.lib.munge import munge_title_to_name

    base = munge_title_to_name(values["title"])[:80].strip("-") or "data"
    name = base
    if model.Package.get(name) is not None:
        name = f"{base}-{munge_title_to_name(values['id_ddd'])}"[:100]
    n = 2
    while model.Package.get(name) is not None:
        name = f"{base}-{n}"
        n += 1
    return name


def apply(rows: list[Row], user: str) -> None:
    """Create and update; on any failure, undo what this call did and raise."""
    created: list[str] = []
    changed: list[tuple[str, dict[str, Any]]] = []
    context = {"ignore_auth": True, "user": user}
    try:
        for row in rows:
            values = {k: v for k, v in row.values.items() if k in IMPORTED_FIELDS}
            if row.action == CREATE:
                values.update(name=_name_for(values), private=True, type=published.TABLE_TYPE)
                row.values["name"] = values["name"]
                pkg = tk.get_action("package_create")(dict(context), values)
                created.append(pkg["id"])
            elif row.action == UPDATE and row.dataset is not None:
                before = {k: row.dataset.get(k) for k in values}
                tk.get_action("package_patch")(dict(context), {"id": row.dataset["id"], **values})
                changed.append((row.dataset["id"], before))
    except (tk.ValidationError, tk.ObjectNotFound, tk.NotAuthorized) as problem:
        _undo(created, changed, context)
        message = getattr(problem, "error_summary", None) or str(problem)
        raise tk.ValidationError({"rows": [_row_message(row.number, message)]}) from problem
    except Exception:
        _undo(created, changed, context)
        raise


def _undo(
    created: list[str], changed: list[tuple[str, dict[str, Any]]], context: dict[str, Any]
) -> None:
    model.Session.rollback()
    for package_id in created:
        with contextlib.suppress(tk.ObjectNotFound):
            tk.get_action("dataset_purge")(dict(context), {"id": package_id})
    for package_id, before in changed:
        with contextlib.suppress(tk.ObjectNotFound, tk.ValidationError):
            tk.get_action("package_patch")(dict(context), {"id": package_id, **before})


def workbook_bytes(value: Any) -> bytes:
    """The workbook as sent: an upload (multipart), bytes, or base64 text (JSON API)."""
    limit = interop_settings.import_max_bytes()
    if hasattr(value, "read"):
        return value.read(limit + 1)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str) and value:
        if len(value) > limit * 4 // 3 + 8:
            raise WorkbookError(tk._("The file is larger than {limit} bytes.").format(limit=limit))
        try:
            return base64.b64decode(value, validate=True)
        except ValueError as error:
            raise WorkbookError(
                tk._("The workbook must be sent as a file or as base64 text.")
            ) from error
    return b""


def _row_message(number: int, message: str) -> str:
    return tk._("Row {row}: {message}").format(row=number, message=message)


def run(data: bytes, dry_run: bool, user: str) -> dict[str, Any]:
    """Read, check, and (unless dry_run or a row is wrong) apply. Raises ValidationError
    naming the workbook's or each row's problems, in the user's language."""
    try:
        sheet = read(data)
    except WorkbookError as error:
        raise tk.ValidationError({"workbook": [str(error)]}) from error
    rows = check(sheet)
    wrong = [row for row in rows if row.errors]
    if wrong:
        raise tk.ValidationError(
            {"rows": [_row_message(row.number, " ".join(row.errors)) for row in wrong]}
        )
    if not dry_run:
        apply(rows, user)
    summary = {
        kind: sum(1 for r in rows if r.action == kind) for kind in (CREATE, UPDATE, UNCHANGED)
    }
    return {
        "dry_run": dry_run,
        "applied": not dry_run,
        "opd": sheet.opd_name,
        "tahun": sheet.tahun,
        "summary": summary,
        "rows": [row.as_dict() for row in rows],
    }
