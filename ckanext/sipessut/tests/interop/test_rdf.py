"""DCAT and schema.org through ckanext-dcat with our profiles: what the triples say, what
never leaves the portal, and ckanext-dcat's own parser reading our output back."""

from __future__ import annotations

import json
import re

import pytest
from ckanext.dcat.processors import RDFParser
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from ckanext.sipessut.interop import vocab

SITE = "http://127.0.0.1"
FORMATS = ("jsonld", "ttl", "rdf", "xml")


def _graph(app, url: str, fmt: str = "turtle") -> Graph:
    response = app.get(url)
    assert response.status_code == 200, response.body[:500]
    return Graph().parse(data=response.body, format=fmt)


def _dataset_ref(graph: Graph) -> URIRef:
    refs = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(refs) == 1
    return refs[0]


def test_dataset_triples_carry_the_satu_data_fields(app, catalogue):
    pkg = catalogue.published[0]
    graph = _graph(app, f"/dataset/{pkg['name']}.ttl")
    ref = _dataset_ref(graph)
    site = vocab.site_url()

    publisher = graph.value(ref, DCTERMS.publisher)
    assert str(graph.value(publisher, FOAF.name)) == "Dinas Kesehatan"
    assert str(graph.value(publisher, DCTERMS.identifier)) == "1.02.0.00.0.00.01.0000"
    assert graph.value(publisher, FOAF.mbox) == URIRef("mailto:dinkes@samarindakota.example")
    assert URIRef("tel:0541741234") in set(graph.objects(publisher, FOAF.phone))

    assert graph.value(ref, DCTERMS.accrualPeriodicity) == URIRef(vocab.EU_FREQUENCY + "ANNUAL")
    period = graph.value(ref, DCTERMS.temporal)
    assert graph.value(period, DCAT.startDate) == Literal("2024", datatype=XSD.gYear)
    assert graph.value(period, DCAT.endDate) == Literal("2024", datatype=XSD.gYear)

    area = graph.value(ref, DCTERMS.spatial)
    assert area == URIRef(f"{site}/codelist/wilayah/64.72")
    assert str(graph.value(area, DCTERMS.identifier)) == "64.72"
    assert Literal("Kota Samarinda", lang="id") in set(graph.objects(area, SKOS.prefLabel))

    themes = set(graph.objects(ref, DCAT.theme))
    assert URIRef(f"{site}/codelist/sektor/2") in themes
    assert URIRef(f"{site}/codelist/bidang_urusan/1.02") in themes
    assert Literal("Demography and population", lang="en") in set(
        graph.objects(URIRef(f"{site}/codelist/sektor/2"), SKOS.prefLabel)
    )
    assert graph.value(ref, DCTERMS.accessRights) == URIRef(vocab.EU_ACCESS_RIGHT + "PUBLIC")
    languages = set(graph.objects(ref, DCTERMS.language))
    assert {URIRef(vocab.EU_LANGUAGE + "IND"), URIRef(vocab.EU_LANGUAGE + "ENG")} <= languages
    assert graph.value(ref, DCTERMS.title) == Literal(pkg["title"], lang="id")

    related = {str(graph.value(r, DCTERMS.type)): r for r in graph.objects(ref, DCTERMS.relation)}
    assert str(graph.value(related["MS-Keg"], SKOS.notation)) == "KEG-6472-0001"
    assert str(graph.value(related["MS-Keg"], DCTERMS.identifier)) == catalogue.kegiatan["id"]
    assert str(graph.value(related["MS-Ind"], DCTERMS.identifier)) == catalogue.indikator["id"]

    distribution = graph.value(ref, DCAT.distribution)
    schema_url = str(graph.value(distribution, DCTERMS.conformsTo))
    resource_id = pkg["resources"][0]["id"]
    assert schema_url == f"{site}/dataset/{pkg['name']}/resource/{resource_id}/tableschema.json"
    schema = app.get(schema_url.replace(site, "")).json
    assert [f["name"] for f in schema["fields"]] == ["kode_wilayah", "kecamatan", "jumlah_penduduk"]
    assert schema["fields"][0]["konsep"] == ["Wilayah administrasi"]


def test_a_private_kegiatan_is_not_named(app, catalogue):
    secret = catalogue.secret_kegiatan
    body = app.get("/dataset/dengan-kegiatan-privat.ttl").body
    assert "Survei Rahasia" not in body
    assert secret["id"] not in body
    assert "/kegiatan/" not in body


@pytest.mark.parametrize("fmt", FORMATS)
def test_nothing_unpublished_is_served_as_linked_data(app, catalogue, fmt):
    sysadmin = {"Authorization": catalogue.sysadmin["token"]}
    for kind, pkg in catalogue.hidden.items():
        for headers in ({}, sysadmin):
            response = app.get(f"/dataset/{pkg['name']}.{fmt}", headers=headers)
            assert response.status_code == 404, (kind, fmt)
        tableschema = (
            f"/dataset/{pkg['name']}/resource/{pkg['resources'][0]['id']}/tableschema.json"
        )
        assert app.get(tableschema).status_code == 404, kind


def test_catalogue_lists_the_published_tables_only(app, catalogue):
    graph = _graph(app, "/catalog.ttl")
    titles = {
        str(graph.value(ref, DCTERMS.title)) for ref in graph.subjects(RDF.type, DCAT.Dataset)
    }
    assert titles == {d["title"] for d in catalogue.published}
    text = app.get("/catalog.ttl").body
    for pkg in catalogue.hidden.values():
        assert pkg["id"] not in text
    assert catalogue.kegiatan["title"] not in titles  # MS-Keg is metadata, not a data table
    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    assert str(graph.value(graph.value(catalog, DCTERMS.publisher), FOAF.name)) == (
        "Dinas Komunikasi dan Informatika"
    )


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "1")
def test_catalogue_pages_and_modified_since(app, catalogue):
    HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
    first = _graph(app, "/catalog.ttl")
    assert len(list(first.subjects(RDF.type, DCAT.Dataset))) == 1
    collection = next(first.subjects(RDF.type, HYDRA.PagedCollection))
    assert int(first.value(collection, HYDRA.totalItems)) == len(catalogue.published)
    seen: set[str] = set()
    for page in range(1, len(catalogue.published) + 1):
        graph = _graph(app, f"/catalog.ttl?page={page}")
        seen |= {str(graph.value(r, DCTERMS.title)) for r in graph.subjects(RDF.type, DCAT.Dataset)}
    assert seen == {d["title"] for d in catalogue.published}

    newest = max(d["metadata_modified"] for d in catalogue.published)
    later = _graph(app, f"/catalog.ttl?modified_since={newest}")
    assert len(list(later.subjects(RDF.type, DCAT.Dataset))) == 1
    assert not list(
        _graph(app, "/catalog.ttl?modified_since=2999-01-01").subjects(RDF.type, DCAT.Dataset)
    )


def test_round_trip_through_ckanext_dcat_parser(app, catalogue):
    for pkg in catalogue.published[:2]:  # the third links a private kegiatan: not said
        parser = RDFParser(profiles=["euro_dcat_ap_3", "sipessut_satudata"])
        parser.parse(app.get(f"/dataset/{pkg['name']}.jsonld").body, _format="json-ld")
        [parsed] = list(parser.datasets())
        fields = (
            "title", "notes", "jadwal_pemutakhiran", "periode_awal", "periode_akhir",
            "kode_wilayah", "sektor", "pengaturan_akses", "sumber_data", "kegiatan", "indikator",
        )  # fmt: skip
        for key in fields:
            assert parsed.get(key) == pkg.get(key), key
        assert parsed["urusan"] == ["1.02"]
        extras = {e["key"]: e["value"] for e in parsed.get("extras", [])}
        assert extras["kode_skpd"] == "1.02.0.00.0.00.01.0000"
        assert parsed["owner_org"] == pkg["owner_org"]
        assert {t["name"] for t in parsed["tags"]} == {t["name"] for t in pkg["tags"]}
        [resource] = parsed["resources"]
        assert resource["data_dictionary_url"].endswith(
            f"/resource/{pkg['resources'][0]['id']}/tableschema.json"
        )


def _embedded_jsonld(body: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    return [json.loads(b) for b in blocks]


def test_schema_org_in_published_dataset_pages_only(app, catalogue):
    pkg = catalogue.published[1]
    [data] = _embedded_jsonld(app.get(f"/dataset/{pkg['name']}").body)
    graph = data.get("@graph", [data])
    dataset = next(node for node in graph if node.get("@type") in ("schema:Dataset", "Dataset"))
    text = json.dumps(data)
    assert "2023-01/2024-12" in text  # temporalCoverage
    assert "Kecamatan Palaran" in text  # spatialCoverage
    assert "1.02.0.00.0.00.01.0000" in text  # the OPD's kode SKPD
    assert "Jumlah penduduk" in text
    assert "NIK petugas" not in text
    assert dataset
    headers = {"Authorization": catalogue.sysadmin["token"]}
    for hidden in catalogue.hidden.values():
        body = app.get(f"/dataset/{hidden['name']}", headers=headers).body
        assert not _embedded_jsonld(body)


def test_code_list_uris_dereference(app, catalogue):
    concept = app.get("/codelist/wilayah/64.72.01").json
    assert concept["skos:notation"] == "64.72.01"
    assert {"@value": "Kecamatan Palaran", "@language": "id"} in concept["skos:prefLabel"]
    assert app.get("/codelist/sektor/99").status_code == 404
    assert len(app.get("/codelist/jadwal_pemutakhiran").json["skos:hasTopConcept"]) == 9
