"""Formats of free-text fields, in one place.

Email, telephone, web address and length: the OPD registry, the organization
schema and the MS-Keg contacts all check them with these functions, so a value
one accepts the others accept, normalised the same way. Each raises RuleError
with a message in the user's language; VALIDATORS wraps them for schemas.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk

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
    "sipessut_email": validator_for(check_email),
    "sipessut_phone": validator_for(check_phone),
    "sipessut_url": validator_for(check_url),
    "sipessut_max_length": sipessut_max_length,
}
