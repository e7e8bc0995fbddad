"""Frictionless validation of tabular resources against their MS-Var data dictionary."""

from __future__ import annotations

from typing import Any

from ckanext.sipessut.validation import actions, auth, model, runner, search
from ckanext.sipessut.validation.cli import validation as _cli
from ckanext.sipessut.validation.helpers import HELPERS
from ckanext.sipessut.validation.views import blueprint

ACTIONS = {
    "package_create": actions.package_create,
    "package_update": actions.package_update,
    "sipessut_validation_run": actions.run,
    "sipessut_validation_show": actions.show,
    "sipessut_validation_history": actions.history,
    "sipessut_validation_delete": actions.delete,
    "sipessut_schema_infer": actions.schema_infer,
}
AUTH_FUNCTIONS = {
    "sipessut_validation_run": auth.edit,
    "sipessut_validation_show": auth.read,
    "sipessut_validation_history": auth.read,
    "sipessut_validation_delete": auth.edit,
    "sipessut_schema_infer": auth.edit,
}
BLUEPRINTS = [blueprint]
CLI_COMMANDS = [_cli]

_DELETED = "sipessut_validation_deleted_resource"


# Hooks that plugin.py delegates to.


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    return search.before_dataset_index(pkg_dict)


def after_dataset_search(results: dict[str, Any]) -> dict[str, Any]:
    return search.after_dataset_search(results)


def dataset_facets(facets: dict[str, Any]) -> dict[str, Any]:
    return search.dataset_facets(facets)


def before_resource_create(context: dict[str, Any], resource: dict[str, Any]) -> None:
    runner.before_resource(context, resource, None)


def before_resource_update(
    context: dict[str, Any], current: dict[str, Any], resource: dict[str, Any]
) -> None:
    runner.before_resource(context, resource, current)


def after_resource_saved(context: dict[str, Any], resource: dict[str, Any]) -> None:
    runner.after_resource(context, resource)


def before_resource_delete(context: dict[str, Any], resource: dict[str, Any]) -> None:
    context[_DELETED] = resource.get("id")


def after_resource_delete(context: dict[str, Any]) -> None:
    """Reports hold previews of the data: they go with the resource."""
    resource_id = context.pop(_DELETED, None)
    if resource_id:
        from ckan import model as ckan_model

        model.delete_for([resource_id])
        ckan_model.Session.commit()


__all__ = ["ACTIONS", "AUTH_FUNCTIONS", "BLUEPRINTS", "CLI_COMMANDS", "HELPERS"]
