"""The validation status vocabulary: one rule, the same in Python and in SQL.

Lists that page in the database (the Walidata's queue) filter on
`dataset_status_column`; pages and the search index use `dataset_status`. Over
generated resources (formats written every way, links with and without extensions and
queries, stored statuses valid or not, deleted resources) the two must agree.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckanext.sipessut import validation
from ckanext.sipessut.tests.factories import OPD, Dataset, store_resources

FORMATS = st.sampled_from(["", "CSV", "csv", " .xlsx ", "XLS", "ods", "tsv", "PDF", "json", "."])
URLS = st.sampled_from(
    [
        "",
        "http://example.com/data.csv",
        "http://example.com/data.CSV?download=1",
        "http://example.com/tabel.xlsx#sheet",
        "http://example.com/dir.csv/file",
        "http://example.com/.csv",
        "http://example.com/laporan.pdf",
        "upload-2024.ods",
        "http://example.com/",
    ]
)
STORED = st.sampled_from([None, "valid", "invalid", "error", "pending", "", "rubbish"])
RESOURCES = st.lists(
    st.fixed_dictionaries(
        {
            "format": FORMATS,
            "url": URLS,
            "status": STORED,
            "state": st.sampled_from(["active", "active", "active", "deleted"]),
        }
    ),
    max_size=6,
)


@pytest.fixture
def dataset(clean_db):
    return Dataset(owner_org=OPD()["id"])


def _store(package_id: str, generated: list[dict]) -> list[dict]:
    """Write the resources as rows of CKAN's resource table; return them as dicts."""
    rows = [
        {
            "format": item["format"],
            "url": item["url"],
            "state": item["state"],
            "extras": {} if item["status"] is None else {validation.STATUS_FIELD: item["status"]},
        }
        for item in generated
    ]
    store_resources(package_id, rows)
    return [{**row.pop("extras"), **row} for row in rows]


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(generated=RESOURCES)
def test_sql_and_python_give_a_dataset_the_same_status(dataset, generated):
    resources = _store(dataset["id"], generated)

    in_sql = model.Session.execute(
        sa.select(validation.dataset_status_column(sa.literal(dataset["id"])))
    ).scalar()

    assert in_sql == validation.dataset_status(resources).status
    model.Session.rollback()


def test_the_worst_table_decides():
    def table(status):
        return {"format": "CSV", validation.STATUS_FIELD: status}

    assert validation.dataset_status([]).status == validation.NO_TABLES
    assert validation.dataset_status([{"format": "PDF"}]).status == validation.NO_TABLES
    assert validation.dataset_status([table("valid"), table(None)]).status == "not_validated"
    assert validation.dataset_status([table("pending"), table(None)]).status == "pending"
    assert validation.dataset_status([table("valid"), table("error")]).status == "error"
    assert validation.dataset_status([table("error"), table("invalid")]).status == "invalid"
    summary = validation.dataset_status([table("valid"), table("valid"), {"format": "PDF"}])
    assert (summary.status, summary.tables) == ("valid", 2)
