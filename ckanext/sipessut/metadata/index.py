"""Search facets: what the metadata adds to each dataset's Solr document.

Values go under CKAN's dynamic `vocab_*` fields (string, multi-valued, stored),
so no edit of CKAN's Solr schema is needed. Codes are indexed; the search page
shows their labels in the user's language (see label_facet_items).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut import codelists
from ckanext.sipessut.metadata import schema_rules
from ckanext.sipessut.metadata.validators import period_bounds

# Links between datasets (dataset -> kegiatan / indikator, indikator -> kegiatan),
# indexed so that each side can list the other.
LINK_INDEX_KEY = "vocab_sipessut_link"
LINK_FIELDS = ("kegiatan", "indikator")
MAX_YEARS = 100  # a period longer than this is indexed by its first and last year only


@dataclass(frozen=True)
class Facet:
    index_key: str
    codelist: str | None
    # dataset type -> the field holding the codes
    fields: Mapping[str, str]
    title: Callable[[], str]


FACETS = (
    Facet(
        "vocab_sektor",
        "sektor",
        {"dataset": "sektor", "kegiatan": "sektor_kegiatan"},
        lambda: tk._("Sector"),
    ),
    Facet(
        "vocab_urusan",
        "bidang_urusan",
        {"dataset": "urusan"},
        lambda: tk._("Government affairs"),
    ),
    Facet(
        "vocab_jadwal_pemutakhiran",
        "jadwal_pemutakhiran",
        {"dataset": "jadwal_pemutakhiran"},
        lambda: tk._("Update schedule"),
    ),
    Facet(
        "vocab_tingkat_penyajian",
        "tingkat_penyajian",
        {"dataset": "tingkat_penyajian", "kegiatan": "tingkat_penyajian_hasil"},
        lambda: tk._("Level of presentation"),
    ),
    Facet("vocab_tahun", None, {}, lambda: tk._("Year")),
    Facet("dataset_type", "tipe_dataset", {}, lambda: tk._("Type")),
)


def years_covered(pkg_dict: Mapping[str, Any]) -> list[str]:
    """The years a dataset's period covers, or a kegiatan's year."""
    if pkg_dict.get("type") == "kegiatan":
        return [str(pkg_dict["tahun"])] if pkg_dict.get("tahun") else []
    start = pkg_dict.get("periode_awal")
    if not start:
        return []
    try:
        first = period_bounds(str(start))[0].year
        last = period_bounds(str(pkg_dict.get("periode_akhir") or start))[1].year
    except ValueError:
        return []
    if last - first > MAX_YEARS:
        return [str(first), str(last)]
    return [str(year) for year in range(first, last + 1)]


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    _flatten_nested_values(pkg_dict)
    dataset_type = pkg_dict.get("type")
    for facet in FACETS:
        field = facet.fields.get(dataset_type)
        if field:
            codes = schema_rules.values_of(pkg_dict.get(field))
            if codes:
                pkg_dict[facet.index_key] = codes
    years = years_covered(pkg_dict)
    if years:
        pkg_dict["vocab_tahun"] = years
    links = [ref for name in LINK_FIELDS for ref in schema_rules.values_of(pkg_dict.get(name))]
    if links:
        pkg_dict[LINK_INDEX_KEY] = links
    return pkg_dict


def _flatten_nested_values(pkg_dict: dict[str, Any]) -> None:
    """Objects (repeating subfields, data dictionaries) go to Solr as JSON text.

    pysolr would send a list of objects as nested child documents, which CKAN's
    schema refuses; as text they stay searchable and the document stays flat.
    """
    for key, value in pkg_dict.items():
        if isinstance(value, dict) or (
            isinstance(value, list) and any(isinstance(item, (dict, list)) for item in value)
        ):
            pkg_dict[key] = json.dumps(value, ensure_ascii=False)


def facet_titles() -> dict[str, str]:
    """Index key -> title in the user's language, in the order the search page shows them."""
    return {facet.index_key: facet.title() for facet in FACETS}


def label_facet_items(search_facets: dict[str, Any]) -> None:
    """Show code-list labels instead of codes in the facets of a search result."""
    lang = codelists.current_language()
    for facet in FACETS:
        found = search_facets.get(facet.index_key)
        if not found or not facet.codelist:
            continue
        codelist = codelists.get(facet.codelist)
        for item in found.get("items", []):
            item["display_name"] = codelist.label(item["name"], lang)
