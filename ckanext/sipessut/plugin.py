"""The `sipessut` plugin: declares CKAN interfaces and delegates to the domain packages.

Each domain package (metadata, review, ...) exposes what it gives CKAN as plain dicts:
ACTIONS, AUTH_FUNCTIONS, HELPERS, VALIDATORS, and BLUEPRINTS / CLI_COMMANDS lists.
This module only merges them.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.sipessut import metadata, review

DOMAINS = (metadata, review)


def _merged(kind: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for domain in DOMAINS:
        for name, item in getattr(domain, kind, {}).items():
            if name in merged:
                raise RuntimeError(f"{kind} {name!r} is defined by two domains")
            merged[name] = item
    return merged


def _listed(kind: str) -> list[Any]:
    return [item for domain in DOMAINS for item in getattr(domain, kind, [])]


@tk.blanket.config_declarations
@tk.blanket.actions(lambda: _merged("ACTIONS"))
@tk.blanket.auth_functions(lambda: _merged("AUTH_FUNCTIONS"))
@tk.blanket.helpers(lambda: _merged("HELPERS"))
@tk.blanket.validators(lambda: _merged("VALIDATORS"))
@tk.blanket.blueprints(lambda: _listed("BLUEPRINTS"))
class SipessutPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IPermissionLabels)
    p.implements(p.IPackageController, inherit=True)

    # IConfigurer

    def update_config(self, config: tk.CKANConfig) -> None:
        tk.add_template_directory(config, "templates")

    # IPermissionLabels

    def get_dataset_labels(self, dataset_obj):
        return review.dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj):
        return review.user_dataset_labels(user_obj)

    # IPackageController

    def after_dataset_update(self, context, pkg_dict):
        review.after_dataset_update(context, pkg_dict)
