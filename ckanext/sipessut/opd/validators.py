"""Validators of the organization (OPD) schema, named in schemas/organization.yaml.

The rules themselves are in identity.py, shared with the registry file.
"""

from __future__ import annotations

import json
from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk

from ckanext.sipessut import formats
from ckanext.sipessut.opd import identity, queries
from ckanext.sipessut.opd.registry import WALIDATA

missing = tk.missing
StopOnError = tk.StopOnError


def _empty(value: Any) -> bool:
    return value is missing or value is None or value == "" or value == []


def _field(key: tuple) -> str:
    return key[-1]


def _current_group(context: dict[str, Any]):
    """The organization being updated (organization_update puts it in the context)."""
    return context.get("group")


def _rule(key, errors, check, value):
    try:
        return check(value)
    except formats.RuleError as error:
        errors[key].append(str(error))
        raise StopOnError from error


def sipessut_opd_sysadmin_only(key, data, errors, context):
    """Codes are set by the walidata's system administrators (through the
    registry or the form), never by the OPD's own editors.

    For anyone else, a value left out keeps what is stored (the form shows the
    codes read-only), and a different value is refused.
    """
    if context.get("ignore_auth") or authz.is_sysadmin(context.get("user")):
        return
    group = _current_group(context)
    field = _field(key)
    stored = group.extras.get(field) if group is not None else None
    value = data.get(key, missing)
    if _empty(value):
        if stored not in (None, ""):
            data[key] = stored
        return
    if identity.canonical(field, value) != identity.canonical(field, stored):
        errors[key].append(tk._("Only a system administrator can set or change this field."))
        raise StopOnError


def sipessut_kode_skpd(key, data, errors, context):
    """A valid kode SKPD, stored in its canonical form."""
    value = data.get(key, missing)
    if _empty(value):
        return
    data[key] = _rule(key, errors, identity.normalise_kode_skpd, value)


def sipessut_kode_skpd_unique(key, data, errors, context):
    """No two organizations share a kode SKPD (deleted ones included: a deleted
    OPD comes back with its code through the registry)."""
    value = data.get(key, missing)
    if _empty(value) or errors.get(key):
        return
    group = _current_group(context)
    others = [
        org
        for org in queries.with_extra("kode_skpd", value, states=("active", "deleted"))
        if group is None or org.id != group.id
    ]
    if others:
        org = others[0]
        errors[key].append(
            tk._("The kode SKPD {code} already belongs to {title} ({name}).").format(
                code=value, title=org.title, name=org.name
            )
            + (" " + tk._("That organization is deleted.") if org.state == "deleted" else "")
        )


def sipessut_kode_skpd_list(key, data, errors, context):
    """A list of kode SKPD (the OPD's former codes), stored as a JSON list."""
    value = data.get(key, missing)
    if value is missing:
        return
    codes = [
        _rule(key, errors, identity.normalise_kode_skpd, code)
        for code in identity.as_list(value, split_commas=True)
    ]
    data[key] = json.dumps(list(dict.fromkeys(codes)))


def sipessut_opd_code_sequence(key, data, errors, context):
    """Codes typed in order, separated by commas ("2.16, 2.20"), become a list:
    the order matters (the first bidang urusan is the primary one)."""
    value = data.get(key, missing)
    if isinstance(value, str) and not value.strip().startswith("["):
        data[key] = identity.as_list(value, split_commas=True)


def sipessut_opd_walidata_unique(key, data, errors, context):
    """A region has exactly one Walidata (Perpres 39/2019 Pasal 21 ayat 2)."""
    if data.get(key) != WALIDATA or errors.get(key):
        return
    group = _current_group(context)
    others = [
        org for org in queries.with_extra("peran", WALIDATA) if group is None or org.id != group.id
    ]
    if others:
        errors[key].append(
            tk._(
                "{title} is already the Walidata; a region has only one (Perpres 39/2019 "
                "Pasal 21 ayat 2)."
            ).format(title=others[0].title)
        )


def sipessut_opd_induk(key, data, errors, context):
    """The parent OPD, given by its kode SKPD: an existing organization, not itself."""
    value = data.get(key, missing)
    if _empty(value):
        return
    code = _rule(key, errors, identity.normalise_kode_skpd, value)
    try:
        own = identity.normalise_kode_skpd(data.get(("kode_skpd",)))
    except formats.RuleError:
        own = None
    if code == own:
        errors[key].append(tk._("An OPD cannot be its own parent."))
        return
    if not queries.with_extra("kode_skpd", code):
        errors[key].append(tk._("No organization has the kode SKPD {code}.").format(code=code))
        return
    data[key] = code


def sipessut_alias_list(key, data, errors, context):
    """At most identity.MAX_ALIASES aliases of bounded length (runs after
    scheming_multiple_text, which stores the JSON list)."""
    value = data.get(key, missing)
    if _empty(value) or errors.get(key):
        return
    aliases = identity.as_list(value)
    if len(aliases) > identity.MAX_ALIASES:
        errors[key].append(tk._("at most {limit} aliases.").format(limit=identity.MAX_ALIASES))
        return
    for alias in aliases:
        _rule(key, errors, formats.check_length, alias)


VALIDATORS = {
    "sipessut_opd_sysadmin_only": sipessut_opd_sysadmin_only,
    "sipessut_kode_skpd": sipessut_kode_skpd,
    "sipessut_kode_skpd_unique": sipessut_kode_skpd_unique,
    "sipessut_kode_skpd_list": sipessut_kode_skpd_list,
    "sipessut_opd_code_sequence": sipessut_opd_code_sequence,
    "sipessut_opd_walidata_unique": sipessut_opd_walidata_unique,
    "sipessut_opd_induk": sipessut_opd_induk,
    "sipessut_alias_list": sipessut_alias_list,
}
