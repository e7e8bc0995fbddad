"""Downloads from the DataStore: the formats people ask for, streamed in flat memory.

CSV (UTF-8) and JSON are CKAN's own DataStore dumps (`/datastore/dump/<id>`), which page
through the table. The XLSX is ours: the rows read with a server-side cursor, written by
xlsx.py as they come, plus a sheet *Kamus Data* (the MS-Var of every column) and a sheet
with the dataset's metadata and how to cite it, the way BPS tables travel.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa

from ckanext.sipessut import opd, validation
from ckanext.sipessut.publicdata import loader, settings, xlsx

FORMATS = ("csv", "xlsx", "json")
FETCH_ROWS = 5000
SYSTEM_COLUMNS = ("_id", "_full_text")
# A code list longer than this is named in the Kamus Data sheet rather than listed.
MAX_LISTED_CODES = 100


def datastore_fields(resource_id: str) -> tuple[list[dict[str, Any]], int]:
    """The table's columns with their DataStore data dictionary (CKAN's datastore_search,
    which also checks that the current user may read the resource)."""
    result = tk.get_action("datastore_search")(
        {}, {"resource_id": resource_id, "limit": 0, "include_total": True}
    )
    fields = [f for f in result["fields"] if f["id"] not in SYSTEM_COLUMNS]
    return fields, int(result.get("total") or 0)


def dump_url(resource_id: str, fmt: str) -> str:
    params = {"bom": "True"} if fmt == "csv" else {"format": fmt}
    return tk.url_for("datastore.dump", resource_id=resource_id, **params)


def rows_of(resource_id: str, field_ids: list[str]) -> Iterator[list[Any]]:
    """Every row, in `_id` order, through a server-side cursor (FETCH_ROWS at a time)."""
    names = ", ".join(loader.ident(f) for f in field_ids)
    query = f"SELECT {names} FROM {loader.ident(resource_id)} ORDER BY _id"  # noqa: S608
    engine = loader.read_engine()
    with engine.connect() as connection, connection.begin():
        timeout = max(settings.query_timeout_ms(), settings.job_timeout() * 1000)
        connection.execute(sa.text(f"SET LOCAL statement_timeout = {timeout}"))
        streamed = sa.text(query).execution_options(stream_results=True, max_row_buffer=FETCH_ROWS)
        result = connection.execute(streamed)
        while batch := result.fetchmany(FETCH_ROWS):
            for row in batch:
                yield list(row)


def header_of(field: dict[str, Any]) -> str:
    info = field.get("info") or {}
    label = str(info.get("label") or field["id"])
    unit = str(info.get("unit") or "").strip()
    return f"{label} ({unit})" if unit else label


def xlsx_stream(
    package: dict[str, Any], resource: dict[str, Any], lang: str
) -> tuple[Iterator[bytes], str]:
    """The workbook of a loaded table and its file name; the access check is done here."""
    fields, total = datastore_fields(resource["id"])
    ids = [f["id"] for f in fields]
    data = _with_header([header_of(f) for f in fields], rows_of(resource["id"], ids))
    widths = [min(max(len(header_of(f)) + 2, 10), 40) for f in fields]
    sheets = [
        xlsx.Sheet(tk._("Data"), data, widths=widths, size_hint=total * max(1, len(ids))),
        xlsx.Sheet(
            tk._("Data Dictionary"),
            dictionary_rows(resource, fields, lang),
            widths=[22, 28, 50, 14, 14, 14, 40],
            wrap=True,
        ),
        xlsx.Sheet(tk._("Metadata"), metadata_rows(package, resource), widths=[28, 90], wrap=True),
    ]
    name = (resource.get("name") or resource["id"]).strip() or resource["id"]
    safe = "".join(ch if ch.isalnum() or ch in "-_ " else "-" for ch in name)[:80].strip()
    return xlsx.workbook(sheets), f"{safe or resource['id']}.xlsx"


def _with_header(header: list[str], rows: Iterator[list[Any]]) -> Iterator[list[Any]]:
    yield header
    yield from rows


def dictionary_rows(
    resource: dict[str, Any], fields: list[dict[str, Any]], lang: str
) -> list[list[Any]]:
    """Kamus Data: one row per column of the table, from its MS-Var dictionary."""
    dictionary = validation.dictionary_of(resource) or {}
    specs = {str(f.get("name")): f for f in dictionary.get("fields") or [] if isinstance(f, dict)}
    labels = validation.code_labels(dictionary, lang)
    rows: list[list[Any]] = [
        [
            tk._("Column"),
            tk._("Variable name"),
            tk._("Definition"),
            tk._("Data type"),
            tk._("Unit"),
            tk._("Measure"),
            tk._("Classification (codes)"),
        ]
    ]
    for field in fields:
        spec = specs.get(field["id"], {})
        codes = labels.get(field["id"], {})
        if spec.get("codelist") and len(codes) > MAX_LISTED_CODES:
            reference = spec["codelist"]
            name = reference if isinstance(reference, str) else reference.get("name")
            classification = tk._("code list {name}").format(name=name)
        else:
            classification = "; ".join(f"{code} = {label}" for code, label in codes.items())
        rows.append(
            [
                field["id"],
                str(spec.get("title") or ""),
                str(spec.get("description") or spec.get("definisi") or ""),
                str(spec.get("type") or field.get("type") or ""),
                str(spec.get("satuan") or ""),
                str(spec.get("ukuran") or ""),
                classification,
            ]
        )
    return rows


def citation(package: dict[str, Any], resource: dict[str, Any], today: datetime.date) -> str:
    producer = opd.dataset_opd(package)
    author = producer.title if producer else (package.get("organization") or {}).get("title")
    released = str(package.get("tanggal_rilis_terakhir") or package.get("metadata_created") or "")
    year = released[:4] or str(today.year)
    url = tk.url_for("dataset.read", id=package["name"], _external=True)
    site = tk.config.get("ckan.site_title") or ""
    return tk._("{author} ({year}). {title}. {site}. {url} (accessed {date}).").format(
        author=author or site,
        year=year,
        title=package.get("title") or package["name"],
        site=site,
        url=url,
        date=today.isoformat(),
    )


def metadata_rows(package: dict[str, Any], resource: dict[str, Any]) -> list[list[Any]]:
    today = datetime.date.today()
    producer = opd.dataset_opd(package)
    period = " - ".join(
        str(package[k]) for k in ("periode_awal", "periode_akhir") if package.get(k)
    )
    rows = [
        [tk._("Field"), tk._("Value")],
        [tk._("Title"), package.get("title") or package["name"]],
        [tk._("Table"), resource.get("name") or resource["id"]],
        [tk._("Data producer (OPD)"), producer.title if producer else ""],
        [tk._("Description"), package.get("notes") or ""],
        [tk._("Data source"), package.get("sumber_data") or ""],
        [tk._("Period"), period],
        [tk._("Update schedule"), package.get("jadwal_pemutakhiran") or ""],
        [tk._("Last release"), package.get("tanggal_rilis_terakhir") or ""],
        [tk._("Licence"), package.get("license_title") or package.get("license_id") or ""],
        [tk._("Page"), tk.url_for("dataset.read", id=package["name"], _external=True)],
        [tk._("Downloaded"), today.isoformat()],
        [tk._("How to cite"), citation(package, resource, today)],
    ]
    return [row for row in rows if row[1] not in (None,)]
