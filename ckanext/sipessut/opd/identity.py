"""The rules an OPD's identity follows, in one place.

The organization schema's validators and the registry file's checks both call
these functions, so a value the form accepts is a value the registry accepts,
normalised the same way. Each raises RuleError with a message in the user's
language.
"""

from __future__ import annotations

import json
import re
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut import codelists
from ckanext.sipessut.formats import RuleError

# SIPD kode SKPD / unit code (Permendagri 90/2019): U.BB.U.BB.U.BB.NN.UUUU.
# Segments 1-2 are the primary urusan.bidang, 3-4 and 5-6 a second and third
# bidang of a merged OPD ("0.00" when none), 7 the SKPD's serial number and 8
# the sub-unit (0000 = the SKPD itself). See sectoral-statistics.md §3.2.
KODE_SKPD_EXAMPLE = "2.16.2.20.2.21.01.0000"
_KODE_SKPD = re.compile(r"^\d\.\d{2}\.\d\.\d{2}\.\d\.\d{2}\.\d{2}\.\d{4}$")
NO_BIDANG = "0.00"

# CKAN's own rule for organization names (URLs).
_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")

# Fields stored as JSON lists; every other OPD field is one string. Lists of
# codes may also be typed as comma-separated text; aliases may hold commas.
CODE_LIST_FIELDS = ("bidang_urusan", "kode_skpd_lama")
LIST_FIELDS = ("alias", *CODE_LIST_FIELDS)

# The role an OPD plays in Satu Data (code list `peran`): one Walidata per Pemda.
PERAN_FIELD = "peran"
WALIDATA = "walidata"

MAX_DESCRIPTION = 10_000
MAX_ALIASES = 30


def normalise_kode_skpd(value: Any) -> str:
    """The kode SKPD in its canonical form, or RuleError saying what is wrong.

    Spaces are dropped and a 3-digit last segment, which some applications
    store (7.01.0.00.0.00.16.000), gets its fourth digit back.
    """
    if not isinstance(value, str):
        raise RuleError(
            tk._("The kode SKPD {value} must be written as text (in quotes).").format(value=value)
        )
    code = re.sub(r"\s+", "", value)
    segments = code.split(".")
    if len(segments) == 8 and re.fullmatch(r"\d{3}", segments[7]):
        segments[7] = "0" + segments[7]
        code = ".".join(segments)
    if not _KODE_SKPD.match(code):
        raise RuleError(
            tk._(
                "{value} is not a kode SKPD: it has 8 segments separated by dots, "
                "U.BB.U.BB.U.BB.NN.UUUU, for example {example}."
            ).format(value=value, example=KODE_SKPD_EXAMPLE)
        )
    bidang = codelists.get("bidang_urusan")
    for position, pair in ((1, segments[0:2]), (3, segments[2:4]), (5, segments[4:6])):
        code_bidang = ".".join(pair)
        if (position == 1 or code_bidang != NO_BIDANG) and code_bidang not in bidang:
            raise RuleError(
                tk._(
                    "Segments {first} and {second} of the kode SKPD ({bidang}) are not "
                    "a bidang urusan code."
                ).format(first=position, second=position + 1, bidang=code_bidang)
            )
    return code


def primary_bidang(kode_skpd: str) -> str:
    """The bidang urusan a (normalised) kode SKPD names first, e.g. '2.16'."""
    return ".".join(kode_skpd.split(".")[0:2])


def check_name(value: str) -> str:
    if not _NAME.match(value):
        raise RuleError(
            tk._(
                "{value} cannot be an organization URL: use 2 to 100 lowercase letters, "
                "digits, - or _."
            ).format(value=value)
        )
    return value


def as_list(value: Any, split_commas: bool = False) -> list[str]:
    """A list field as a list of non-empty strings: from a list, a JSON list or
    (with split_commas, how the form sends an ordered list of codes)
    comma-separated text."""
    if value is None or value is tk.missing or value == "":
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                value = [text]
        else:
            value = text.split(",") if split_commas else [text]
    if not isinstance(value, (list, tuple)):
        value = [value]
    return [str(item).strip() for item in value if str(item).strip()]


def canonical(field: str, value: Any) -> Any:
    """The form in which two values of `field` compare equal when they mean the same."""
    if field in LIST_FIELDS:
        return as_list(value, split_commas=field in CODE_LIST_FIELDS)
    if value is None or value is tk.missing:
        return ""
    return str(value).strip()
