"""The `sipessut` plugin: declares CKAN interfaces and delegates to the domain packages.

Each domain package (metadata, opd, review, ...) exposes what it gives CKAN as
plain dicts: ACTIONS, AUTH_FUNCTIONS, HELPERS, VALIDATORS, and BLUEPRINTS /
CLI_COMMANDS lists (or functions returning them, for what depends on the config).
This module only merges them, and hands CKAN's hooks to the domain functions that
handle them.
"""

from __future__ import annotations

import functools
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultTranslation

from ckanext.sipessut import (
    cli,
    formats,
    interop,
    metadata,
    monitoring,
    opd,
    portal,
    publicdata,
    review,
    validation,
)

# In this order: a core action chained by several domains runs the first
# domain's wrapper outermost (the review decides visibility before validation
# looks at the resources).
DOMAINS = (formats, metadata, opd, review, validation, publicdata, monitoring, portal, interop)


def _chain(outer: Any, inner: Any) -> Any:
    """Two chained actions (or auth functions) of core's `name` as one: outer(inner(core))."""

    @functools.wraps(outer)
    def chained(up, *args, **kwargs):
        return outer(functools.partial(inner, up), *args, **kwargs)

    return chained


def _is_chained(item: Any) -> bool:
    return bool(
        getattr(item, "chained_action", False) or getattr(item, "chained_auth_function", False)
    )


def _merged(kind: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for domain in DOMAINS:
        items = getattr(domain, kind, {})
        for name, item in (items() if callable(items) else items).items():
            if name not in merged:
                merged[name] = item
            elif _is_chained(merged[name]) and _is_chained(item):
                merged[name] = _chain(merged[name], item)
            else:
                raise RuntimeError(f"{kind} {name!r} is defined by two domains")
    return merged


def _refusing_unstorable_text(action: Any) -> Any:
    """One of our own actions, refusing parameters with text that cannot be stored
    (formats.refuse_unstorable: a 409 naming the parameter). CKAN's actions that we
    chain are guarded by the schemas instead (sipessut_storable_text)."""

    @functools.wraps(action)
    def guarded(context, data_dict=None):
        formats.refuse_unstorable(data_dict)
        return action(context, data_dict)

    return guarded


def _actions() -> dict[str, Any]:
    return {
        name: action if _is_chained(action) else _refusing_unstorable_text(action)
        for name, action in _merged("ACTIONS").items()
    }


def _listed(kind: str) -> list[Any]:
    return [item for domain in DOMAINS for item in getattr(domain, kind, [])]


@tk.blanket.config_declarations
@tk.blanket.actions(_actions)
@tk.blanket.auth_functions(lambda: _merged("AUTH_FUNCTIONS"))
@tk.blanket.helpers(lambda: _merged("HELPERS"))
@tk.blanket.validators(lambda: _merged("VALIDATORS"))
@tk.blanket.blueprints(lambda: _listed("BLUEPRINTS"))
@tk.blanket.cli(lambda: [cli.command_group(DOMAINS)])
class SipessutPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IPermissionLabels)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IResourceController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.ISignal)
    p.implements(p.IResourceView, inherit=True)

    # IConfigurer

    def update_config(self, config: tk.CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "sipessut")
        tk.add_resource("publicdata/assets", "sipessut-publicdata")
        portal.update_config(config)

    # ISignal

    def get_signal_subscriptions(self) -> dict[Any, list[Any]]:
        # Each domain's `signal_subscriptions()`: one signal may have several listeners
        # (a finished validation loads the DataStore and may record a release).
        merged: dict[Any, list[Any]] = {}
        for domain in DOMAINS:
            subscriptions = getattr(domain, "signal_subscriptions", None)
            for signal, listeners in (subscriptions() if subscriptions else {}).items():
                merged.setdefault(signal, []).extend(listeners)
        return merged

    # IResourceView: the `sipessut_chart` view of a loaded table

    def info(self) -> dict[str, Any]:
        return publicdata.chart_view_info()

    def can_view(self, data_dict: dict[str, Any]) -> bool:
        return publicdata.chart_view_can_view(data_dict)

    def setup_template_variables(self, context, data_dict: dict[str, Any]) -> dict[str, Any]:
        return publicdata.chart_view_variables(context, data_dict)

    def view_template(self, context, data_dict: dict[str, Any]) -> str:
        return publicdata.chart_view_template(context, data_dict)

    def form_template(self, context, data_dict: dict[str, Any]) -> str:
        return publicdata.chart_view_form_template(context, data_dict)

    # IPermissionLabels

    def get_dataset_labels(self, dataset_obj):
        return review.dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj):
        return review.user_dataset_labels(user_obj)

    # IPackageController

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        # the OPD's urusan first: a dataset's own `urusan` field overrides it
        pkg_dict = opd.before_dataset_index(pkg_dict)
        pkg_dict = validation.before_dataset_index(pkg_dict)
        # the portal reads the data dictionaries before metadata turns objects into text
        pkg_dict = portal.before_dataset_index(pkg_dict)
        pkg_dict = monitoring.before_dataset_index(pkg_dict)
        return metadata.before_dataset_index(pkg_dict)

    def after_dataset_search(
        self, search_results: dict[str, Any], search_params: dict[str, Any]
    ) -> dict[str, Any]:
        metadata.label_facet_items(search_results.get("search_facets", {}))
        portal.label_facet_items(search_results.get("search_facets", {}))
        return validation.after_dataset_search(search_results)

    def after_dataset_update(self, context, pkg_dict):
        review.after_dataset_update(context, pkg_dict)
        publicdata.after_dataset_update(context, pkg_dict)

    def after_dataset_delete(self, context, pkg_dict):
        portal.forget_home_page()

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
        publicdata.before_resource_delete(context, resource)

    def after_resource_delete(self, context, resources) -> None:
        validation.after_resource_delete(context)
        publicdata.after_resource_delete(context)

    # IFacets

    def dataset_facets(self, facets_dict: dict[str, Any], package_type: str) -> dict[str, Any]:
        return _with_our_facets(facets_dict)

    def group_facets(
        self, facets_dict: dict[str, Any], group_type: str, package_type: str | None
    ) -> dict[str, Any]:
        return _with_our_facets(facets_dict)

    def organization_facets(
        self, facets_dict: dict[str, Any], organization_type: str, package_type: str | None
    ) -> dict[str, Any]:
        return _with_our_facets(facets_dict)


def _with_our_facets(facets_dict: dict[str, Any]) -> dict[str, Any]:
    """The OPD first, then the sectoral-statistics facets, then CKAN's others."""
    ordered = {"organization": tk._("Data producer (OPD)")}
    ordered.update(metadata.facet_titles())
    validation.dataset_facets(ordered)
    portal.dataset_facets(ordered)
    ordered.update(
        {k: v for k, v in facets_dict.items() if k not in ordered and k not in portal.HIDDEN_FACETS}
    )
    facets_dict.clear()
    facets_dict.update(ordered)
    return facets_dict
