"""The `sipessut` plugin: declares CKAN interfaces and delegates to the domain packages.

Each domain package (metadata, validation, ...) exposes what it gives CKAN as
plain dicts: ACTIONS, AUTH_FUNCTIONS, HELPERS, VALIDATORS, and BLUEPRINTS /
CLI_COMMANDS lists. This module only merges them.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.sipessut import cli, metadata, validation

DOMAINS = (metadata, validation)


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
@tk.blanket.cli(lambda: cli.build(DOMAINS))
class SipessutPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IResourceController, inherit=True)
    p.implements(p.IFacets, inherit=True)

    # IConfigurer

    def update_config(self, config: tk.CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "sipessut")

    # IPackageController

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return validation.before_dataset_index(pkg_dict)

    def after_dataset_search(self, search_results: dict[str, Any], search_params: dict[str, Any]):
        return validation.after_dataset_search(search_results)

    # IResourceController

    def before_resource_create(self, context, resource) -> None:
        validation.before_resource_create(context, resource)

    def after_resource_create(self, context, resource) -> None:
        validation.after_resource_saved(context, resource)

    def before_resource_update(self, context, current, resource) -> None:
        validation.before_resource_update(context, current, resource)

    def after_resource_update(self, context, resource) -> None:
        validation.after_resource_saved(context, resource)

    def before_resource_delete(self, context, resource, resources) -> None:
        validation.before_resource_delete(context, resource)

    def after_resource_delete(self, context, resources) -> None:
        validation.after_resource_delete(context)

    # IFacets

    def dataset_facets(self, facets_dict, package_type):
        return validation.dataset_facets(facets_dict)

    def organization_facets(self, facets_dict, organization_type, package_type):
        return validation.dataset_facets(facets_dict)
