"""Validators that the scheming schemas name (registered through plugin.py).

Factories marked with @scheming_validator receive the field (or, at schema
level, None) and the schema, so a schema only says `validators: sipessut_codelist`
with `codelist: sektor` on the field. Messages go through toolkit._ and name
the bad value, so an API user and a steward both see what to fix.
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckanext.scheming.validation import scheming_validator

from ckanext.sipessut import codelists
from ckanext.sipessut import settings as portal_settings
from ckanext.sipessut.metadata import data_dictionary, schema_rules

missing = tk.missing
Invalid = tk.Invalid

# Standar Data Statistik Nasional code: prefix + 5-digit concept + 2-digit
# definition + 2-digit classification, e.g. SD00001.00.01 (Peraturan BPS 4/2021).
SDS_CODE = re.compile(r"^(?P<prefix>[A-Z]{2})\d{5}\.\d{2}\.\d{2}$")
YEAR_RANGE = (1900, 2100)


def field_label(field: dict[str, Any]) -> str:
    """A schema field's label in the user's language."""
    label = field.get("label") or field["field_name"]
    if isinstance(label, dict):
        lang = codelists.current_language()
        return label.get(lang) or label.get(codelists.DEFAULT_LANGUAGE) or field["field_name"]
    return tk._(label)


def _is_empty(value: Any) -> bool:
    return value is missing or value is None or value == "" or value == []


# --- schema level --------------------------------------------------------------


def _raw_getter(data: dict) -> Any:
    """Read a dataset field from flattened navl data, rows of repeating fields included."""

    def get(name: str) -> Any:
        if (name,) in data:
            return data[(name,)]
        rows = [
            value
            for key, value in data.items()
            if len(key) == 3 and key[0] == name and not _is_empty(value)
        ]
        return rows or None

    return get


def is_public(data: dict) -> bool:
    """A dataset is published when it is neither private nor a draft."""
    private = data.get(("private",), False)
    private = tk.asbool(private) if not _is_empty(private) else False
    return not private and data.get(("state",)) != "draft"


@scheming_validator
def sipessut_metadata_rules(field: Any, schema: dict[str, Any]):
    """Schema-level `before_validators`: apply the section and field rules of schema_rules.py.

    Values of fields that do not apply are dropped, so hidden answers are never
    stored; a published dataset must have every applicable required field.
    """
    fields = schema["dataset_fields"]
    conditions = schema_rules.field_conditions(fields)

    def validator(key, data, errors, context):
        get = _raw_getter(data)
        for item in fields:
            name = item["field_name"]
            if not schema_rules.applies(name, conditions, get):
                for data_key in [k for k in data if k and k[0] == name]:
                    del data[data_key]
        if is_public(data):
            for item in schema_rules.missing_required(fields, get):
                errors.setdefault((item["field_name"],), []).append(
                    tk._("Required for a public dataset: fill it in, or keep the dataset private")
                )

    return validator


# --- code lists ------------------------------------------------------------------


@scheming_validator
def sipessut_codelist(field: dict[str, Any], schema: dict[str, Any]):
    """The value (or, with `multiple: true`, each value) must be a code of `field["codelist"]`.

    A multiple field is stored as a JSON list of codes, in the order given,
    without repeats; read it back with the `scheming_load_json` output validator.
    """
    name = field["codelist"]
    multiple = bool(field.get("multiple"))

    def validator(key, data, errors, context):
        if errors.get(key):
            return
        value = data.get(key, missing)
        if _is_empty(value):
            if multiple and value is not missing:
                data[key] = "[]"
            return
        codes = list(dict.fromkeys(schema_rules.values_of(value)))
        if not multiple and len(codes) > 1:
            errors[key].append(tk._("Choose only one option"))
            return
        codelist = codelists.get(name)
        unknown = [code for code in codes if code not in codelist]
        if unknown:
            errors[key].append(
                tk._("{codes} is not in the list of {list}").format(
                    codes=", ".join(unknown), list=field_label(field)
                )
            )
            return
        data[key] = json.dumps(codes) if multiple else codes[0]

    return validator


def sipessut_in_region(key, data, errors, context):
    """A Kemendagri code inside the portal's region (the region itself included)."""
    value = data.get(key)
    if errors.get(key) or _is_empty(value):
        return
    region = portal_settings.region_code()
    if not portal_settings.in_region(value):
        errors[key].append(
            tk._("{code} is outside this portal's region ({region})").format(
                code=value, region=region
            )
        )


# --- formats ---------------------------------------------------------------------


def sipessut_year(value: Any) -> Any:
    if _is_empty(value):
        return value
    text = str(value).strip()
    if not (text.isdigit() and len(text) == 4 and YEAR_RANGE[0] <= int(text) <= YEAR_RANGE[1]):
        raise Invalid(
            tk._("{value} is not a year: write four digits, e.g. 2024").format(value=value)
        )
    return text


def _parse_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(text)
    return datetime.date.fromisoformat(text)


def sipessut_date(value: Any) -> Any:
    """A calendar date, stored as YYYY-MM-DD."""
    if _is_empty(value):
        return value
    try:
        return _parse_date(value).isoformat()
    except ValueError:
        raise Invalid(
            tk._("{value} is not a date: write it as YYYY-MM-DD, e.g. 2025-01-31").format(
                value=value
            )
        ) from None


def period_bounds(value: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of a period written YYYY, YYYY-MM or YYYY-MM-DD."""
    if re.fullmatch(r"\d{4}", value):
        year = int(value)
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        year, month = (int(part) for part in value.split("-"))
        first = datetime.date(year, month, 1)
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        return first, following - datetime.timedelta(days=1)
    day = _parse_date(value)
    return day, day


def sipessut_period(value: Any) -> Any:
    """A year, a month or a day: 2024, 2024-06 or 2024-06-30."""
    if _is_empty(value):
        return value
    text = str(value).strip()
    try:
        first, _last = period_bounds(text)
    except ValueError:
        first = None
    if first is None or not YEAR_RANGE[0] <= first.year <= YEAR_RANGE[1]:
        raise Invalid(
            tk._(
                "{value} is not a period: write a year (2024), a month (2024-06) or a date "
                "(2024-06-30)"
            ).format(value=value)
        )
    return text


def sipessut_not_before(other: str):
    """The period or date must not start before the end of `other` (e.g. akhir after awal)."""

    def validator(key, data, errors, context):
        value = data.get(key)
        earlier = data.get(key[:-1] + (other,))
        if errors.get(key) or _is_empty(value) or _is_empty(earlier):
            return
        try:
            starts = period_bounds(str(earlier))[0]
            ends = period_bounds(str(value))[1]
        except ValueError:
            return  # the format validator of each field reports it
        if ends < starts:
            errors[key].append(
                tk._("{value} is before {earlier}").format(value=value, earlier=earlier)
            )

    return validator


def sipessut_sds_code(value: Any) -> Any:
    if _is_empty(value):
        return value
    text = str(value).strip().upper()
    match = SDS_CODE.match(text)
    if not match or match["prefix"] not in codelists.get("jenis_indikator_sds"):
        raise Invalid(
            tk._(
                "{value} is not a Standar Data Statistik code: write e.g. SD00001.00.01 "
                "(SD, SP, ST, SE or UL, five digits, two, two)"
            ).format(value=value)
        )
    return text


def sipessut_number(minimum: float | None = None, maximum: float | None = None):
    """A decimal number, written with a point or an Indonesian decimal comma."""

    def validator(value: Any) -> Any:
        if _is_empty(value):
            return value
        text = str(value).strip().replace(" ", "")
        if "," in text:  # 1.234,5 -> 1234.5
            text = text.replace(".", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise Invalid(tk._("{value} is not a number").format(value=value)) from None
        if (
            not number.is_finite()
            or (minimum is not None and number < Decimal(str(minimum)))
            or (maximum is not None and number > Decimal(str(maximum)))
        ):
            raise Invalid(
                tk._("{value} must be between {minimum} and {maximum}").format(
                    value=value,
                    minimum="-" if minimum is None else minimum,
                    maximum="-" if maximum is None else maximum,
                )
            )
        return format(number.normalize(), "f")

    return validator


def sipessut_natural_number(value: Any) -> Any:
    """A whole number, zero or more (counts of staff and the like)."""
    if _is_empty(value):
        return value
    text = str(value).strip()
    if not text.isdigit() or len(text) > 9:
        raise Invalid(tk._("{value} is not a whole number of zero or more").format(value=value))
    return str(int(text))


def sipessut_access_matches_visibility(key, data, errors, context):
    """Data that is Terbatas or Tertutup may not be public (Perpres 39/2019 Pasal 37)."""
    level = data.get(key)
    if errors.get(key) or _is_empty(level) or level == "terbuka":
        return
    private = data.get(("private",))
    if _is_empty(private) or not tk.asbool(private):
        errors[key].append(
            tk._("Data that is {level} cannot be public: set the visibility to Private").format(
                level=codelists.get("pengaturan_akses").label(level, codelists.current_language())
            )
        )


def sipessut_sampling_method_matches_selection(key, data, errors, context):
    """Methods 1-5 are for probability samples, 6-10 for non-probability ones (MS-Keg R.5.3)."""
    method = data.get(key)
    selection = data.get(key[:-1] + ("metode_pemilihan_sampel_tahap_terakhir",))
    if errors.get(key) or _is_empty(method) or _is_empty(selection):
        return
    entry = codelists.get("metode_sampling").get(str(method))
    if entry and entry.attrs.get("pemilihan") != str(selection):
        lang = codelists.current_language()
        errors[key].append(
            tk._("{method} is not a method for a {selection}").format(
                method=entry.label(lang),
                selection=codelists.get("pemilihan_sampel").label(str(selection), lang),
            )
        )


@scheming_validator
def sipessut_dataset_reference(field: dict[str, Any], schema: dict[str, Any]):
    """Links to datasets of type `field["dataset_type"]`, given by name or id, stored as ids.

    With `multiple: true` a JSON list of ids is stored.
    """
    wanted_type = field["dataset_type"]
    multiple = bool(field.get("multiple"))

    def validator(key, data, errors, context):
        value = data.get(key, missing)
        if errors.get(key) or _is_empty(value):
            if multiple and value is not missing and _is_empty(value):
                data[key] = "[]"
            return
        references = list(dict.fromkeys(schema_rules.values_of(value)))
        if not multiple and len(references) > 1:
            errors[key].append(tk._("Choose only one option"))
            return
        ids = []
        for reference in references:
            package = model.Package.get(reference)
            if (
                package is None
                or package.state == "deleted"
                or package.type != wanted_type
                or not _may_read(context, package.id)
            ):
                errors[key].append(
                    tk._("There is no {type} called {reference}").format(
                        type=_type_label(wanted_type), reference=reference
                    )
                )
                return
            ids.append(package.id)
        data[key] = json.dumps(ids) if multiple else ids[0]

    return validator


def sipessut_data_dictionary(key, data, errors, context):
    """The resource's MS-Var data dictionary, from form rows, an upload, pasted JSON or the API.

    Stored as a checked Table Schema descriptor; see metadata/data_dictionary.py.
    """
    submitted, rows = data_dictionary.take_submission(key, data)
    try:
        descriptor = data_dictionary.checked(submitted, rows)
    except data_dictionary.DictionaryError as error:
        errors[key].extend(error.messages)
        return
    if descriptor is None:
        data.pop(key, None)
        return
    data[key] = descriptor


def _may_read(context: dict[str, Any], package_id: str) -> bool:
    """Links only to what the editor can read: the answer never reveals a private dataset."""
    try:
        tk.check_access("package_show", {"user": context.get("user")}, {"id": package_id})
    except tk.NotAuthorized:
        return False
    return True


def _type_label(dataset_type: str) -> str:
    return {"kegiatan": tk._("statistical activity"), "indikator": tk._("indicator")}.get(
        dataset_type, dataset_type
    )


VALIDATORS = {
    "sipessut_metadata_rules": sipessut_metadata_rules,
    "sipessut_codelist": sipessut_codelist,
    "sipessut_in_region": sipessut_in_region,
    "sipessut_year": sipessut_year,
    "sipessut_date": sipessut_date,
    "sipessut_period": sipessut_period,
    "sipessut_not_before": sipessut_not_before,
    "sipessut_sds_code": sipessut_sds_code,
    "sipessut_number": sipessut_number,
    "sipessut_natural_number": sipessut_natural_number,
    "sipessut_access_matches_visibility": sipessut_access_matches_visibility,
    "sipessut_sampling_method_matches_selection": sipessut_sampling_method_matches_selection,
    "sipessut_dataset_reference": sipessut_dataset_reference,
    "sipessut_data_dictionary": sipessut_data_dictionary,
}
