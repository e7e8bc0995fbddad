"""The harvest API at /sdi, as the CKAN harvester calls it (the full harvest is in
test_harvest_ckan.py): what it lists, what it refuses, how links are made safe."""

from __future__ import annotations

from ckanext.sipessut.interop import downloads, vocab


def test_lists_the_published_tables_with_their_satu_data_extras(app, catalogue):
    body = app.get("/sdi/api/3/action/package_search", params={"rows": 100, "sort": "id asc"}).json
    assert body["success"]
    names = {p["name"] for p in body["result"]["results"]}
    assert names == catalogue.names()
    assert catalogue.kegiatan["name"] not in names  # a plain CKAN cannot show a kegiatan
    first = next(
        p for p in body["result"]["results"] if p["name"] == catalogue.published[0]["name"]
    )
    assert first["type"] == "dataset"
    extras = {e["key"]: e["value"] for e in first["extras"]}
    assert extras["produsen_data"] == "Dinas Kesehatan"
    assert extras["frequency"] == vocab.EU_FREQUENCY + "ANNUAL"
    [resource] = first["resources"]
    # its table has a column that is not public: its page, never its original file
    assert resource["url"].startswith(vocab.site_url() + f"/dataset/{first['name']}/resource/")
    assert "/download/" not in resource["url"]
    assert resource["conforms_to"].endswith("/tableschema.json")
    assert "data_dictionary" not in resource


def test_refuses_what_it_does_not_answer(app, catalogue):
    for key, pkg in catalogue.hidden.items():
        response = app.get("/sdi/api/3/action/package_show", params={"id": pkg["name"]})
        if key == "returned":
            # Published once, then returned: the harvester hears of the withdrawal only.
            withdrawn = response.json["result"]
            assert withdrawn["state"] == "deleted"
            assert not withdrawn["resources"]
            assert "notes" not in withdrawn
        else:
            assert response.status_code == 404
    assert (
        app.get(
            "/sdi/api/3/action/package_show", params={"id": catalogue.kegiatan["name"]}
        ).status_code
        == 404
    )
    assert app.get("/sdi/api/3/action/package_delete").status_code == 400
    assert app.get("/sdi/api/3/action/package_search", params={"rows": "many"}).status_code == 409
    assert app.get("/sdi/api/3/action/package_search", params={"fq": "x" * 3000}).status_code == 409
    paged = app.get("/sdi/api/3/action/package_search", params={"rows": 1, "start": 1}).json
    assert len(paged["result"]["results"]) == 1
    assert paged["result"]["count"] == len(catalogue.published)


def test_incremental_harvests_learn_of_withdrawals(app, catalogue):
    since = "metadata_modified:[2000-01-01T00:00:00Z TO *]"
    body = app.get("/sdi/api/3/action/package_search", params={"fq": since, "rows": 100}).json
    records = {p["id"]: p for p in body["result"]["results"]}
    returned = records[catalogue.hidden["returned"]["id"]]
    assert returned["state"] == "deleted"
    assert set(returned) >= {"id", "name", "metadata_modified"}
    assert not returned["resources"]
    assert "title" not in returned
    assert not returned["extras"]
    for kind in ("draft", "submitted", "terbatas"):  # never public: never named
        assert catalogue.hidden[kind]["id"] not in records
    full = app.get("/sdi/api/3/action/package_search", params={"rows": 100}).json
    assert all(p["state"] == "active" for p in full["result"]["results"])


def test_links_to_internal_hosts_become_our_resource_page(catalogue):
    pkg = {"id": "p1", "name": "data-kota"}
    site = vocab.site_url()
    for url in (
        "http://api/data.csv",
        "http://localhost:8080/x.csv",
        "http://10.1.2.3/x.csv",
        "data.csv",
    ):
        assert (
            downloads.resource_url(pkg, {"id": "r1", "url": url})
            == f"{site}/dataset/data-kota/resource/r1"
        )
    public = "https://data.samarindakota.go.id/x.csv"
    assert downloads.resource_url(pkg, {"id": "r1", "url": public}) == public
    upload = {"id": "r1", "url": "x.csv", "url_type": "upload"}
    assert downloads.resource_url(pkg, upload) == f"{site}/dataset/p1/resource/r1/download/x.csv"
    # a table with a column that is not public: never its original, its page while it is
    # not in the DataStore
    masked = {
        **upload,
        "data_dictionary": {
            "fields": [{"name": "nik", "type": "string", "bisa_diakses_umum": False}]
        },
    }
    assert downloads.resource_url(pkg, masked) == f"{site}/dataset/data-kota/resource/r1"
