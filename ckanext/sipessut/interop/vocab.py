"""The vocabularies our RDF speaks, in one place: URIs for our codes and the EU
authority tables we map them to.

- jadwal pemutakhiran -> the EU frequency table (the code list carries `eu_frequency`);
- pengaturan akses -> the EU access-right table;
- languages -> the EU language table (Indonesian IND, English ENG);
- our own code lists (sektor, bidang urusan, wilayah) -> `{site_url}/codelist/<list>/<code>`,
  which the portal serves as a SKOS concept (views.py), so every URI dereferences.
"""

from __future__ import annotations

from urllib.parse import quote, unquote

import ckan.plugins.toolkit as tk

from ckanext.sipessut import codelists

EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
EU_ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"

# Perpres 39/2019 Pasal 37 classes -> the EU access rights table.
ACCESS_RIGHTS = {"terbuka": "PUBLIC", "terbatas": "RESTRICTED", "tertutup": "NON_PUBLIC"}
# The portal's two languages (ckan.locales_offered id en).
LANGUAGES = {"id": "IND", "en": "ENG"}
CODELIST_PATH = "/codelist/"


def site_url() -> str:
    return str(tk.config.get("ckan.site_url") or "").rstrip("/")


def frequency_uri(jadwal: str | None) -> str | None:
    code = codelists.get("jadwal_pemutakhiran").get(str(jadwal or ""))
    eu = code.attrs.get("eu_frequency") if code else None
    return EU_FREQUENCY + eu if eu else None


def jadwal_of_frequency(uri: str | None) -> str | None:
    if not uri or not str(uri).startswith(EU_FREQUENCY):
        return None
    eu = str(uri)[len(EU_FREQUENCY) :]
    for code in codelists.get("jadwal_pemutakhiran").codes:
        if code.attrs.get("eu_frequency") == eu:
            return code.code
    return None


def access_right_uri(pengaturan: str | None) -> str | None:
    eu = ACCESS_RIGHTS.get(str(pengaturan or ""))
    return EU_ACCESS_RIGHT + eu if eu else None


def pengaturan_of_access_right(uri: str | None) -> str | None:
    for code, eu in ACCESS_RIGHTS.items():
        if str(uri or "") == EU_ACCESS_RIGHT + eu:
            return code
    return None


def concept_uri(codelist: str, code: str) -> str:
    return f"{site_url()}{CODELIST_PATH}{codelist}/{quote(str(code), safe='')}"


def scheme_uri(codelist: str) -> str:
    return f"{site_url()}{CODELIST_PATH}{codelist}"


def code_of_concept(uri: str | None, codelist: str) -> str | None:
    prefix = scheme_uri(codelist) + "/"
    if uri and str(uri).startswith(prefix):
        return unquote(str(uri)[len(prefix) :])
    return None
