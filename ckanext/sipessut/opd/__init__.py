"""OPD registry: organizations are OPDs with official codes.

- registry.py  reads and checks a registry file (format: registries/README.md)
- sync.py      plans and applies it through CKAN's actions; merge.py, export.py
- resolver.py  turns a messy name into one OPD of the region
- index.py     the OPD's bidang urusan in the search index (`vocab_urusan`)
- history.py   renames and merges (old URLs redirect: views.py)
- rules.py     the identity rules both the schema and the registry follow

Contracts other domains rely on: the organization fields named in
schemas/organization.yaml (kode_skpd, peran == "walidata", bidang_urusan ...),
`dataset_urusan(pkg_dict)`, `resolve(text)` / `Resolver`, the index field
`vocab_urusan`, and the actions below.
"""

from __future__ import annotations

from ckanext.sipessut.opd import actions, auth
from ckanext.sipessut.opd.cli import CLI_COMMANDS
from ckanext.sipessut.opd.helpers import HELPERS
from ckanext.sipessut.opd.index import INDEX_FIELD, before_dataset_index, dataset_urusan
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

__all__ = [
    "ACTIONS",
    "AUTH_FUNCTIONS",
    "BLUEPRINTS",
    "CLI_COMMANDS",
    "HELPERS",
    "INDEX_FIELD",
    "VALIDATORS",
    "Resolver",
    "before_dataset_index",
    "dataset_urusan",
    "resolve",
]
