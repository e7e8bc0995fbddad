"""The `sipessut` plugin: declares CKAN interfaces and delegates to the domain packages.

Each domain package (metadata, ...) exposes what it gives CKAN as plain dicts:
ACTIONS, AUTH_FUNCTIONS, HELPERS, VALIDATORS, and BLUEPRINTS / CLI_COMMANDS lists.
This module only merges them.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.sipessut import metadata

DOMAINS = (metadata,)


def _merged(kind: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for domain in DOMAINS:
        for name, item in getattr(domain, kind, {}).items():
            if name in merged:
                raise RuntimeError(f"{kind} {name!r} is defined by two domains")
            merged[name] = item
    return merged


@tk.blanket.config_declarations
@tk.blanket.actions(lambda: _merged("ACTIONS"))
@tk.blanket.auth_functions(lambda: _merged("AUTH_FUNCTIONS"))
@tk.blanket.helpers(lambda: _merged("HELPERS"))
@tk.blanket.validators(lambda: _merged("VALIDATORS"))
class SipessutPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)

    # IConfigurer

    def update_config(self, config: tk.CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
