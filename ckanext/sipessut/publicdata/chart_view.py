"""The `sipessut_chart` resource view: a chart of a loaded table, drawn from its dictionary.

Rendered in the resource page (not in an iframe) with Apache ECharts shipped in the
package; the data table under the chart is its accessible fallback. plugin.py implements
IResourceView with these functions.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut import validation
from ckanext.sipessut.publicdata import chart

NAME = "sipessut_chart"


def _measures(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.replace(";", ",").split(",")
    if not isinstance(value, (list, tuple)):
        return []
    return [str(v).strip()[:63] for v in value if str(v).strip()][:10]


def _one_of(choices: tuple[str, ...]):
    def validator(value: Any) -> str:
        return value if value in choices else "auto"

    return validator


def info() -> dict[str, Any]:
    ignore_missing = tk.get_validator("ignore_missing")
    unicode_safe = tk.get_validator("unicode_safe")
    return {
        "name": NAME,
        "title": tk._("Chart"),
        "default_title": tk._("Chart"),
        "icon": "chart-bar",
        "iframed": False,
        "requires_datastore": True,
        "preview_enabled": False,
        "always_available": False,
        "schema": {
            "measures": [ignore_missing, _measures],
            "dimension": [ignore_missing, unicode_safe],
            "series": [ignore_missing, unicode_safe],
            "chart_type": [ignore_missing, _one_of(chart.CHART_TYPES)],
            "aggregate": [ignore_missing, _one_of(chart.AGGREGATES)],
            "chart_title": [ignore_missing, unicode_safe],
        },
    }


def can_view(data_dict: dict[str, Any]) -> bool:
    resource = data_dict.get("resource") or {}
    if not resource.get("datastore_active"):
        return False
    return chart.default_config(validation.dictionary_of(resource)) is not None


def setup_template_variables(context: Any, data_dict: dict[str, Any]) -> dict[str, Any]:
    resource = data_dict["resource"]
    view = data_dict.get("resource_view") or {}
    return {"chart": chart.chart_data(resource, view, tk.h.lang() or "id")}


def view_template(context: Any, data_dict: dict[str, Any]) -> str:
    return "sipessut/publicdata/chart_view.html"


def form_template(context: Any, data_dict: dict[str, Any]) -> str:
    return "sipessut/publicdata/chart_form.html"
