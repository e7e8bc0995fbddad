"""The tables per OPD: counted by Solr from tokens in each dataset's document (index.py), listed
by the drill-down from SQL (queries.dataset_facts). Over generated resources (formats written
every way, stored statuses valid or not, DataStore flags, dictionaries, deleted resources) the
two must give each dataset the same figures, and the tokens must add up to them."""

from __future__ import annotations

import collections

import pytest
from ckan import model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckanext.sipessut import metadata, validation
from ckanext.sipessut.monitoring import index, queries
from ckanext.sipessut.tests.factories import OPD, Dataset, store_resources

FORMATS = st.sampled_from(["", "CSV", " .xlsx ", "XLS", "ods", "PDF", "json"])
URLS = st.sampled_from(["", "http://example.com/data.csv?x=1", "upload.ods", "http://example.com/"])
STORED = st.sampled_from([None, "valid", "invalid", "error", "pending", "", "rubbish"])
DATASTORE = st.sampled_from([None, True, False, "true", "True"])
DICTIONARIES = st.sampled_from([None, "", "{}", "null", {"fields": [{"name": "a"}]}])
RESOURCES = st.lists(
    st.fixed_dictionaries(
        {
            "format": FORMATS,
            "url": URLS,
            "status": STORED,
            "datastore": DATASTORE,
            "dictionary": DICTIONARIES,
            "state": st.sampled_from(["active", "active", "active", "deleted"]),
        }
    ),
    max_size=6,
)
DRILLED = ("tables", "valid", "invalid", "not_validated", "datastore")


@pytest.fixture
def dataset(clean_db):
    return Dataset(owner_org=OPD()["id"])


def _store(package_id: str, generated: list[dict]) -> list[dict]:
    """Write the resources as rows of CKAN's resource table; return them as package_show
    gives them to the index (active ones only)."""
    rows = []
    for item in generated:
        extras = {
            key: value
            for key, value in (
                (validation.STATUS_FIELD, item["status"]),
                ("datastore_active", item["datastore"]),
                (metadata.DATA_DICTIONARY_FIELD, item["dictionary"]),
            )
            if value is not None
        }
        rows.append(
            {"format": item["format"], "url": item["url"], "state": item["state"], "extras": extras}
        )
    store_resources(package_id, rows)
    return [
        {**row["extras"], "format": row["format"], "url": row["url"]}
        for row in rows
        if row["state"] == "active"
    ]


@settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(generated=RESOURCES)
def test_the_index_and_the_drill_down_count_the_same_tables(dataset, generated):
    resources = _store(dataset["id"], generated)

    figures = index.table_figures(resources)
    [facts] = queries.dataset_facts(False, dataset["owner_org"], 2026)

    assert {key: facts[key] for key in DRILLED} == {key: figures[key] for key in DRILLED}
    assert figures["with_dictionary"] <= figures["tables"]
    model.Session.rollback()


@settings(max_examples=200, derandomize=True)
@given(datasets=st.lists(RESOURCES, max_size=8))
def test_the_tokens_of_an_opd_add_up_to_its_tables(datasets):
    """What a Solr facet does with the tokens (counts the documents holding each) gives back
    the sum of the datasets' figures."""
    facet: collections.Counter[str] = collections.Counter()
    expected = dict.fromkeys(index.TABLE_FIGURES, 0)
    for generated in datasets:
        resources = [
            {
                "format": r["format"],
                "url": r["url"],
                validation.STATUS_FIELD: r["status"],
                "datastore_active": r["datastore"],
                metadata.DATA_DICTIONARY_FIELD: r["dictionary"],
            }
            for r in generated
            if r["state"] == "active"
        ]
        tokens = index.table_tokens(resources)
        assert len(tokens) == len(set(tokens))  # a document holds each token once
        facet.update(tokens)
        for key, count in index.table_figures(resources).items():
            expected[key] += count

    assert index.count_tokens(dict(facet)) == expected
