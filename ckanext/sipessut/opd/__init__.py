"""OPD registry: organizations are OPDs with official codes.

- registry.py  reads and checks a registry file (format: registries/README.md)
- sync.py      plans and applies it through CKAN's actions; merge.py, export.py
- resolver.py  turns a messy name into one OPD of the region
- index.py     the OPD's bidang urusan in the search index (`vocab_urusan`)
- model.py     the table of renames and merges (old URLs redirect: views.py)
- identity.py  the identity rules both the schema and the registry follow
- queries.py   reads organizations and their extras in bulk, on both CKAN lines

This module is the domain's published face: the other domains and plugin.py use only
the names below.

- `walidata()`: the Walidata's organization (an OrgRecord), or None when the portal has
  none or, wrongly, several; WALIDATA / PERAN_FIELD: how an organization says it is one;
- `organization(id_or_name)` and `dataset_opd(pkg)`: an OPD (OrgRecord: id, name, title,
  kode_skpd, bidang_urusan, `value(field)` for any schema field), read in one query;
- `dataset_urusan(pkg_dict)`, the index field INDEX_FIELD (`vocab_urusan`) and the
  `before_dataset_index` hook; `resolve(text)` / `Resolver`;
- the dicts of actions, auth functions, helpers, validators, blueprints and CLI commands.
"""

from __future__ import annotations

from typing import Any

from ckanext.sipessut.opd import actions, auth, queries
from ckanext.sipessut.opd.cli import CLI_COMMANDS
from ckanext.sipessut.opd.helpers import HELPERS
from ckanext.sipessut.opd.identity import PERAN_FIELD, WALIDATA
from ckanext.sipessut.opd.index import INDEX_FIELD, before_dataset_index, dataset_urusan
from ckanext.sipessut.opd.queries import OrgRecord, organization, walidata
from ckanext.sipessut.opd.resolver import Resolver, resolve
from ckanext.sipessut.opd.validators import VALIDATORS
from ckanext.sipessut.opd.views import BLUEPRINTS

ACTIONS = {
    "sipessut_opd_sync": actions.opd_sync,
    "sipessut_opd_merge": actions.opd_merge,
    "sipessut_opd_export": actions.opd_export,
    "sipessut_opd_resolve": actions.opd_resolve,
    "sipessut_opd_history": actions.opd_history,
    "organization_update": actions.organization_update,
    "organization_list": actions.organization_list,
}
AUTH_FUNCTIONS = {
    "sipessut_opd_sync": auth.sysadmin_only,
    "sipessut_opd_merge": auth.sysadmin_only,
    "sipessut_opd_export": auth.sysadmin_only,
    "sipessut_opd_resolve": auth.public,
    "sipessut_opd_history": auth.public,
}


def dataset_opd(pkg: dict[str, Any]) -> OrgRecord | None:
    """The OPD (organization) a dataset belongs to, or None."""
    owner = pkg.get("owner_org") or (pkg.get("organization") or {}).get("id")
    return queries.organization(owner) if owner else None


__all__ = [
    "ACTIONS",
    "AUTH_FUNCTIONS",
    "BLUEPRINTS",
    "CLI_COMMANDS",
    "HELPERS",
    "INDEX_FIELD",
    "PERAN_FIELD",
    "VALIDATORS",
    "WALIDATA",
    "OrgRecord",
    "Resolver",
    "before_dataset_index",
    "dataset_opd",
    "dataset_urusan",
    "organization",
    "resolve",
    "walidata",
]
