"""The value readers that validation and the DataStore load cast cells with read every cell
exactly as frictionless's own reader of the field does (dates take a faster road)."""

from __future__ import annotations

import datetime

from frictionless import fields
from hypothesis import given, settings
from hypothesis import strategies as st

from ckanext.sipessut.validation.engine.fast_path import value_reader

DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=5)
# Strings shaped like dates, near-dates and other text, and values a spreadsheet gives.
CELLS = st.one_of(
    st.builds(lambda y, m, d: f"{y}-{m}-{d}", DIGITS, DIGITS, DIGITS),
    st.dates().map(datetime.date.isoformat),
    st.dates().map(lambda d: d.isoformat().replace("-", "/")),
    st.dates().map(lambda d: f" {d.isoformat()}"),
    # ISO forms fromisoformat reads and strptime("%Y-%m-%d") does not: compact, week dates.
    st.dates().map(lambda d: d.strftime("%Y%m%d")),
    st.dates().map(lambda d: "{:04d}-W{:02d}-{}".format(*d.isocalendar())),
    st.text(alphabet="0123456789-TW: ٢", max_size=14),
    st.text(max_size=12),
    st.dates(),
    st.datetimes(),
    st.integers(),
    st.none(),
)


def _read(reader, cell):
    try:
        return ("value", reader(cell))
    except Exception as error:  # frictionless's readers may raise on odd input
        return ("raised", type(error))


@settings(max_examples=400, derandomize=True, database=None, deadline=None)
@given(cell=CELLS)
def test_a_date_cell_reads_as_frictionless_reads_it(cell):
    field = fields.DateField(name="tanggal")
    assert _read(value_reader(field), cell) == _read(field.create_value_reader(), cell)


def test_a_date_in_another_format_keeps_frictionless_reader():
    field = fields.DateField(name="tanggal", format="%d/%m/%Y")
    read = value_reader(field)
    assert read("31/12/2024") == datetime.date(2024, 12, 31)
    assert read("2024-12-31") is None


def test_a_padded_iso_date_and_an_impossible_one():
    read = value_reader(fields.DateField(name="tanggal"))
    assert read("2024-02-29") == datetime.date(2024, 2, 29)
    assert read("2023-02-29") is None
    assert read("2024-1-5") == datetime.date(2024, 1, 5)  # strptime's leniency, kept
