"""The harvest API: what a CKAN harvester (the national Portal Satu Data Indonesia's
ckanext-harvest) reads from us, at `/sdi/api/3/action/...`.

The national portal registers `{site_url}/sdi` as a CKAN harvest source. Its harvester
appends `/api/3/action/package_search` (paged by id, filtered by `metadata_modified`
after its first run) and imports each `package_show` dict into a plain CKAN whose
schema is CKAN's default: fields it does not know are dropped, only core fields and
`extras` survive. So this view of the catalogue, unlike our own API:

- lists the published data tables only (published.py): no kegiatan or indikator, which
  a plain CKAN cannot show, nothing private, waiting, returned, Terbatas or Tertutup;
- carries the Satu Data fields as `extras` (SDI_EXTRAS: producer, access level,
  frequency, period, wilayah, sektor...), with labels in Indonesian;
- gives every resource an absolute, public download URL on `ckan.site_url`;
- announces withdrawals: a dataset that was published and is no longer (returned by the
  Walidata, made private, deleted) is listed, in the answers to an incremental harvest
  (`fq=metadata_modified:[... TO *]`, what the harvester asks after its first run), as a
  record with `state: deleted` and the time it left, which makes the harvester delete its
  copy (ckanext-harvest 1.6 has no other way to learn of it). Such a record holds only
  id, name and that time. A forced full harvest (`force_all`) lists published data only.

Our own `package_show` is untouched: the mirrored extras exist only here, so our forms and
pages never show a field twice.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.sipessut import codelists, opd, review, settings
from ckanext.sipessut.interop import downloads, published, rdf, records, vocab

PATH = "/sdi"
ACTIONS = ("package_search", "package_show", "organization_show", "status_show")
MAX_ROWS = 1000
MAX_START = 1_000_000
MAX_FQ = 2000
SORTS = {
    "id asc": "id asc",
    "metadata_modified desc": "metadata_modified desc",
    "metadata_modified asc": "metadata_modified asc",
    "name asc": "name asc",
}
_SINCE = re.compile(r"metadata_modified:\[\s*(\S+?)\s+TO\s+\*\s*\]")

# Core fields a plain CKAN keeps as they are.
CORE_FIELDS = (
    "id", "name", "title", "notes", "url", "version", "type", "state", "private",
    "license_id", "license_title", "license_url", "author", "author_email", "maintainer",
    "maintainer_email", "metadata_created", "metadata_modified", "owner_org", "organization",
    "tags", "groups",
)  # fmt: skip
RESOURCE_FIELDS = (
    "id", "name", "description", "format", "mimetype", "size", "created", "last_modified",
    "hash", "position", "package_id",
)  # fmt: skip


class Refused(Exception):
    def __init__(self, status: int, kind: str, message: str):
        super().__init__(message)
        self.status, self.kind, self.message = status, kind, message


# --- the mirrored Satu Data fields ---------------------------------------------------------


def _label(codelist: str, value: Any) -> str:
    codes = records.references(value)
    return "; ".join(codelists.get(codelist).label(code, "id") for code in codes)


def _period(pkg: Mapping[str, Any]) -> str:
    start, end = pkg.get("periode_awal") or "", pkg.get("periode_akhir") or ""
    return f"{start} - {end}" if end and end != start else str(start)


def satu_data_extras(pkg: Mapping[str, Any]) -> dict[str, str]:
    """The Satu Data fields as the `extras` a plain CKAN keeps (values in Indonesian)."""
    producer = records.producer(dict(pkg))
    access = str(pkg.get("pengaturan_akses") or published.OPEN_ACCESS)
    kegiatan = [r for r in map(records.related, records.references(pkg.get("kegiatan"))) if r]
    indikator = [r for r in map(records.related, records.references(pkg.get("indikator"))) if r]
    values = {
        "produsen_data": producer.title if producer else "",
        "kode_skpd": producer.kode_skpd if producer else "",
        "dcat_publisher_name": producer.title if producer else "",
        "pengaturan_akses": codelists.get("pengaturan_akses").label(access, "id"),
        # DCAT-US / Project Open Data `accessLevel`, the key data.go.id keeps.
        "accesslevel": {"terbuka": "public", "terbatas": "restricted public"}.get(
            access, "non-public"
        ),
        "jadwal_pemutakhiran": _label("jadwal_pemutakhiran", pkg.get("jadwal_pemutakhiran")),
        "frequency": vocab.frequency_uri(pkg.get("jadwal_pemutakhiran")) or "",
        "periode_data": _period(pkg),
        "periode_awal": str(pkg.get("periode_awal") or ""),
        "periode_akhir": str(pkg.get("periode_akhir") or ""),
        "kode_wilayah": str(pkg.get("kode_wilayah") or ""),
        "wilayah": _label("wilayah", pkg.get("kode_wilayah")),
        "sektor": _label("sektor", pkg.get("sektor")),
        "bidang_urusan": _label("bidang_urusan", opd.dataset_urusan(dict(pkg))),
        "tingkat_penyajian": _label("tingkat_penyajian", pkg.get("tingkat_penyajian")),
        "kode_sds": str(pkg.get("kode_sds") or ""),
        "sumber_data": str(pkg.get("sumber_data") or ""),
        "ukuran": str(pkg.get("ukuran") or ""),
        "satuan": str(pkg.get("satuan") or ""),
        "tanggal_rilis_terakhir": str(pkg.get("tanggal_rilis_terakhir") or ""),
        "tanggal_rilis_berikutnya": str(pkg.get("tanggal_rilis_berikutnya") or ""),
        "kegiatan": "; ".join(r.title for r in kegiatan),
        "kode_metadata": "; ".join(r.kode for r in kegiatan if r.kode),
        "indikator": "; ".join(r.title for r in indikator),
        "id_ddd": str(pkg.get("id_ddd") or ""),
        "dcat_issued": str(pkg.get("metadata_created") or ""),
        "dcat_modified": str(pkg.get("metadata_modified") or ""),
        "link_portal_daerah": rdf.dataset_page_url(dict(pkg)),
        "wilayah_portal": settings.region_name(),
    }
    return {key: value for key, value in values.items() if value}


# --- one dataset ---------------------------------------------------------------------------


def for_harvester(pkg: Mapping[str, Any]) -> dict[str, Any]:
    """A published dataset as a plain CKAN imports it (see the module docstring)."""
    found = {key: pkg[key] for key in CORE_FIELDS if key in pkg}
    found["type"] = published.TABLE_TYPE
    found["private"] = False
    if not found.get("url"):
        found["url"] = rdf.dataset_page_url(dict(pkg))
    found["tags"] = [{"name": t["name"]} for t in pkg.get("tags") or [] if t.get("name")]
    found["groups"] = []
    found["extras"] = [{"key": k, "value": v} for k, v in satu_data_extras(pkg).items()]
    found["resources"] = []
    for resource in pkg.get("resources") or []:
        item = {key: resource[key] for key in RESOURCE_FIELDS if resource.get(key) is not None}
        item["url"] = downloads.resource_url(pkg, resource)
        if rdf.has_dictionary(resource):
            item["conforms_to"] = rdf.tableschema_url(dict(pkg), dict(resource))
        found["resources"].append(item)
    found["num_resources"] = len(found["resources"])
    found["num_tags"] = len(found["tags"])
    return found


# --- withdrawals ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Withdrawal:
    id: str
    name: str
    left_at: datetime.datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": published.TABLE_TYPE,
            "state": "deleted",
            "private": False,
            "metadata_modified": self.left_at.isoformat(),
            "resources": [],
            "tags": [],
            "extras": [],
        }


def withdrawals(since: datetime.datetime | None = None) -> list[Withdrawal]:
    """Data tables that were published and are no longer, ordered by id."""
    rows = (
        model.Session.query(
            model.Package.id,
            model.Package.name,
            model.Package.state,
            model.Package.private,
            model.Package.metadata_modified,
        )
        .filter(model.Package.type == published.TABLE_TYPE)
        .filter(sa.or_(model.Package.state == "deleted", model.Package.private.is_(True)))
        .all()
    )
    if not rows:
        return []
    left = review.left_public([row.id for row in rows])
    deleted_at = _deletion_times([row.id for row in rows if row.state == "deleted"])
    found = []
    for row in rows:
        when = None
        if row.state == "deleted" and (not row.private or row.id in left):
            when = max(t for t in (deleted_at.get(row.id), row.metadata_modified) if t)
        elif row.id in left:
            when = max(left[row.id], row.metadata_modified)
        if when is not None and (since is None or when >= since):
            found.append(Withdrawal(row.id, row.name, when))
    return sorted(found, key=lambda w: w.id)


def _deletion_times(package_ids: list[str]) -> dict[str, datetime.datetime]:
    """When each dataset was deleted, from CKAN's activity stream (package_delete does not
    touch metadata_modified)."""
    if not package_ids:
        return {}
    bind = model.Session.get_bind()
    if not sa.inspect(bind).has_table("activity"):
        return {}
    rows = model.Session.execute(
        sa.text(
            "SELECT object_id, max(timestamp) FROM activity WHERE activity_type = 'deleted package'"
            " AND object_id = ANY(:ids) GROUP BY object_id"
        ),
        {"ids": package_ids},
    )
    return dict(rows.all())


# --- the actions ---------------------------------------------------------------------------


def _anonymous() -> dict[str, Any]:
    """The harvester is a visitor: it sees what the public sees, whoever is logged in."""
    return {"user": "", "ignore_auth": False}


def _int(params: Mapping[str, Any], key: str, default: int, limit: int) -> int:
    try:
        value = int(params.get(key, default))
    except (TypeError, ValueError) as error:
        raise Refused(
            409, "Validation Error", tk._("{key} must be a whole number.").format(key=key)
        ) from error
    return max(0, min(value, limit))


def _since(fq: str) -> datetime.datetime | None:
    match = _SINCE.search(fq)
    if not match:
        return None
    text = match.group(1).rstrip("Z")
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        return None


def package_search(params: Mapping[str, Any]) -> dict[str, Any]:
    rows = _int(params, "rows", 10, MAX_ROWS)
    start = _int(params, "start", 0, MAX_START)
    sort = SORTS.get(str(params.get("sort") or "id asc").strip(), "id asc")
    fq = str(params.get("fq") or "")
    if len(fq) > MAX_FQ:
        raise Refused(409, "Validation Error", tk._("The filter is too long."))
    search = {
        "q": "*:*",
        "fq": fq,
        "fq_list": [published.SEARCH_FILTER],
        "sort": sort,
        "include_private": False,
    }
    first = tk.get_action("package_search")(_anonymous(), {**search, "rows": 0})
    total_published = first["count"]
    # Withdrawals go to incremental harvests (the harvester's runs after its first): a
    # first, full harvest has nothing to withdraw, and would only store them as deleted.
    since = _since(fq)
    gone = withdrawals(since) if since is not None else []
    results: list[dict[str, Any]] = []
    if start < total_published and rows:
        page = tk.get_action("package_search")(
            _anonymous(), {**search, "rows": min(rows, total_published - start), "start": start}
        )
        results = [for_harvester(p) for p in published.only_published(page["results"])]
    remaining = rows - len(results) if start < total_published else rows
    offset = max(0, start - total_published)
    if remaining > 0:
        results.extend(w.as_dict() for w in gone[offset : offset + remaining])
    return {"count": total_published + len(gone), "results": results, "sort": sort}


def package_show(params: Mapping[str, Any]) -> dict[str, Any]:
    reference = str(params.get("id") or "")[:200]
    if not reference:
        raise Refused(409, "Validation Error", tk._("Missing value: id"))
    try:
        pkg = tk.get_action("package_show")(_anonymous(), {"id": reference})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        pkg = None
    if pkg is not None and published.is_published(pkg):
        return for_harvester(pkg)
    for withdrawal in withdrawals():
        if reference in (withdrawal.id, withdrawal.name):
            return withdrawal.as_dict()
    raise Refused(404, "Not Found Error", tk._("Not found"))


def organization_show(params: Mapping[str, Any]) -> dict[str, Any]:
    record = opd.organization(str(params.get("id") or "")[:200])
    if record is None or record.state != "active":
        raise Refused(404, "Not Found Error", tk._("Not found"))
    return {
        "id": record.id,
        "name": record.name,
        "title": record.title,
        "description": record.description,
        "image_url": record.image_url,
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "extras": [{"key": "kode_skpd", "value": record.kode_skpd}] if record.kode_skpd else [],
    }


def status_show(params: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "site_title": tk.config.get("ckan.site_title"),
        "site_url": vocab.site_url() + PATH,
        "ckan_version": tk.h.ckan_version(),
        "extensions": [],
    }


HANDLERS = {
    "package_search": package_search,
    "package_show": package_show,
    "organization_show": organization_show,
    "status_show": status_show,
}


def call(action: str, params: Mapping[str, Any]) -> dict[str, Any]:
    handler = HANDLERS.get(action)
    if handler is None:
        raise Refused(
            400,
            "Bad Request",
            tk._("This harvest API answers {actions} only.").format(actions=", ".join(ACTIONS)),
        )
    return handler(params)
