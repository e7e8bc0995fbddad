"""The MS-Var data dictionary of a resource, read as a Frictionless Table Schema.

Contract (shared with the metadata domain, which edits it): the resource field
`data_dictionary` holds a Table Schema descriptor, as a dict or as a JSON
string. Standard properties are used as the specification says; the MS-Var
properties (konsep, definisi, klasifikasi, ...) sit on each field as extras
that validation ignores, except `klasifikasi`, whose labels explain enum codes
in reports. A field may name a portal code list instead of spelling an enum:
`"codelist": "wilayah"` or `{"name": "wilayah", "where": {"level": "kecamatan"}}`.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from ckanext.sipessut import codelists, metadata, patterns

# The resource field the metadata domain keeps the MS-Var dictionary in, and ours.
FIELD = metadata.DATA_DICTIONARY_FIELD
OPTIONS_FIELD = "validation_options"

# Table Schema properties frictionless reads; everything else on a field is MS-Var.
STANDARD_FIELD_KEYS = (
    "name",
    "title",
    "description",
    "type",
    "format",
    "constraints",
    "missingValues",
    "trueValues",
    "falseValues",
    "decimalChar",
    "groupChar",
    "bareNumber",
    "floatNumber",
    "example",
)
STANDARD_SCHEMA_KEYS = ("fields", "missingValues", "primaryKey")


class DictionaryProblem(Exception):
    """The dictionary cannot be used as it is; `code` names the problem for the report."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


@dataclass
class CheckPlan:
    """What validation checks, derived from one dictionary.

    `schema` is what frictionless receives: uniqueness (field `unique`,
    schema `primaryKey`) is taken out of it and checked by the engine on disk,
    so memory stays flat on big files. `integer_group_chars` are the thousands
    separators declared on integer fields (Table Schema v2), which the engine
    removes before frictionless (v1 semantics) reads the cell.
    """

    schema: dict[str, Any] | None
    unique_fields: list[str] = field(default_factory=list)
    primary_key: list[str] = field(default_factory=list)
    integer_group_chars: dict[str, str] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # enum code labels
    public: dict[str, bool] = field(default_factory=dict)  # bisa_diakses_umum


def load(value: Any) -> dict[str, Any] | None:
    """The dictionary as a dict, whatever the API or form gave; None when there is none."""
    if value is None or value == "" or value == {}:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as error:
            raise DictionaryProblem("dictionary-not-json", detail=str(error)) from error
    if not isinstance(value, dict):
        raise DictionaryProblem("dictionary-not-object")
    if not value.get("fields"):
        return None
    return value


def load_options(value: Any) -> dict[str, Any]:
    """Per-resource validation options (`validation_options`): a JSON object or nothing."""
    if value in (None, "", {}):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


def canonical(value: Any) -> str:
    """A stable text of a dictionary or options, for fingerprints and change detection."""
    try:
        loaded = load(value) if not isinstance(value, dict) or "fields" in value else value
    except DictionaryProblem:
        loaded = value
    return json.dumps(loaded, sort_keys=True, ensure_ascii=False, default=str)


def plan(dictionary: dict[str, Any] | None) -> CheckPlan:
    """Turn the MS-Var dictionary into what the engine checks."""
    if dictionary is None:
        return CheckPlan(schema=None)
    fields = dictionary.get("fields")
    if not isinstance(fields, list) or not all(isinstance(f, dict) for f in fields):
        raise DictionaryProblem("dictionary-fields")
    result = CheckPlan(schema=None)
    schema_fields = []
    for position, source in enumerate(fields, start=1):
        name = source.get("name")
        if not isinstance(name, str) or not name.strip():
            raise DictionaryProblem("field-without-name", position=position)
        target = {key: copy.deepcopy(source[key]) for key in STANDARD_FIELD_KEYS if key in source}
        constraints = dict(target.get("constraints") or {})
        if constraints.get("pattern") is not None:
            refused = patterns.problem(constraints["pattern"])
            if refused:
                raise DictionaryProblem(
                    "pattern-refused",
                    field=name,
                    problem=refused.code,
                    pattern=refused.pattern,
                    detail=refused.detail,
                )
        if constraints.pop("unique", False):
            result.unique_fields.append(name)
        reference = source.get("codelist")
        if reference:
            constraints["enum"] = _codelist_codes(name, reference)
        if constraints:
            target["constraints"] = constraints
        else:
            target.pop("constraints", None)
        if target.get("type") == "integer" and "groupChar" in target:
            group_char = target.pop("groupChar")
            if group_char:
                result.integer_group_chars[name] = str(group_char)
        labels = _klasifikasi_labels(source.get("klasifikasi"))
        if labels:
            result.labels[name] = labels
        result.public[name] = source.get("bisa_diakses_umum") not in (False, "false", "tidak")
        schema_fields.append(target)
    schema: dict[str, Any] = {"fields": schema_fields}
    if dictionary.get("missingValues") is not None:
        schema["missingValues"] = dictionary["missingValues"]
    primary_key = dictionary.get("primaryKey")
    if isinstance(primary_key, str):
        primary_key = [primary_key]
    if primary_key:
        names = {f["name"] for f in schema_fields}
        unknown = [key for key in primary_key if key not in names]
        if unknown:
            raise DictionaryProblem("primary-key-unknown", fields=unknown)
        result.primary_key = list(primary_key)
    _check_with_frictionless(schema)
    result.schema = schema
    return result


def _codelist_codes(field_name: str, reference: Any) -> list[str]:
    if isinstance(reference, str):
        name, where = reference, {}
    elif isinstance(reference, dict) and isinstance(reference.get("name"), str):
        name, where = reference["name"], reference.get("where") or {}
    else:
        raise DictionaryProblem("codelist-reference", field=field_name)
    try:
        codelist = codelists.get(name)
    except KeyError as error:
        raise DictionaryProblem("codelist-unknown", field=field_name, codelist=name) from error
    if not isinstance(where, dict):
        raise DictionaryProblem("codelist-reference", field=field_name)
    codes = [code.code for code in codelist.where(**where)]
    if not codes:
        raise DictionaryProblem("codelist-empty", field=field_name, codelist=name)
    return codes


def _klasifikasi_labels(value: Any) -> dict[str, str]:
    labels = {}
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item.get("kode") is not None:
                labels[str(item["kode"])] = str(item.get("nilai", ""))
    return labels


def _check_with_frictionless(schema: dict[str, Any]) -> None:
    """Frictionless's own check; its (English) note is kept and said in the reader's
    language when the report is shown (metadata.schema_error_message)."""
    from frictionless import Schema

    errors = Schema.validate_descriptor(schema).errors
    if errors:
        raise DictionaryProblem("dictionary-invalid", detail=errors[0].note)


def code_labels(dictionary: dict[str, Any] | None, lang: str) -> dict[str, dict[str, str]]:
    """For each field with allowed codes, their labels: klasifikasi, else the code list's."""
    labels: dict[str, dict[str, str]] = {}
    for source in (dictionary or {}).get("fields") or []:
        if not isinstance(source, dict) or not source.get("name"):
            continue
        found = _klasifikasi_labels(source.get("klasifikasi"))
        reference = source.get("codelist")
        if not found and reference:
            name = reference if isinstance(reference, str) else (reference or {}).get("name")
            try:
                codelist = codelists.get(str(name))
            except KeyError:
                continue
            found = {code.code: code.label(lang) for code in codelist.codes}
        if found:
            labels[str(source["name"])] = found
    return labels
