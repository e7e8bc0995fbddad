"""Template helpers of the OPD registry: what the public sees of an OPD."""

from __future__ import annotations

from collections import Counter
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut import codelists
from ckanext.sipessut import settings as portal_settings
from ckanext.sipessut.opd import identity, model, queries
from ckanext.sipessut.opd.registry import field_defaults


def _field(org: dict[str, Any], field: str) -> Any:
    """A field of an organization dict, whether scheming put it at the top
    (organization_show) or core left it in `extras` (organization_list)."""
    if field in org:
        return identity.canonical(field, org[field])
    for extra in org.get("extras") or []:
        if isinstance(extra, dict) and extra.get("key") == field:
            return identity.canonical(field, extra.get("value"))
    return identity.canonical(field, None)


def opd_identity(org: dict[str, Any], brief: bool = False) -> dict[str, Any]:
    """The OPD's identity, labelled in the user's language, for its pages
    (`brief`: without looking up the parent OPD, for lists)."""
    lang = codelists.current_language()
    defaults = field_defaults(portal_settings.region_code())
    kode = _field(org, "kode_skpd")
    bidang = codelists.get("bidang_urusan")
    peran = _field(org, "peran") or (defaults["peran"] if kode else "")
    wilayah = _field(org, "kode_wilayah") or defaults["kode_wilayah"]
    status = _field(org, "kode_skpd_status") or defaults["kode_skpd_status"]
    parent = None
    induk = _field(org, "induk")
    if induk and not brief:
        found = queries.with_extra("kode_skpd", induk)
        parent = {"name": found[0].name, "title": found[0].title} if found else None
    return {
        "kode_skpd": kode,
        "kode_skpd_placeholder": bool(kode) and status == "sementara",
        "kode_skpd_status": codelists.get("kode_skpd_status").label(status, lang),
        "singkatan": _field(org, "singkatan"),
        "urusan": [
            {"code": code, "label": bidang.label(code, lang), "primary": position == 0}
            for position, code in enumerate(_field(org, "bidang_urusan"))
        ],
        "peran": peran,
        "peran_label": codelists.get("peran").label(peran, lang) if peran else "",
        "kode_wilayah": wilayah,
        "wilayah_label": codelists.get("wilayah").label(wilayah, lang) if wilayah else "",
        "induk": induk,
        "parent": parent,
    }


def opd_urusan_facets() -> list[dict[str, Any]]:
    """The bidang urusan the region's OPDs hold, with how many OPDs hold each,
    for the filter of the organizations page (active one marked)."""
    lang = codelists.current_language()
    bidang = codelists.get("bidang_urusan")
    counts = Counter(code for org in queries.organizations() for code in org.bidang_urusan)
    try:
        active = tk.request.args.get("urusan") or ""
    except RuntimeError:
        active = ""
    order = {code.code: position for position, code in enumerate(bidang.codes)}
    return [
        {
            "code": code,
            "label": bidang.label(code, lang),
            "count": count,
            "active": code == active,
        }
        for code, count in sorted(counts.items(), key=lambda item: order.get(item[0], 10**6))
    ]


def opd_urusan_label(codes: str) -> str:
    """Names of the bidang (or top-level urusan) codes of a filter, "2.16,7" ->
    "Komunikasi dan Informatika, Unsur Kewilayahan"."""
    lang = codelists.current_language()
    bidang = codelists.get("bidang_urusan")
    urusan = codelists.get("urusan")
    return ", ".join(
        bidang.label(code, lang) if code in bidang else urusan.label(code, lang)
        for code in identity.as_list(codes, split_commas=True)
    )


def opd_history(org_id: str) -> list[dict[str, Any]]:
    """The OPD's renames and merges (newest first), each with what it means to a reader."""
    events = []
    for event in model.events(org_id):
        if event["kind"] == model.MERGE and event["source_organization_id"] == org_id:
            continue  # this page belongs to the OPD that was merged away
        source = queries.organization(event["source_organization_id"])
        events.append({**event, "source": source.summary() if source else None})
    return events


def opd_code_list_text(value: Any) -> str:
    """Codes as the form shows them: "2.16, 2.20"."""
    return ", ".join(identity.as_list(value, split_commas=True))


HELPERS = {
    "sipessut_opd_identity": opd_identity,
    "sipessut_opd_urusan_facets": opd_urusan_facets,
    "sipessut_opd_history": opd_history,
    "sipessut_opd_urusan_label": opd_urusan_label,
    "sipessut_opd_code_list_text": opd_code_list_text,
}
