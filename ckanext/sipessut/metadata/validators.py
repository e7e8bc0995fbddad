"""Validators that scheming schemas name (registered through plugin.py).

Factories marked with @scheming_validator receive the field definition, so a
schema only says `validators: sipessut_codelist` and `codelist: sektor`.
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.scheming.validation import scheming_validator

from ckanext.sipessut import codelists

missing = tk.missing


def _is_empty(value: Any) -> bool:
    return value is missing or value is None or value == "" or value == []


def as_code_list(value: Any) -> list[str]:
    """Codes from a form (one string or a list) or an API call (a list or a JSON list)."""
    if _is_empty(value):
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                value = json.loads(stripped)
            except ValueError:
                return [stripped]
        else:
            return [stripped]
    if isinstance(value, (list, tuple)):
        return [str(item).strip() for item in value if str(item).strip()]
    return [str(value)]


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
        codes = list(dict.fromkeys(as_code_list(value)))
        if not multiple and len(codes) > 1:
            errors[key].append(tk._("Choose only one option"))
            return
        codelist = codelists.get(name)
        unknown = [code for code in codes if code not in codelist]
        if unknown:
            errors[key].append(
                tk._("{codes} is not in the list of {list}").format(
                    codes=", ".join(unknown), list=codelist.title(codelists.current_language())
                )
            )
            return
        data[key] = json.dumps(codes) if multiple else codes[0]

    return validator


VALIDATORS = {"sipessut_codelist": sipessut_codelist}
