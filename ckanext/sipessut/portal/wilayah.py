"""The wilayah facet: which kecamatan and kelurahan of the region a dataset has figures for.

Read from the metadata, never from the files: a dataset covers its cakupan wilayah
(`kode_wilayah`, the region when empty) and, when it is broken down by kecamatan or
kelurahan, every kecamatan / kelurahan inside that area. The breakdown comes from

- a column of its tables' data dictionaries whose codes are the `wilayah` code list at
  a level (`"codelist": {"name": "wilayah", "where": {"level": "kecamatan"}}`),
- its tingkat penyajian (Kecamatan), for a data table or a kegiatan,
- an indikator's level estimasi (Kecamatan, Desa/Kelurahan).

A table by kelurahan covers their kecamatan too. Codes go to Solr under
`vocab_wilayah` (a dynamic field of CKAN's schema); the search page labels them from
the `wilayah` code list in the visitor's language.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut import codelists, settings
from ckanext.sipessut.metadata import DATA_DICTIONARY_FIELD

INDEX_FIELD = "vocab_wilayah"
WILAYAH = "wilayah"
KECAMATAN, KELURAHAN = "kecamatan", "kelurahan"
# Codes of other code lists that mean a breakdown by a wilayah level.
TINGKAT_PENYAJIAN_LEVELS = {"8": KECAMATAN}
LEVEL_ESTIMASI_LEVELS = {"kecamatan": KECAMATAN, "desa_kelurahan": KELURAHAN}


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    try:
        validated = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    except ValueError:
        validated = {}
    codes = coverage(validated or pkg_dict)
    if codes:
        pkg_dict[INDEX_FIELD] = codes
    return pkg_dict


def coverage(pkg: dict[str, Any]) -> list[str]:
    """The wilayah codes a dataset (as package_show gives it) has figures for, in list order."""
    wilayah = codelists.get(WILAYAH)
    areas = [code for code in _areas(pkg) if code in wilayah]
    levels = set(_levels(pkg))
    covered = set(areas)
    for code in wilayah.codes:
        level = code.attrs.get("level")
        if level in levels and any(code.code.startswith(area + ".") for area in areas):
            covered.add(code.code)
            if level == KELURAHAN and code.attrs.get("parent"):
                covered.add(str(code.attrs["parent"]))
    return [code.code for code in wilayah.codes if code.code in covered]


def _areas(pkg: dict[str, Any]) -> list[str]:
    region = settings.region_code()
    if pkg.get("type") == "kegiatan":
        listed = [
            str(item.get("kode_kabupaten_kota") or "")
            for item in _dicts(pkg.get("wilayah_kegiatan"))
        ]
        inside = [code for code in listed if settings.in_region(code)]
        return inside or [region]
    own = str(pkg.get("kode_wilayah") or "")
    return [own if settings.in_region(own) else region]


def _levels(pkg: dict[str, Any]) -> Iterable[str]:
    for resource in pkg.get("resources") or []:
        for column in _dictionary_fields(resource.get(DATA_DICTIONARY_FIELD)):
            reference = column.get("codelist")
            if isinstance(reference, dict) and reference.get("name") == WILAYAH:
                level = (reference.get("where") or {}).get("level")
                if level in (KECAMATAN, KELURAHAN):
                    yield level
    for name in ("tingkat_penyajian", "tingkat_penyajian_hasil"):
        for code in _codes(pkg.get(name)):
            if code in TINGKAT_PENYAJIAN_LEVELS:
                yield TINGKAT_PENYAJIAN_LEVELS[code]
    for code in _codes(pkg.get("level_estimasi")):
        if code in LEVEL_ESTIMASI_LEVELS:
            yield LEVEL_ESTIMASI_LEVELS[code]


def _dictionary_fields(dictionary: Any) -> list[dict[str, Any]]:
    if isinstance(dictionary, str):
        try:
            dictionary = json.loads(dictionary)
        except ValueError:
            return []
    fields = dictionary.get("fields") if isinstance(dictionary, dict) else None
    return [item for item in fields or [] if isinstance(item, dict)]


def _codes(value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return [value]
        value = parsed
    if isinstance(value, list):
        return [str(item) for item in value]
    return [str(value)] if value else []


def _dicts(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return [item for item in value or [] if isinstance(item, dict)]


def facet_title() -> str:
    return tk._("Area")


def label_facet_items(search_facets: dict[str, Any]) -> None:
    found = search_facets.get(INDEX_FIELD)
    if not found:
        return
    wilayah = codelists.get(WILAYAH)
    lang = codelists.current_language()
    for item in found.get("items", []):
        item["display_name"] = wilayah.label(item["name"], lang)
