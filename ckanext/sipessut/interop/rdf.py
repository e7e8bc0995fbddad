"""Our RDF profiles for ckanext-dcat: the Satu Data fields in DCAT (`sipessut_satudata`)
and in schema.org (`sipessut_schemaorg`), each applied after ckanext-dcat's stock profile
(`ckanext.dcat.rdf.profiles = euro_dcat_ap_3 sipessut_satudata`,
`ckanext.dcat.structured_data.profiles = schemaorg sipessut_schemaorg`).

What the stock profile already writes (title, description, keywords, dates, licence,
distributions, the organization as publisher) is kept; this adds, for a dataset:

    Produsen Data (the OPD)    dct:publisher with foaf:name, dct:identifier (kode SKPD),
                               foaf:mbox, foaf:homepage, foaf:phone, locn:address
    jadwal pemutakhiran        dct:accrualPeriodicity (EU frequency table)
    periode data               dct:temporal [dcat:startDate, dcat:endDate] (xsd:gYear,
                               gYearMonth or date, as written)
    cakupan wilayah            dct:spatial <codelist/wilayah/CODE> (dct:identifier =
                               Kemendagri code, skos:prefLabel id/en)
    licence                    dct:license on every distribution (from the dataset's)
    sektor, bidang urusan      dcat:theme <codelist/sektor/CODE>, <codelist/bidang_urusan/CODE>
    pengaturan akses           dct:accessRights (EU access-right table)
    sumber data                dct:provenance
    kegiatan, indikator        dct:relation to their pages (dct:title, dct:identifier,
                               dct:type MS-Keg / MS-Ind, skos:notation = Kode Metadata)
    MS-Var of each table       the distribution dct:conformsTo its Table Schema, served at
                               /dataset/<name>/resource/<id>/tableschema.json
    languages                  dct:language IND and ENG; title and description tagged @id

`parse_dataset` reads the same triples back into the same fields (the round trip).
"""

from __future__ import annotations

import re
from typing import Any

from ckanext.dcat.profiles import DCAT, DCT, FOAF, LOCN, RDF, RDFS, SCHEMA, SKOS, XSD
from ckanext.dcat.profiles.base import RDFProfile
from ckanext.dcat.utils import resource_uri
from rdflib import BNode, Literal, Namespace, URIRef

from ckanext.sipessut import codelists, metadata, opd, publicdata, settings
from ckanext.sipessut.interop import downloads, records, vocab

ADMS = Namespace("http://www.w3.org/ns/adms#")
LANGS = ("id", "en")
MS_KEG = "MS-Keg"
MS_IND = "MS-Ind"
_RELATED_TYPES = {"kegiatan": MS_KEG, "indikator": MS_IND}


def tableschema_url(pkg: dict[str, Any], resource: dict[str, Any]) -> str:
    return f"{vocab.site_url()}/dataset/{pkg['name']}/resource/{resource['id']}/tableschema.json"


def dataset_page_url(pkg: dict[str, Any]) -> str:
    return f"{vocab.site_url()}/dataset/{pkg['name']}"


def has_dictionary(resource: dict[str, Any]) -> bool:
    value = resource.get(metadata.DATA_DICTIONARY_FIELD)
    return bool(value) and value not in ("{}", "null")


def _period_literal(value: str) -> Literal:
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    return Literal(value, datatype=XSD.date)


def _codes(value: Any) -> list[str]:
    return records.references(value)


class SatuDataProfile(RDFProfile):
    """DCAT for the Satu Data fields; see the module docstring."""

    # --- serialising ----------------------------------------------------------------------

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        g = self.g
        g.bind("locn", LOCN)
        g.bind("skos", SKOS)
        self._languages(dataset_ref)
        self._tag_language(dataset_ref, DCT.title)
        self._tag_language(dataset_ref, DCT.description)
        if dataset_dict.get("name") and not g.value(dataset_ref, DCAT.landingPage):
            g.add((dataset_ref, DCAT.landingPage, URIRef(dataset_page_url(dataset_dict))))
        self._publisher(dataset_dict, dataset_ref)
        frequency = vocab.frequency_uri(dataset_dict.get("jadwal_pemutakhiran"))
        if frequency:
            g.add((dataset_ref, DCT.accrualPeriodicity, URIRef(frequency)))
            g.add((URIRef(frequency), RDF.type, DCT.Frequency))
        self._temporal(dataset_dict, dataset_ref)
        self._spatial_area(dataset_dict, dataset_ref)
        for code in _codes(dataset_dict.get("sektor")):
            self._concept(dataset_ref, DCAT.theme, "sektor", code)
        for code in opd.dataset_urusan(dataset_dict):
            self._concept(dataset_ref, DCAT.theme, "bidang_urusan", code)
        rights = vocab.access_right_uri(dataset_dict.get("pengaturan_akses"))
        if rights:
            g.add((dataset_ref, DCT.accessRights, URIRef(rights)))
            g.add((URIRef(rights), RDF.type, DCT.RightsStatement))
        if dataset_dict.get("sumber_data"):
            provenance = BNode()
            g.add((dataset_ref, DCT.provenance, provenance))
            g.add((provenance, RDF.type, DCT.ProvenanceStatement))
            g.add((provenance, RDFS.label, Literal(dataset_dict["sumber_data"], lang="id")))
        for field in ("kegiatan", "indikator"):
            for reference in _codes(dataset_dict.get(field)):
                self._related(dataset_ref, records.related(reference))
        licence = dataset_dict.get("license_url")
        for resource in dataset_dict.get("resources", []):
            distribution = URIRef(resource_uri(resource))
            # DCAT-AP puts the licence on each distribution (where harvesters read it)
            if licence and (distribution, DCT.license, None) not in g:
                g.add((distribution, DCT.license, URIRef(licence)))
                g.add((URIRef(licence), RDF.type, DCT.LicenseDocument))
            if has_dictionary(resource):
                schema = URIRef(tableschema_url(dataset_dict, resource))
                g.add((distribution, DCT.conformsTo, schema))
                g.add((schema, RDF.type, DCT.Standard))
                g.add((schema, DCT.title, Literal("Kamus data (MS-Var)", lang="id")))
                g.add((schema, DCT.title, Literal("Data dictionary (MS-Var)", lang="en")))
                g.add((schema, DCT["format"], Literal("application/schema+json")))
            if not publicdata.original_is_public(resource):
                # Never the original of a table with columns that are not public: its CSV
                # from the DataStore (those columns left out) when loaded (downloads.py).
                g.remove((distribution, DCAT.downloadURL, None))
                public_csv = publicdata.public_csv_url(resource)
                if public_csv:
                    g.add((distribution, DCAT.downloadURL, URIRef(public_csv)))
                access = downloads.resource_url(dataset_dict, resource)
                g.set((distribution, DCAT.accessURL, URIRef(access)))

    def graph_from_catalog(self, catalog_dict: dict[str, Any], catalog_ref: Any) -> None:
        g = self.g
        self._languages(catalog_ref)
        region = settings.region_code()
        if region:
            self._area(catalog_ref, region)
        walidata = opd.walidata()
        if walidata is not None and not g.value(catalog_ref, DCT.publisher):
            ref = URIRef(f"{vocab.site_url()}/organization/{walidata.name}")
            g.add((catalog_ref, DCT.publisher, ref))
            g.add((ref, RDF.type, FOAF.Organization))
            g.add((ref, FOAF.name, Literal(walidata.title)))
            if walidata.kode_skpd:
                g.add((ref, DCT.identifier, Literal(walidata.kode_skpd)))

    def _languages(self, subject: Any) -> None:
        for lang in LANGS:
            uri = URIRef(vocab.EU_LANGUAGE + vocab.LANGUAGES[lang])
            self.g.add((subject, DCT.language, uri))
            self.g.add((uri, RDF.type, DCT.LinguisticSystem))

    def _tag_language(self, subject: Any, predicate: Any) -> None:
        """Our texts are written in Indonesian: say so on the literal."""
        for value in list(self.g.objects(subject, predicate)):
            if isinstance(value, Literal) and not value.language and value.datatype is None:
                self.g.remove((subject, predicate, value))
                self.g.add((subject, predicate, Literal(str(value), lang="id")))

    def _publisher(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        producer = records.producer(dataset_dict)
        if producer is None:
            return
        g = self.g
        ref = g.value(dataset_ref, DCT.publisher)
        if ref is None:
            ref = URIRef(producer.url)
            g.add((dataset_ref, DCT.publisher, ref))
            g.add((ref, RDF.type, FOAF.Agent))
        g.add((ref, RDF.type, FOAF.Organization))
        if not g.value(ref, FOAF.name):
            g.add((ref, FOAF.name, Literal(producer.title)))
        if producer.kode_skpd:
            g.add((ref, DCT.identifier, Literal(producer.kode_skpd)))
        if producer.email:
            # foaf:mbox is a resource: the stock profile's plain text becomes a mailto: URI
            for value in list(g.objects(ref, FOAF.mbox)):
                if isinstance(value, Literal):
                    g.remove((ref, FOAF.mbox, value))
            g.add((ref, FOAF.mbox, URIRef(f"mailto:{producer.email}")))
        if producer.website:
            g.add((ref, FOAF.homepage, URIRef(producer.website)))
        elif not g.value(ref, FOAF.homepage):
            g.add((ref, FOAF.homepage, URIRef(producer.url)))
        for number in filter(None, (n.strip() for n in producer.telepon.split(","))):
            g.add((ref, FOAF.phone, URIRef("tel:" + re.sub(r"[^0-9+]", "", number))))
        if producer.alamat:
            address = BNode()
            g.add((ref, LOCN.address, address))
            g.add((address, RDF.type, LOCN.Address))
            g.add((address, LOCN.fullAddress, Literal(producer.alamat)))

    def _temporal(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        start = str(dataset_dict.get("periode_awal") or "").strip()
        if not start:
            return
        end = str(dataset_dict.get("periode_akhir") or "").strip() or start
        period = BNode()
        self.g.add((dataset_ref, DCT.temporal, period))
        self.g.add((period, RDF.type, DCT.PeriodOfTime))
        self.g.add((period, DCAT.startDate, _period_literal(start)))
        self.g.add((period, DCAT.endDate, _period_literal(end)))

    def _spatial_area(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        code = str(dataset_dict.get("kode_wilayah") or "").strip()
        if code:
            self._area(dataset_ref, code)

    def _area(self, subject: Any, code: str) -> None:
        ref = URIRef(vocab.concept_uri("wilayah", code))
        self.g.add((subject, DCT.spatial, ref))
        self.g.add((ref, RDF.type, DCT.Location))
        self.g.add((ref, DCT.identifier, Literal(code)))
        self._labels(ref, "wilayah", code)

    def _concept(self, subject: Any, predicate: Any, codelist: str, code: str) -> None:
        ref = URIRef(vocab.concept_uri(codelist, code))
        self.g.add((subject, predicate, ref))
        self.g.add((ref, RDF.type, SKOS.Concept))
        self.g.add((ref, SKOS.notation, Literal(code)))
        self.g.add((ref, SKOS.inScheme, URIRef(vocab.scheme_uri(codelist))))
        self._labels(ref, codelist, code)

    def _labels(self, ref: Any, codelist: str, code: str) -> None:
        found = codelists.get(codelist).get(code)
        if found is None:
            return
        for lang in LANGS:
            if found.labels.get(lang):
                self.g.add((ref, SKOS.prefLabel, Literal(found.labels[lang], lang=lang)))

    def _related(self, dataset_ref: Any, item: records.Related | None) -> None:
        if item is None:
            return
        ref = URIRef(item.url)
        g = self.g
        g.add((dataset_ref, DCT.relation, ref))
        g.add((ref, RDF.type, RDFS.Resource))
        g.add((ref, DCT.title, Literal(item.title, lang="id")))
        g.add((ref, DCT.identifier, Literal(item.id)))
        g.add((ref, DCT.type, Literal(_RELATED_TYPES.get(item.type, item.type))))
        if item.kode:
            g.add((ref, SKOS.notation, Literal(item.kode)))

    # --- parsing (the round trip) ----------------------------------------------------------

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> dict[str, Any]:
        g = self.g
        found: dict[str, Any] = {}
        jadwal = vocab.jadwal_of_frequency(g.value(dataset_ref, DCT.accrualPeriodicity))
        if jadwal:
            found["jadwal_pemutakhiran"] = jadwal
        period = g.value(dataset_ref, DCT.temporal)
        if period is not None:
            start, end = g.value(period, DCAT.startDate), g.value(period, DCAT.endDate)
            if start is not None:
                found["periode_awal"] = str(start)
                if end is not None and str(end) != str(start):
                    found["periode_akhir"] = str(end)
        for spatial in g.objects(dataset_ref, DCT.spatial):
            code = vocab.code_of_concept(spatial, "wilayah")
            if code:
                found["kode_wilayah"] = code
        themes = [str(t) for t in g.objects(dataset_ref, DCAT.theme)]
        sektor = [c for c in (vocab.code_of_concept(t, "sektor") for t in themes) if c]
        if sektor:
            found["sektor"] = sektor[0]
        urusan = [c for c in (vocab.code_of_concept(t, "bidang_urusan") for t in themes) if c]
        if urusan:
            found["urusan"] = sorted(urusan)
        access = vocab.pengaturan_of_access_right(g.value(dataset_ref, DCT.accessRights))
        if access:
            found["pengaturan_akses"] = access
        provenance = g.value(dataset_ref, DCT.provenance)
        if provenance is not None and g.value(provenance, RDFS.label):
            found["sumber_data"] = str(g.value(provenance, RDFS.label))
        related: dict[str, list[str]] = {"kegiatan": [], "indikator": []}
        for ref in g.objects(dataset_ref, DCT.relation):
            kind = {v: k for k, v in _RELATED_TYPES.items()}.get(str(g.value(ref, DCT.type)))
            identifier = g.value(ref, DCT.identifier)
            if kind and identifier:
                related[kind].append(str(identifier))
        if related["kegiatan"]:
            found["kegiatan"] = related["kegiatan"][0]
        if related["indikator"]:
            found["indikator"] = related["indikator"]
        publisher = g.value(dataset_ref, DCT.publisher)
        if publisher is not None:
            kode = g.value(publisher, DCT.identifier)
            if kode:
                found["kode_skpd"] = str(kode)
                match = opd.resolve(str(kode))
                if match.found and match.match == "kode_skpd":
                    dataset_dict["owner_org"] = match.organization["id"]
            name = g.value(publisher, FOAF.name)
            if name:
                found["produsen_data"] = str(name)
        for key, value in found.items():
            self._set_dataset_value(dataset_dict, key, value)
        self._parse_dictionaries(dataset_dict, dataset_ref)
        return dataset_dict

    def _parse_dictionaries(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        by_uri = {str(d): d for d in self.g.objects(dataset_ref, DCAT.distribution)}
        for resource in dataset_dict.get("resources", []):
            distribution = by_uri.get(str(resource.get("uri") or ""))
            if distribution is None:
                continue
            schema = self.g.value(distribution, DCT.conformsTo)
            if schema is not None and str(schema).endswith("/tableschema.json"):
                resource["data_dictionary_url"] = str(schema)


class SchemaOrgProfile(RDFProfile):
    """schema.org additions for Google Dataset Search, after ckanext-dcat's `schemaorg`."""

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        g = self.g
        g.add((dataset_ref, SCHEMA.inLanguage, Literal("id")))
        open_access = (dataset_dict.get("pengaturan_akses") or "terbuka") == "terbuka"
        g.add((dataset_ref, SCHEMA.isAccessibleForFree, Literal(open_access)))
        start = str(dataset_dict.get("periode_awal") or "").strip()
        if start and not g.value(dataset_ref, SCHEMA.temporalCoverage):
            end = str(dataset_dict.get("periode_akhir") or "").strip() or start
            g.add((dataset_ref, SCHEMA.temporalCoverage, Literal(f"{start}/{end}")))
        code = str(dataset_dict.get("kode_wilayah") or "").strip()
        if code:
            place = URIRef(vocab.concept_uri("wilayah", code))
            g.add((dataset_ref, SCHEMA.spatialCoverage, place))
            g.add((place, RDF.type, SCHEMA.Place))
            g.add((place, SCHEMA.name, Literal(codelists.get("wilayah").label(code, "id"))))
            g.add((place, SCHEMA.identifier, Literal(code)))
        producer = records.producer(dataset_dict)
        publisher = g.value(dataset_ref, SCHEMA.publisher)
        if producer is not None and publisher is not None and producer.kode_skpd:
            g.add((publisher, SCHEMA.identifier, Literal(producer.kode_skpd)))
        for code in _codes(dataset_dict.get("sektor")):
            g.add(
                (dataset_ref, SCHEMA.keywords, Literal(codelists.get("sektor").label(code, "id")))
            )
        self._variables(dataset_dict, dataset_ref)

    def _variables(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        """The public columns of the MS-Var dictionaries as schema:variableMeasured."""
        seen: set[str] = set()
        for resource in dataset_dict.get("resources", []):
            for field in public_fields(resource.get(metadata.DATA_DICTIONARY_FIELD)):
                name = str(field.get("title") or field.get("name") or "")
                if not name or name in seen:
                    continue
                seen.add(name)
                variable = BNode()
                self.g.add((dataset_ref, SCHEMA.variableMeasured, variable))
                self.g.add((variable, RDF.type, SCHEMA.PropertyValue))
                self.g.add((variable, SCHEMA.name, Literal(name)))
                if field.get("description"):
                    self.g.add((variable, SCHEMA.description, Literal(field["description"])))
                if field.get("satuan"):
                    self.g.add((variable, SCHEMA.unitText, Literal(field["satuan"])))


def dictionary_of(value: Any) -> dict[str, Any] | None:
    """A resource's stored data dictionary as a dict (it may be kept as JSON text)."""
    import json

    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def is_public_field(field: dict[str, Any]) -> bool:
    """MS-Var `bisa_diakses_umum`: a column marked not public stays out of what is published."""
    return field.get("bisa_diakses_umum") not in (False, "false", "2", 2, "tidak", "Tidak")


def public_fields(value: Any) -> list[dict[str, Any]]:
    schema = dictionary_of(value) or {}
    return [f for f in schema.get("fields") or [] if isinstance(f, dict) and is_public_field(f)]
