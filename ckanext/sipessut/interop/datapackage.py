"""A published dataset as a Frictionless Data Package (datapackage.json, and a zip with
its data files and a short README in Indonesian).

- Each table's MS-Var data dictionary is its Table Schema, MS-Var properties kept (konsep,
  satuan, klasifikasi...); a field that takes its codes from a portal code list gets them
  as `constraints.enum`, so the package checks itself without the portal.
- Columns marked `bisa_diakses_umum: false` are not in the package: not in the schema,
  and not in the data (the table is then written anew as CSV without them).
- Licence, sources (sumber data), contributors (the OPD as publisher), the dataset page.
- The data files come from `sources.sources_of(resource)`: by default the original file the
  public may download; a provider registered there (e.g. the DataStore) comes first.
- The zip is streamed entry by entry and stops at `datapackage_max_bytes`.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut import codelists, metadata, settings
from ckanext.sipessut.interop import rdf, records, sources, vocab

CHUNK = 64 * 1024
PROFILE = "data-package"


class PackageTooLarge(Exception):
    """The data files add up to more than the portal builds into one zip."""


def _slug(text: str, fallback: str) -> str:
    slug = re.sub(r"[^a-z0-9._-]+", "-", (text or "").lower()).strip("-._")
    return slug[:100] or fallback


def _enum_of(codelist: Any) -> list[str] | None:
    name, where = (
        (codelist, {})
        if isinstance(codelist, str)
        else ((codelist or {}).get("name"), (codelist or {}).get("where") or {})
    )
    try:
        found = codelists.get(str(name))
    except KeyError:
        return None
    return [code.code for code in (found.where(**where) if where else found.codes)]


def public_schema(value: Any) -> dict[str, Any] | None:
    """The Table Schema of a data dictionary without its non-public columns, self-contained."""
    schema = rdf.dictionary_of(value)
    if not schema or not schema.get("fields"):
        return None
    fields = []
    for field in rdf.public_fields(schema):
        field = json.loads(json.dumps(field))
        if field.get("codelist") and not (field.get("constraints") or {}).get("enum"):
            enum = _enum_of(field["codelist"])
            if enum:
                field.setdefault("constraints", {})["enum"] = enum
        fields.append(field)
    kept = {f["name"] for f in fields}
    result = {**schema, "fields": fields}
    for key in ("primaryKey",):
        keys = result.get(key)
        if keys and not set([keys] if isinstance(keys, str) else keys) <= kept:
            result.pop(key)
    result.pop("foreignKeys", None)
    return result


def hidden_columns(resource: dict[str, Any]) -> list[str]:
    schema = rdf.dictionary_of(resource.get(metadata.DATA_DICTIONARY_FIELD)) or {}
    return [
        f["name"]
        for f in schema.get("fields") or []
        if isinstance(f, dict) and not rdf.is_public_field(f)
    ]


def _licence(pkg: dict[str, Any]) -> list[dict[str, str]]:
    if not pkg.get("license_id"):
        return []
    licence = {"name": pkg["license_id"], "title": pkg.get("license_title") or pkg["license_id"]}
    if pkg.get("license_url"):
        licence["path"] = pkg["license_url"]
    return [licence]


def _resource_entry(
    pkg: dict[str, Any], resource: dict[str, Any], source: sources.Source | None, remote: bool
) -> dict[str, Any]:
    name = _slug(resource.get("name") or "", resource["id"][:8])
    entry: dict[str, Any] = {
        "name": name,
        "title": resource.get("name") or name,
        "id": resource["id"],
    }
    if resource.get("description"):
        entry["description"] = resource["description"]
    schema = public_schema(resource.get(metadata.DATA_DICTIONARY_FIELD))
    if source is not None:
        entry["path"] = source.url if remote else f"data/{source.filename}"
        entry["format"] = source.format
        if source.mediatype:
            entry["mediatype"] = source.mediatype
        if source.dialect and not remote:
            entry["dialect"] = source.dialect
    if schema and source is not None and source.tabular:
        entry["schema"] = schema
        entry["profile"] = "tabular-data-resource"
    elif schema:
        entry["sipessut:tableschema"] = rdf.tableschema_url(pkg, resource)
    return entry


def _plan(pkg: dict[str, Any]) -> list[tuple[dict[str, Any], sources.Source | None]]:
    """Each resource with the source of its data, file names made unique."""
    taken: set[str] = set()
    planned = []
    for resource in pkg.get("resources") or []:
        source = sources.first_source(pkg, resource, hidden_columns(resource))
        if source is not None:
            base, dot, ext = source.filename.rpartition(".")
            filename, n = source.filename, 1
            while filename in taken:
                n += 1
                filename = f"{base}-{n}{dot}{ext}" if dot else f"{source.filename}-{n}"
            taken.add(filename)
            source = source.renamed(filename)
        planned.append((resource, source))
    return planned


def descriptor(
    pkg: dict[str, Any], remote: bool, planned: list[tuple[dict[str, Any], Any]] | None = None
) -> dict[str, Any]:
    """datapackage.json: `remote` points at the files on the portal, else at data/ in the zip."""
    producer = records.producer(pkg)
    found: dict[str, Any] = {
        "profile": PROFILE,
        "name": pkg["name"],
        "id": rdf.dataset_page_url(pkg),
        "title": pkg.get("title") or pkg["name"],
        "description": pkg.get("notes") or "",
        "homepage": rdf.dataset_page_url(pkg),
        "created": pkg.get("metadata_created"),
        "keywords": [t["name"] for t in pkg.get("tags") or []],
        "licenses": _licence(pkg),
        "sources": [{"title": pkg["sumber_data"]}] if pkg.get("sumber_data") else [],
        "contributors": [],
        "resources": [],
        "sipessut": _satu_data(pkg),
    }
    if producer is not None:
        contributor = {
            "title": producer.title,
            "role": "publisher",
            "organization": settings.region_name() or producer.title,
            "path": producer.url,
        }
        if producer.email:
            contributor["email"] = producer.email
        found["contributors"].append(contributor)
    for resource, source in planned if planned is not None else _plan(pkg):
        found["resources"].append(_resource_entry(pkg, resource, source, remote))
    if not found["licenses"]:
        found.pop("licenses")
    return found


def _satu_data(pkg: dict[str, Any]) -> dict[str, Any]:
    """The Satu Data fields, as codes (labels are in the README)."""
    keys = (
        "sektor", "urusan", "kode_sds", "periode_awal", "periode_akhir", "jadwal_pemutakhiran",
        "tingkat_penyajian", "kode_wilayah", "pengaturan_akses", "ukuran", "satuan",
        "tanggal_rilis_terakhir", "tanggal_rilis_berikutnya",
    )  # fmt: skip
    found = {key: pkg[key] for key in keys if pkg.get(key)}
    producer = records.producer(pkg)
    if producer is not None:
        found["produsen_data"] = {"title": producer.title, "kode_skpd": producer.kode_skpd}
    return found


def _label(codelist: str, value: Any) -> str:
    return ", ".join(codelists.get(codelist).label(c, "id") for c in records.references(value))


def readme(pkg: dict[str, Any], planned: list[tuple[dict[str, Any], Any]]) -> str:
    """A short README in Indonesian, for whoever opens the zip."""
    producer = records.producer(pkg)
    period = pkg.get("periode_awal") or ""
    if pkg.get("periode_akhir") and pkg["periode_akhir"] != period:
        period = f"{period} s.d. {pkg['periode_akhir']}"
    lines = [
        f"# {pkg.get('title') or pkg['name']}",
        "",
        (pkg.get("notes") or "").strip(),
        "",
        f"- Produsen data: {producer.title if producer else '-'}"
        + (f" (kode SKPD {producer.kode_skpd})" if producer and producer.kode_skpd else ""),
        f"- Wilayah: {_label('wilayah', pkg.get('kode_wilayah')) or '-'}",
        f"- Periode data: {period or '-'}",
        "- Jadwal pemutakhiran: "
        + (_label("jadwal_pemutakhiran", pkg.get("jadwal_pemutakhiran")) or "-"),
        f"- Sektor: {_label('sektor', pkg.get('sektor')) or '-'}",
        f"- Sumber data: {pkg.get('sumber_data') or '-'}",
        f"- Lisensi: {pkg.get('license_title') or pkg.get('license_id') or '-'}",
        f"- Halaman data: {rdf.dataset_page_url(pkg)}",
        "",
        "## Isi paket",
        "",
        "- `datapackage.json`: metadata paket data (Frictionless Data Package); kamus data",
        "  (MS-Var) tiap tabel ada di `schema` sumber datanya.",
    ]
    for resource, source in planned:
        if source is not None:
            lines.append(f"- `data/{source.filename}`: {resource.get('name') or source.filename}")
    hidden = [c for resource, _s in planned for c in hidden_columns(resource)]
    if hidden:
        lines += ["", "Kolom yang tidak dapat diakses umum tidak disertakan."]
    lines += [
        "",
        "Periksa paket ini dengan: `frictionless validate datapackage.json`.",
        f"Diunduh dari {vocab.site_url()} ({settings.region_name()}).",
        "",
    ]
    return "\n".join(lines)


class _Sink(io.RawIOBase):
    """A write-only stream that hands out what was written (zipfile writes to it)."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self._parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data


def zip_stream(pkg: dict[str, Any], max_bytes: int) -> Iterator[bytes]:
    """The zip, written entry by entry as the response is sent."""
    planned = _plan(pkg)
    declared = sum(s.size or 0 for _r, s in planned if s is not None)
    if declared > max_bytes:
        raise PackageTooLarge(
            tk._(
                "The data files of this dataset ({size} bytes) exceed the {limit} bytes a "
                "Data Package may hold; download them one by one."
            ).format(size=declared, limit=max_bytes)
        )
    return _zip_entries(pkg, planned, max_bytes)


def _zip_entries(pkg: dict[str, Any], planned, max_bytes: int) -> Iterator[bytes]:
    sink = _Sink()
    written = 0
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "datapackage.json",
            json.dumps(
                descriptor(pkg, remote=False, planned=planned), ensure_ascii=False, indent=2
            ),
        )
        archive.writestr("README.md", readme(pkg, planned))
        yield sink.take()
        for _resource, source in planned:
            if source is None:
                continue
            with (
                source.open() as path,
                open(path, "rb") as handle,
                archive.open(f"data/{source.filename}", "w", force_zip64=True) as entry,
            ):
                for chunk in iter(lambda: handle.read(CHUNK), b""):
                    written += len(chunk)
                    if written > max_bytes:
                        raise PackageTooLarge(str(max_bytes))
                    entry.write(chunk)
                    data = sink.take()
                    if data:
                        yield data
            yield sink.take()
    yield sink.take()


@contextlib.contextmanager
def csv_without(path: str, fmt: str, hidden: list[str], dialect: dict[str, Any]) -> Iterator[str]:
    """The table at `path` written anew as UTF-8 CSV without the `hidden` columns."""
    from frictionless import Dialect, Resource

    control = Dialect.from_descriptor(dialect) if dialect else None
    handle, target = __import__("tempfile").mkstemp(prefix="sipessut-datapackage-", suffix=".csv")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            table = (
                Resource(path=path, format=fmt, dialect=control)
                if control
                else Resource(path=path, format=fmt)
            )
            with table:
                keep: list[int] | None = None
                for number, cells in enumerate(table.cell_stream):
                    if keep is None:
                        names = [str(c or "").strip() for c in cells]
                        keep = [i for i, n in enumerate(names) if n not in hidden]
                    del number
                    writer.writerow(
                        ["" if cells[i] is None else cells[i] for i in keep if i < len(cells)]
                    )
        yield target
    finally:
        with contextlib.suppress(OSError):
            os.unlink(target)
