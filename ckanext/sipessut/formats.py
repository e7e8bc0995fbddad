"""Formats of free-text fields, in one place.

Email, telephone, web address and length: the OPD registry, the organization
schema and the MS-Keg contacts all check them with these functions, so a value
one accepts the others accept, normalised the same way. Each raises RuleError
with a message in the user's language; VALIDATORS wraps them for schemas.

Text that cannot be stored (`unstorable`): every text the extension stores or
hands to CKAN is refused when it holds a control character, rather than
crashing in PostgreSQL. The schemas apply it to every input at once
(`sipessut_storable_text`, a schema-level before-validator); plugin.py applies
it to the parameters of every action of ours (`refuse_unstorable`: review notes,
resolver queries, ids); the OPD registry and the data dictionary check what
they parse.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
from ckanext.scheming.validation import scheming_validator

MAX_TEXT = 500  # characters of a one-line field (name, address, ...)
MAX_EMAIL = 254
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_PHONE_CHARS = re.compile(r"^[0-9+()\-./ ]+$")


class RuleError(ValueError):
    """A value breaks a rule; str(error) is the message for the user."""


def check_email(value: str) -> str:
    value = value.strip()
    if value and (len(value) > MAX_EMAIL or not _EMAIL.match(value)):
        raise RuleError(tk._("{value} is not an email address.").format(value=value))
    return value


def check_phone(value: str) -> str:
    """One or more numbers ("(0541) 741234, 0812-3456-7890"), 6 to 15 digits each."""
    value = value.strip()
    if not value:
        return value
    for number in re.split(r"[,;]", value):
        digits = re.sub(r"\D", "", number)
        if not _PHONE_CHARS.match(number.strip() or "x") or not 6 <= len(digits) <= 15:
            raise RuleError(
                tk._(
                    "{value} is not a telephone number: use digits, spaces, + ( ) - and "
                    "separate several numbers with commas."
                ).format(value=value)
            )
    return value


def check_url(value: str) -> str:
    value = value.strip()
    if not value:
        return value
    parts = urlsplit(value)
    if (
        len(value) > MAX_TEXT
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or re.search(r"\s", value)
    ):
        raise RuleError(
            tk._("{value} is not a web address: it starts with https:// or http://.").format(
                value=value
            )
        )
    return value


def check_length(value: str, limit: int = MAX_TEXT) -> str:
    if len(value) > limit:
        raise RuleError(
            tk._("This text is {length} characters long; the limit is {limit}.").format(
                length=len(value), limit=limit
            )
        )
    return value


# What text may not hold: the control characters but tab, line feed and carriage return
# (C0, DEL and C1; PostgreSQL refuses NUL outright, in text and in JSON), and lone UTF-16
# surrogates, which are not characters and cannot be written as UTF-8.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def unstorable(value: str) -> str | None:
    """Why `value` cannot be stored (a message for the user), or None when it can."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    code = f"U+{ord(found.group()):04X}"
    before = value[: found.start()]
    if "\n" not in before and "\n" not in value[found.start() :]:
        return tk._(
            "This text contains a control character ({code}) at character {position}, which "
            "cannot be stored: remove it."
        ).format(code=code, position=found.start() + 1)
    return tk._(
        "This text contains a control character ({code}) on line {line}, character "
        "{position}, which cannot be stored: remove it."
    ).format(code=code, line=before.count("\n") + 1, position=found.start() - before.rfind("\n"))


def unstorable_in(value: Any) -> str | None:
    """The first reason why a value (text, or a list or object holding texts and keys,
    such as a data dictionary) cannot be stored; None when all of it can."""
    for text in _texts(value):
        message = unstorable(text)
        if message:
            return message
    return None


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def refuse_unstorable(data_dict: Any) -> None:
    """An action's parameters: a 409 naming each one that holds text that cannot be stored."""
    if not isinstance(data_dict, dict):
        return
    errors = {}
    for key, value in data_dict.items():
        message = unstorable_in(key) or unstorable_in(value)
        if message:
            errors[str(key)] = [message]
    if errors:
        raise tk.ValidationError(errors)


@scheming_validator
def sipessut_storable_text(field: Any, schema: dict[str, Any]):
    """Schema-level `before_validators`: refuse every input holding text that cannot be
    stored, each under the field it belongs to, before any field's own validators run.

    Every input is looked at, also those no field declares (CKAN keeps them as extras)
    and the form's helper inputs of a field (`data_dictionary-0-title`,
    `data_dictionary_json`), which are named after it and reported as it.
    """
    fields = [
        f for key in ("dataset_fields", "resource_fields", "fields") for f in schema.get(key) or []
    ]
    fields += [sub for f in fields for sub in f.get("repeating_subfields") or []]
    names = sorted({str(f["field_name"]) for f in fields}, key=len, reverse=True)

    def owner(name: Any) -> Any:
        if not isinstance(name, str) or name in names:
            return name
        for known in names:
            if name.startswith(known) and name[len(known)] in "-_":
                return known
        return name

    def validator(key, data, errors, context):
        def refuse(field_key: tuple, message: str) -> None:
            if message not in errors.setdefault(field_key, []):
                errors[field_key].append(message)

        for data_key, value in list(data.items()):
            prefix, name = data_key[:-1], data_key[-1]
            if name == "__extras" and isinstance(value, dict):
                # inputs no field declares, gathered by navl: each is reported as itself
                for extra, item in list(value.items()):
                    message = unstorable_in(extra) or unstorable_in(item)
                    if message:
                        refuse((*prefix, owner(extra)), message)
                        del value[extra]
                        value[_without_unstorable(extra)] = _without_unstorable(item)
                continue
            message = unstorable_in(list(data_key)) or unstorable_in(value)
            if message:
                refuse((*prefix, owner(name)), message)
                # The fields' own validators still run, and some ask the database with
                # the value (an OPD, a linked dataset, a unique name): they get it without
                # the characters PostgreSQL would refuse. The save is refused all the same.
                del data[data_key]
                data[_without_unstorable(data_key)] = _without_unstorable(value)

    return validator


def _without_unstorable(value: Any) -> Any:
    if isinstance(value, str):
        return _UNSTORABLE.sub("", value)
    if isinstance(value, dict):
        return {_without_unstorable(k): _without_unstorable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_without_unstorable(item) for item in value)
    return value


def _empty(value: Any) -> bool:
    return value is tk.missing or value is None or value == ""


def validator_for(check: Callable[[str], str]):
    """A navl validator that normalises the value with `check` or reports its message."""

    def validator(key, data, errors, context):
        value = data.get(key, tk.missing)
        if _empty(value) or errors.get(key):
            return
        try:
            data[key] = check(str(value))
        except RuleError as error:
            errors[key].append(str(error))

    validator.__name__ = check.__name__
    return validator


def sipessut_max_length(limit: int):
    """`validators: sipessut_max_length(500)` in a schema."""
    return validator_for(lambda value: check_length(value, int(limit)))


VALIDATORS = {
    "sipessut_storable_text": sipessut_storable_text,
    "sipessut_email": validator_for(check_email),
    "sipessut_phone": validator_for(check_phone),
    "sipessut_url": validator_for(check_url),
    "sipessut_max_length": sipessut_max_length,
}
