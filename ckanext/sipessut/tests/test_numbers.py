"""Numbers written as the visitor's language writes them (numbers.formatter): the same text
as Babel's own formatting, read back to the same number."""

from __future__ import annotations

import babel.numbers
import flask_babel
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckanext.sipessut import numbers

NUMBERS = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 1)),
)


@pytest.mark.parametrize("language", ["id", "en"])
@settings(
    max_examples=200, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=NUMBERS)
def test_a_number_is_written_as_babel_writes_it_in_the_language(app, language, value):
    with app.flask_app.test_request_context("/"), flask_babel.force_locale(language):
        written = numbers.formatter()(value)
        pattern = "#,##0" if isinstance(value, int) else "#,##0.0"
        expected = babel.numbers.format_decimal(value, format=pattern, locale=language)

    assert written == expected
    assert float(babel.numbers.parse_decimal(written, locale=language)) == pytest.approx(value)


def test_indonesian_groups_with_dots_and_decimals_with_a_comma(app):
    with app.flask_app.test_request_context("/"), flask_babel.force_locale("id"):
        write = numbers.formatter()
        assert (write(12345), write(93.5), write(None), write("teks")) == (
            "12.345",
            "93,5",
            None,
            "teks",
        )
