"""MS-Var data dictionaries: a Frictionless Table Schema on each tabular resource.

Stored in the resource field `data_dictionary` as a Table Schema descriptor.
MS-Var properties sit where Table Schema has a place for them and as extra
properties of each field otherwise:

    MS-Var                      Table Schema field
    Nama Variabel               title          (the column is `name`)
    Definisi                    description
    Tipe Data                   type (+ decimalChar "," / groupChar "." for Indonesian numbers)
    Klasifikasi Isian           constraints.enum (codes) + klasifikasi [{kode, nilai}] (labels)
                                or codelist: "wilayah" | {name, where: {level: kecamatan}}
    Aturan Validasi             constraints (required, unique, minimum, maximum, pattern)
    Alias, Konsep, Referensi Pemilihan, Referensi Waktu, Kalimat Pertanyaan, Ukuran,
    Satuan, Dapat Diakses Umum  alias, konsep, referensi_pemilihan, referensi_waktu,
                                kalimat_pertanyaan, ukuran, satuan, bisa_diakses_umum

The resource form edits it as rows (`data_dictionary-N-<property>`); a Table
Schema JSON can also be uploaded or pasted, or sent as an object through the API.
Properties the form does not show travel in a hidden `extra` column, so editing
in the form never loses what an uploaded schema said.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import ckan.plugins.toolkit as tk
from frictionless import Schema

from ckanext.sipessut import codelists
from ckanext.sipessut.metadata.schema_rules import values_of

FIELD = "data_dictionary"
UPLOAD = "data_dictionary_upload"
PASTED = "data_dictionary_json"
SCHEMA_EXTRA = "data_dictionary_schema_extra"
ROW_PREFIX = FIELD + "-"

MAX_BYTES = 1_000_000  # of an uploaded or pasted Table Schema
MAX_FIELDS = 500
MAX_NAME = 100

# Text properties of a row, kept as they are.
TEXT_PROPERTIES = (
    "title",
    "alias",
    "description",
    "referensi_waktu",
    "kalimat_pertanyaan",
    "ukuran",
    "satuan",
)
# Properties that MS-Var lists (one item a line in the form).
LIST_PROPERTIES = ("konsep", "referensi_pemilihan")
NUMERIC_TYPES = ("integer", "number", "year")
DATE_TYPES = ("date", "datetime")
# Everything a form row edits; the rest of a field goes to its hidden `extra`.
ROW_PROPERTIES = frozenset(
    {"name", "type", "constraints", "klasifikasi", "codelist", "decimalChar", "groupChar",
     "bisa_diakses_umum", *TEXT_PROPERTIES, *LIST_PROPERTIES}
)  # fmt: skip
CONSTRAINTS_IN_ROW = ("required", "unique", "minimum", "maximum", "pattern", "enum")


class DictionaryError(Exception):
    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


# --- form rows <-> Table Schema ---------------------------------------------------------


def rows_from_schema(descriptor: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The form's rows for a stored dictionary."""
    rows = []
    for field in (descriptor or {}).get("fields", []):
        constraints = field.get("constraints", {})
        codelist = field.get("codelist")
        if isinstance(codelist, dict):
            level = codelist.get("where", {}).get("level")
            codelist = f"{codelist.get('name')}:{level}" if level else codelist.get("name")
        row = {
            "name": field.get("name", ""),
            "type": field.get("type", "string"),
            **{prop: field.get(prop, "") for prop in TEXT_PROPERTIES},
            **{prop: "\n".join(_as_list(field.get(prop))) for prop in LIST_PROPERTIES},
            "klasifikasi": "\n".join(
                f"{item.get('kode', '')} = {item.get('nilai', '')}"
                for item in field.get("klasifikasi", [])
            ),
            "codelist": codelist or "",
            "required": bool(constraints.get("required")),
            "unique": bool(constraints.get("unique")),
            "minimum": _text(constraints.get("minimum")),
            "maximum": _text(constraints.get("maximum")),
            "pattern": constraints.get("pattern", ""),
            "decimal_comma": field.get("decimalChar") == ",",
            "bisa_diakses_umum": {True: "1", False: "2"}.get(field.get("bisa_diakses_umum"), ""),
        }
        extra = {k: v for k, v in field.items() if k not in ROW_PROPERTIES}
        other_constraints = {k: v for k, v in constraints.items() if k not in CONSTRAINTS_IN_ROW}
        if other_constraints:
            extra["constraints"] = other_constraints
        if "enum" in constraints and not field.get("klasifikasi"):
            row["klasifikasi"] = "\n".join(str(code) for code in constraints["enum"])
        row["extra"] = json.dumps(extra) if extra else ""
        rows.append(row)
    return rows


def schema_from_rows(rows: list[dict[str, Any]], schema_extra: str = "") -> dict[str, Any]:
    """A Table Schema descriptor from the form's rows; empty rows are skipped."""
    fields = []
    for row in rows:
        if not any(_text(value) for key, value in row.items() if key not in ("type", "extra")):
            continue
        field: dict[str, Any] = _json_object(row.get("extra"))
        constraints = field.pop("constraints", {})
        field.update({"name": _text(row.get("name")), "type": _text(row.get("type")) or "string"})
        for prop in TEXT_PROPERTIES:
            if _text(row.get(prop)):
                field[prop] = _text(row[prop])
        for prop in LIST_PROPERTIES:
            items = [line.strip() for line in _text(row.get(prop)).splitlines() if line.strip()]
            if items:
                field[prop] = items
        klasifikasi = _klasifikasi(_text(row.get("klasifikasi")))
        if klasifikasi:
            field["klasifikasi"] = klasifikasi
            constraints["enum"] = [item["kode"] for item in klasifikasi]
        codelist = _text(row.get("codelist"))
        if codelist:
            name, _, level = codelist.partition(":")
            field["codelist"] = {"name": name, "where": {"level": level}} if level else name
        for flag in ("required", "unique"):
            if tk.asbool(row.get(flag) or False):
                constraints[flag] = True
        for bound in ("minimum", "maximum"):
            if _text(row.get(bound)):
                constraints[bound] = _bound(_text(row[bound]), field["type"])
        if _text(row.get("pattern")):
            constraints["pattern"] = _text(row["pattern"])
        if tk.asbool(row.get("decimal_comma") or False):
            field.update(decimalChar=",", groupChar=".")
        if row.get("bisa_diakses_umum") in ("1", "2"):
            field["bisa_diakses_umum"] = row["bisa_diakses_umum"] == "1"
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {**_json_object(schema_extra), "fields": fields}


def schema_extra_of(descriptor: Mapping[str, Any] | None) -> str:
    """Schema-level properties (primaryKey, missingValues...) for the form's hidden input."""
    extra = {k: v for k, v in (descriptor or {}).items() if k != "fields"}
    return json.dumps(extra) if extra else ""


def _klasifikasi(text: str) -> list[dict[str, str]]:
    """'1 = SD' per line -> [{"kode": "1", "nilai": "SD"}]; a line without '=' is a bare code."""
    items = []
    for line in text.splitlines():
        if not line.strip():
            continue
        code, _, label = line.partition("=")
        items.append({"kode": code.strip(), "nilai": label.strip() or code.strip()})
    return items


def _bound(text: str, field_type: str) -> Any:
    if field_type in NUMERIC_TYPES:
        number = text.replace(",", ".") if text.count(",") == 1 and "." not in text else text
        try:
            value = float(number)
        except ValueError:
            return text  # reported by check()
        return int(value) if field_type != "number" and value.is_integer() else value
    return text


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def _text(value: Any) -> str:
    if value is None or value is tk.missing:
        return ""
    return str(value).strip()


def _json_object(text: Any) -> dict[str, Any]:
    if isinstance(text, dict):
        return dict(text)
    if not _text(text):
        return {}
    try:
        parsed = json.loads(text)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


# --- checks ------------------------------------------------------------------------------


def check(descriptor: Any) -> list[str]:
    """What is wrong with a dictionary, as messages a steward can act on (empty when fine)."""
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("fields"), list):
        return [tk._("A data dictionary is a Table Schema: an object with a list of fields")]
    fields = descriptor["fields"]
    if len(fields) > MAX_FIELDS:
        return [tk._("Too many variables: {count}, at most {limit}").format(
            count=len(fields), limit=MAX_FIELDS)]  # fmt: skip
    messages: list[str] = []
    seen: set[str] = set()
    for position, field in enumerate(fields, start=1):
        messages += [
            tk._("Variable {position} ({name}): {problem}").format(
                position=position, name=field.get("name") or "-", problem=problem
            )
            for problem in _field_problems(field, seen)
        ]
    names = {f.get("name") for f in fields}
    for key in values_of(descriptor.get("primaryKey")):
        if key not in names:
            messages.append(tk._("The primary key names {name}, which is not a variable").format(
                name=key))  # fmt: skip
    if not messages:
        report = Schema.validate_descriptor(descriptor)
        messages += [note for (note,) in report.flatten(["note"])]
    return messages


def _field_problems(field: Any, seen: set[str]) -> list[str]:
    if not isinstance(field, dict):
        return [tk._("not an object")]
    problems = []
    name = field.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(tk._("the column name is missing"))
    elif len(name) > MAX_NAME:
        problems.append(tk._("the column name is longer than {limit} characters").format(
            limit=MAX_NAME))  # fmt: skip
    elif name in seen:
        problems.append(tk._("the column name {name} appears twice").format(name=name))
    else:
        seen.add(name)
    field_type = field.get("type", "string")
    constraints = field.get("constraints") or {}
    bounds = {}
    for bound in ("minimum", "maximum"):
        if bound not in constraints:
            continue
        value = constraints[bound]
        if field_type in NUMERIC_TYPES and not isinstance(value, (int, float)):
            problems.append(tk._("the {bound} {value} is not a number").format(
                bound=_bound_label(bound), value=value))  # fmt: skip
        else:
            bounds[bound] = value
    if (
        len(bounds) == 2
        and _comparable(bounds["minimum"], bounds["maximum"])
        and (bounds["minimum"] > bounds["maximum"])
    ):
        problems.append(tk._("the minimum is greater than the maximum"))
    if "pattern" in constraints:
        try:
            re.compile(str(constraints["pattern"]))
        except re.error:
            problems.append(tk._("the pattern {pattern} is not a valid regular expression").format(
                pattern=constraints["pattern"]))  # fmt: skip
    enum = constraints.get("enum")
    if enum is not None and len({str(code) for code in enum}) != len(enum):
        problems.append(tk._("a code of the classification appears twice"))
    if field.get("codelist"):
        problems += _codelist_problems(field["codelist"])
    return problems


def _comparable(first: Any, second: Any) -> bool:
    """Both numbers, or both strings (ISO dates compare as strings)."""
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (first, second))
    return numbers or all(isinstance(v, str) for v in (first, second))


def _bound_label(bound: str) -> str:
    return tk._("minimum") if bound == "minimum" else tk._("maximum")


def _codelist_problems(reference: Any) -> list[str]:
    name = reference.get("name") if isinstance(reference, dict) else reference
    try:
        codelist = codelists.get(str(name))
    except KeyError:
        return [tk._("there is no code list named {name}").format(name=name)]
    where = reference.get("where", {}) if isinstance(reference, dict) else {}
    if where and not codelist.where(**where):
        return [tk._("no code of {name} matches {where}").format(name=name, where=where)]
    return []


# --- reading what was submitted -------------------------------------------------------------


def from_submission(resource: Mapping[Any, Any], rows: list[dict[str, Any]]) -> Any:
    """The dictionary a resource form or API call gave: upload, pasted JSON, rows or an object.

    Returns a descriptor, None when nothing was given, or raises DictionaryError.
    """
    upload = resource.get(UPLOAD)
    if upload is not None and getattr(upload, "filename", None):
        return _parse_json(upload.stream.read(MAX_BYTES + 1))
    pasted = _text(resource.get(PASTED))
    if pasted:
        return _parse_json(pasted.encode("utf-8"))
    if rows:
        descriptor = schema_from_rows(rows, _text(resource.get(SCHEMA_EXTRA)))
        return descriptor if descriptor["fields"] else None
    given = resource.get(FIELD)
    if given is None or given is tk.missing or given == "":
        return None
    if isinstance(given, str):
        return _parse_json(given.encode("utf-8"))
    return given


def _parse_json(raw: bytes) -> Any:
    if len(raw) > MAX_BYTES:
        raise DictionaryError([tk._("The data dictionary file is larger than {limit} MB").format(
            limit=MAX_BYTES // 1_000_000)])  # fmt: skip
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise DictionaryError(
            [tk._("The data dictionary is not valid JSON: {error}").format(error=error)]
        ) from None


def take_submission(key: tuple, data: dict) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Collect, and remove from navl's flattened `data`, what a resource form sent for `key`.

    The form's helper inputs (rows, upload, pasted JSON) are not fields of the
    schema: navl holds them either beside the field or in the resource's
    `__extras`, depending on how far validation has got. Returns the submitted
    values by name and the rows in their order.
    """
    prefix = key[:-1]
    helper_names = (UPLOAD, PASTED, SCHEMA_EXTRA)

    def is_helper(name: Any) -> bool:
        return isinstance(name, str) and (name.startswith(ROW_PREFIX) or name in helper_names)

    submitted: dict[str, Any] = {FIELD: data.get(key)}
    for data_key in [k for k in data if len(k) == len(key) and k[:-1] == prefix]:
        if is_helper(data_key[-1]):
            submitted[data_key[-1]] = data.pop(data_key)
    extras = data.get(prefix + ("__extras",))
    if isinstance(extras, dict):
        for name in [n for n in extras if is_helper(n)]:
            submitted[name] = extras.pop(name)
    return submitted, rows_from_flat(submitted)


def rows_from_flat(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Rows from form inputs named data_dictionary-N-<property>, in the order of N."""
    rows: dict[int, dict[str, Any]] = {}
    for name, value in values.items():
        match = re.fullmatch(re.escape(ROW_PREFIX) + r"(\d+)-(\w+)", str(name))
        if match:
            rows.setdefault(int(match[1]), {})[match[2]] = value
    return [rows[index] for index in sorted(rows)]


def describe_rules(field: Mapping[str, Any]) -> str:
    """Aturan validasi and klasifikasi of a field in words, for the resource page."""
    constraints = field.get("constraints") or {}
    parts = []
    if constraints.get("required"):
        parts.append(tk._("must be filled"))
    if constraints.get("unique"):
        parts.append(tk._("unique"))
    if "minimum" in constraints:
        parts.append(tk._("at least {value}").format(value=constraints["minimum"]))
    if "maximum" in constraints:
        parts.append(tk._("at most {value}").format(value=constraints["maximum"]))
    if constraints.get("pattern"):
        parts.append(tk._("pattern {pattern}").format(pattern=constraints["pattern"]))
    if field.get("decimalChar") == ",":
        parts.append(tk._("decimal comma"))
    if field.get("klasifikasi"):
        parts.append(
            ", ".join(f"{item['kode']} = {item['nilai']}" for item in field["klasifikasi"])
        )
    elif constraints.get("enum"):
        parts.append(", ".join(str(code) for code in constraints["enum"]))
    reference = field.get("codelist")
    if reference:
        name = reference.get("name") if isinstance(reference, dict) else reference
        level = reference.get("where", {}).get("level") if isinstance(reference, dict) else None
        try:
            title = codelists.get(name).title(codelists.current_language())
        except KeyError:
            title = name
        parts.append(tk._("codes of {list}").format(list=f"{title} ({level})" if level else title))
    return "; ".join(parts)
