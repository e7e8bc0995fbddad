"""Frictionless validation of tabular resources against their MS-Var data dictionary.

This module is the domain's published face: the other domains and plugin.py use only
the names below.

- the status vocabulary (status.py): VALID, INVALID, ERROR, PENDING, NOT_VALIDATED and
  NO_TABLES; SEVERITY (worst first); `status_of(resource)`, `dataset_status(resources)`,
  `label(status)` and `dataset_label(status)` in the user's language;
  `dataset_status_column(package_id)`, the same rule in SQL for lists paged in the database;
  `resource_status_column()` and `tabular_clause()`: a table's status and "is a table" in
  SQL on CKAN's resource rows, for counting tables in the database;
- `is_tabular(resource)` and `resource_format(resource)`: what counts as a table
  (`ckanext.sipessut.validation.formats`);
- `read_table(resource)` (a context manager) and `read_table_path(path, ...)`: the
  table's rows as validation reads them (header, title rows and notes, sheet, encoding,
  Indonesian numbers), cast by the dictionary's field types, with `.columns` (name, type,
  MS-Var spec, `public` from bisa_diakses_umum) and `.rows` (table.py);
  `TABLE_PROBLEMS`, the exceptions they raise for a file or dictionary that cannot be
  read (each with `.code` and `.params`), and `problem_message(code, params)`;
- `dictionary_of(resource)`: the MS-Var dictionary as a dict (or None);
  `code_labels(dictionary, lang)`: the labels of each coded field's codes;
- `resource_file(resource)`: a context manager giving the resource's file as a local path
  (its stored upload on either CKAN line, or its link fetched within the size and time
  limits, never from a private address); `FileProblem` when it cannot be had;
- `finished_signal`: a CKAN signal (blinker) sent once a run's result is the resource's
  status, in the request or the job: sender = resource id, keyword args `status` and
  `run_id`; subscribe with ISignal (the validation knows nothing of its subscribers);
- the CKAN hooks plugin.py hands over, and the dicts of actions, auth functions,
  helpers, validators (`sipessut_validation_options`, which the scheming schemas use for
  the resource field `validation_options`), blueprints and CLI commands it merges.
"""

from __future__ import annotations

from typing import Any

from ckanext.sipessut.validation import actions, auth, check_plan, messages, runner, search
from ckanext.sipessut.validation import table as _table
from ckanext.sipessut.validation.cli import validation as _cli
from ckanext.sipessut.validation.helpers import HELPERS
from ckanext.sipessut.validation.readers import FileProblem
from ckanext.sipessut.validation.status import (
    DATASET_STATUSES,
    ERROR,
    INVALID,
    NO_TABLES,
    NOT_VALIDATED,
    PENDING,
    RESOURCE_STATUSES,
    SEVERITY,
    STATUS_FIELD,
    TIMESTAMP_FIELD,
    VALID,
    DatasetStatus,
    dataset_label,
    dataset_status,
    dataset_status_column,
    is_tabular,
    label,
    resource_format,
    resource_status_column,
    status_of,
    tabular_clause,
)
from ckanext.sipessut.validation.validators import VALIDATORS
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

finished_signal = runner.finished
resource_file = runner.file_of

read_table = _table.read_resource
read_table_path = _table.read_path
dictionary_of = _table.dictionary_of
code_labels = check_plan.code_labels
TABLE_PROBLEMS = (_table.FileProblem, _table.DictionaryProblem)


def problem_message(code: str, params: dict[str, Any] | None = None) -> str:
    """Why a table could not be read, in the user's language (the report's reasons)."""
    return messages.reason_message({**(params or {}), "code": code})


# CKAN hooks (plugin.py delegates them here).
before_dataset_index = search.before_dataset_index
after_dataset_search = search.after_dataset_search
dataset_facets = search.dataset_facets

# Set by before_resource_delete, read by after_resource_delete: CKAN's after hook is
# given the remaining resources, not the one deleted.
_DELETED = "sipessut_validation_deleted_resource"


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
    resource_id = context.pop(_DELETED, None)
    if resource_id:
        runner.forget_resource(resource_id)


__all__ = [
    "ACTIONS",
    "AUTH_FUNCTIONS",
    "BLUEPRINTS",
    "CLI_COMMANDS",
    "DATASET_STATUSES",
    "ERROR",
    "FileProblem",
    "HELPERS",
    "INVALID",
    "NOT_VALIDATED",
    "NO_TABLES",
    "PENDING",
    "RESOURCE_STATUSES",
    "SEVERITY",
    "TABLE_PROBLEMS",
    "STATUS_FIELD",
    "TIMESTAMP_FIELD",
    "VALID",
    "VALIDATORS",
    "DatasetStatus",
    "after_dataset_search",
    "after_resource_delete",
    "after_resource_saved",
    "before_dataset_index",
    "before_resource_create",
    "before_resource_delete",
    "before_resource_update",
    "code_labels",
    "dataset_facets",
    "dataset_label",
    "dataset_status",
    "dataset_status_column",
    "dictionary_of",
    "finished_signal",
    "is_tabular",
    "label",
    "problem_message",
    "read_table",
    "read_table_path",
    "resource_file",
    "resource_format",
    "resource_status_column",
    "status_of",
    "tabular_clause",
]
