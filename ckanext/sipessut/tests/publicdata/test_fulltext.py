"""A loaded table's full-text search column is what CKAN's own trigger makes of each row.

The load fills `_full_text` with a trigger of its own (twice as fast a COPY). Here every
row of a generated table is recomputed by CKAN's `populate_full_text_trigger`, which the
table has after the load (setting `_full_text` to NULL makes it compute the row again),
and the two must be the same, for every column type the DataStore load writes."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckanext.sipessut.publicdata import loader
from ckanext.sipessut.publicdata.columns import LoadColumn
from ckanext.sipessut.tests.publicdata.conftest import drop_datastore_tables

pytestmark = pytest.mark.usefixtures("clean_datastore")

TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\0"))
# Each column type the load writes (columns.PG_TYPES), with values of that type; the
# names are awkward on purpose (quotes, a dollar-quote, spaces).
COLUMNS = {
    'nama "wilayah"': ("text", TEXT),
    "jumlah $$ orang": ("int8", st.integers(min_value=-(2**63), max_value=2**63 - 1)),
    "tahun": ("int4", st.integers(min_value=1, max_value=9999)),
    "persentase": ("numeric", st.decimals(allow_nan=False, allow_infinity=False, places=4)),
    "aktif": ("bool", st.booleans()),
    "tanggal": ("date", st.dates()),
    "waktu": ("timestamp", st.datetimes()),
    "jam": ("time", st.times()),
    "rincian": (
        "json",
        st.dictionaries(st.text(max_size=4), st.one_of(st.integers(), TEXT, st.booleans())),
    ),
}
ROW = st.tuples(*(st.none() | values for _, values in COLUMNS.values())).map(list)
# A row with nothing in it ends each table: CKAN leaves its _full_text NULL.
TABLE = st.lists(ROW, min_size=1, max_size=8).map(lambda rows: [*rows, [None] * len(COLUMNS)])


@settings(
    max_examples=15,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=TABLE)
def test_each_row_has_the_full_text_ckans_trigger_gives_it(rows):
    resource_id = str(uuid.uuid4())
    columns = [
        LoadColumn(id=name, pg_type=pg_type, source_type="string", spec={})
        for name, (pg_type, _) in COLUMNS.items()
    ]
    loader.Load(resource_id, columns, []).run(iter(rows))

    table = loader.ident(resource_id)
    query = sa.text(f'SELECT "_id", "_full_text"::text FROM {table} ORDER BY "_id"')
    with loader.write_engine().begin() as connection:
        ours = connection.execute(query).all()
        connection.execute(sa.text(f'UPDATE {table} SET "_full_text" = NULL'))
        ckans = connection.execute(query).all()
    drop_datastore_tables()

    assert len(ours) == len(rows)
    assert ours == ckans
