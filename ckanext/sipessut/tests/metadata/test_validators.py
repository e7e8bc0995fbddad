"""Every format validator and every kind of condition, with good and bad values."""

from __future__ import annotations

import pytest
from ckan.plugins.toolkit import Invalid

from ckanext.sipessut import formats
from ckanext.sipessut.metadata import schema_rules
from ckanext.sipessut.metadata import validators as v


@pytest.mark.parametrize(
    ("validator", "given", "stored"),
    [
        (v.sipessut_year, "2024", "2024"),
        (v.sipessut_year, " 1990 ", "1990"),
        (v.sipessut_date, "2025-01-31", "2025-01-31"),
        (v.sipessut_period, "2024", "2024"),
        (v.sipessut_period, "2024-06", "2024-06"),
        (v.sipessut_period, "2024-06-30", "2024-06-30"),
        (v.sipessut_sds_code, "sd00001.00.01", "SD00001.00.01"),
        (v.sipessut_sds_code, "UL12345.01.02", "UL12345.01.02"),
        (v.sipessut_natural_number, "007", "7"),
        (v.sipessut_natural_number, "0", "0"),
        (v.sipessut_number(0, 1), "0,05", "0.05"),
        (v.sipessut_number(0, 1), "1", "1"),
        (v.sipessut_number(None, None), "1.234,5", "1234.5"),
    ],
)
def test_good_values_are_kept_in_one_form(validator, given, stored):
    assert validator(given) == stored


@pytest.mark.parametrize(
    ("validator", "given", "message"),
    [
        (v.sipessut_year, "24", "24 is not a year: write four digits, e.g. 2024"),
        (v.sipessut_year, "2200", "2200 is not a year: write four digits, e.g. 2024"),
        (v.sipessut_date, "2025-02-30", "2025-02-30 is not a date: write it as YYYY-MM-DD, e.g. 2025-01-31"),
        (v.sipessut_date, "31-01-2025", "31-01-2025 is not a date: write it as YYYY-MM-DD, e.g. 2025-01-31"),
        (v.sipessut_period, "2024-13", "2024-13 is not a period: write a year (2024), a month (2024-06) or a date (2024-06-30)"),
        (v.sipessut_period, "Juni 2024", "Juni 2024 is not a period: write a year (2024), a month (2024-06) or a date (2024-06-30)"),
        (v.sipessut_sds_code, "SD0001.00.01", "SD0001.00.01 is not a Standar Data Statistik code: write e.g. SD00001.00.01 (SD, SP, ST, SE or UL, five digits, two, two)"),
        (v.sipessut_sds_code, "XX00001.00.01", "XX00001.00.01 is not a Standar Data Statistik code: write e.g. SD00001.00.01 (SD, SP, ST, SE or UL, five digits, two, two)"),
        (v.sipessut_natural_number, "2,5", "2,5 is not a whole number of zero or more"),
        (v.sipessut_number(0, 1), "lima", "lima is not a number"),
        (v.sipessut_number(0, 1), "-0,1", "-0,1 must be between 0 and 1"),
        (v.sipessut_number(0, 100), "NaN", "NaN must be between 0 and 100"),
    ],
)  # fmt: skip
def test_bad_values_are_refused_with_a_message_naming_them(validator, given, message):
    with pytest.raises(Invalid) as error:
        validator(given)
    assert error.value.error == message


@pytest.mark.parametrize(
    ("check", "given", "stored"),
    [
        (formats.check_email, " dinkes@samarindakota.go.id ", "dinkes@samarindakota.go.id"),
        (formats.check_phone, "0541 741234", "0541 741234"),
        (
            formats.check_phone,
            "+62 (541) 741-234, 0812-3456-7890",
            "+62 (541) 741-234, 0812-3456-7890",
        ),
        (
            formats.check_url,
            "https://diskominfo.samarindakota.go.id",
            "https://diskominfo.samarindakota.go.id",
        ),
        (lambda value: formats.check_length(value, 5), "abcde", "abcde"),
    ],
)
def test_good_contacts_pass_the_shared_format_checks(check, given, stored):
    assert check(given) == stored


@pytest.mark.parametrize(
    ("check", "given", "message"),
    [
        (formats.check_email, "dinkes at samarinda", "dinkes at samarinda is not an email address."),
        (formats.check_phone, "12345", "12345 is not a telephone number: use digits, spaces, + ( ) - and separate several numbers with commas."),
        (formats.check_phone, "0541 741234 ext 5", "0541 741234 ext 5 is not a telephone number: use digits, spaces, + ( ) - and separate several numbers with commas."),
        (formats.check_url, "diskominfo.go.id", "diskominfo.go.id is not a web address: it starts with https:// or http://."),
        (lambda value: formats.check_length(value, 5), "abcdef", "This text is 6 characters long; the limit is 5."),
    ],
)  # fmt: skip
def test_bad_contacts_are_named_by_the_shared_format_checks(check, given, message):
    with pytest.raises(formats.RuleError) as error:
        check(given)
    assert str(error.value) == message


@pytest.mark.parametrize("validator", [v.sipessut_year, v.sipessut_date, v.sipessut_period])
def test_empty_values_are_left_to_the_completeness_rules(validator):
    assert validator("") == ""


FIELDS = [
    {"field_name": "cara", "section": {"id": "A"}, "required": True},
    {"field_name": "frekuensi", "show_if": {"dilakukan": ["2"]}, "required": True},
    {"field_name": "dilakukan", "required": True},
    {"field_name": "sampel", "section": {"title": {"id": "B"}, "show_if": {"cara": ["2"]}}, "required": True},
    {"field_name": "kerangka", "show_if": {"pemilihan": ["1"]}, "required": True},
    {"field_name": "ukuran", "section": {"id": "C"}},
    {"field_name": "satuan", "required_if": {"ukuran": "filled"}},
]  # fmt: skip


@pytest.mark.parametrize(
    ("answers", "applying", "missing"),
    [
        ({"cara": "3", "dilakukan": "1"}, {"cara", "dilakukan", "ukuran", "satuan"}, set()),
        ({"cara": "3", "dilakukan": "2"}, {"cara", "dilakukan", "frekuensi", "ukuran", "satuan"}, {"frekuensi"}),
        ({"cara": "2", "dilakukan": "1"}, {"cara", "dilakukan", "sampel", "ukuran", "satuan"}, {"sampel"}),
        ({"cara": "2", "dilakukan": "1", "pemilihan": "1", "sampel": "x"}, {"cara", "dilakukan", "sampel", "kerangka", "ukuran", "satuan"}, {"kerangka"}),
        ({"cara": '["2"]', "dilakukan": ["1"], "sampel": "x"}, {"cara", "dilakukan", "sampel", "ukuran", "satuan"}, set()),
        ({"cara": "3", "dilakukan": "1", "ukuran": "Jumlah"}, {"cara", "dilakukan", "ukuran", "satuan"}, {"satuan"}),
        ({}, {"cara", "dilakukan", "ukuran", "satuan"}, {"cara", "dilakukan"}),
    ],
)  # fmt: skip
def test_conditions_decide_what_applies_and_what_is_missing(answers, applying, missing):
    conditions = schema_rules.field_conditions(FIELDS)
    applies = {
        f["field_name"]
        for f in FIELDS
        if schema_rules.applies(f["field_name"], conditions, answers.get)
    }
    assert applies == applying
    assert {f["field_name"] for f in schema_rules.missing_required(FIELDS, answers.get)} == missing


def test_sections_group_fields_under_their_titles():
    sections = schema_rules.sections(FIELDS)
    assert [s.title for s in sections] == [{"id": "A"}, {"id": "B"}, {"id": "C"}]
    assert [f["field_name"] for f in sections[1].fields] == ["sampel", "kerangka"]
    assert sections[1].show_if == {"cara": ["2"]}
