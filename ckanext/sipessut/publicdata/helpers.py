"""Template helpers of the public-data domain: load status, the Unduh menu, the data
API, the preview's columns and the charts."""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut import validation
from ckanext.sipessut.publicdata import access, chart, columns, downloads, messages, model

# Code lists longer than this are not sent whole to the preview (the wilayah of a province).
MAX_PREVIEW_LABELS = 2000


def load_status(resource: dict[str, Any]) -> dict[str, Any] | None:
    """The newest load of a table, for the resource page (None for what is not a table)."""
    if not resource or not validation.is_tabular(resource):
        return None
    load = model.latest(resource["id"])
    if load is None:
        return None
    return {
        "status": load["status"],
        "label": messages.status_label(load["status"]),
        "message": messages.reason_message(load.get("reason")),
        "finished": load.get("finished"),
        "rows": load.get("rows"),
        "masked": (load.get("details") or {}).get("masked") or [],
        "bad_cells": (load.get("details") or {}).get("bad_cells") or 0,
        "can_load": access.can_edit(resource["id"]),
        "url": tk.url_for(
            "sipessut_publicdata.reload", id=resource["package_id"], resource_id=resource["id"]
        ),
    }


def download_links(package: dict[str, Any], resource: dict[str, Any]) -> list[dict[str, str]]:
    """The Unduh menu of a resource: the original (when allowed), CSV, XLSX, JSON."""
    links = []
    if resource.get("url") and access.original_allowed(resource):
        links.append(
            {
                "format": (resource.get("format") or "").upper() or tk._("File"),
                "label": tk._("Original file"),
                "url": resource["url"],
            }
        )
    if resource.get("datastore_active"):
        labels = {
            "csv": tk._("CSV (UTF-8)"),
            "xlsx": tk._("Excel (XLSX) with data dictionary"),
            "json": tk._("JSON"),
        }
        for fmt in downloads.FORMATS:
            links.append(
                {
                    "format": fmt.upper(),
                    "label": labels[fmt],
                    "url": tk.url_for(
                        "sipessut_publicdata.download",
                        id=package.get("name") or resource["package_id"],
                        resource_id=resource["id"],
                        fmt=fmt,
                    ),
                }
            )
    return links


def original_allowed(resource: dict[str, Any]) -> bool:
    return access.original_allowed(resource)


def api_examples(resource: dict[str, Any]) -> dict[str, Any] | None:
    """How to query the rows: datastore_search with a filter, and the dumps."""
    if not resource.get("datastore_active"):
        return None
    dictionary = validation.dictionary_of(resource)
    fields = chart.public_fields(dictionary)
    filtered = next((f for f in fields if columns.is_coded(f)), None) or next(
        (f for f in fields if columns.is_period(f)), None
    )
    example_value = ""
    if filtered is not None:
        codes = validation.code_labels(dictionary, "id").get(filtered["name"], {})
        example_value = next(iter(codes), "") or ""
    base = tk.url_for("api.action", ver=3, logic_function="datastore_search", _external=True)
    search = f"{base}?resource_id={resource['id']}&limit=5"
    filter_url = None
    if filtered is not None and example_value:
        filters = json.dumps({filtered["name"]: example_value}, ensure_ascii=False)
        filter_url = f"{base}?resource_id={resource['id']}&filters={filters}"
    return {
        "search": search,
        "filter": filter_url,
        "filter_field": filtered["name"] if filtered else "",
        "filter_value": example_value,
        "dumps": {
            fmt: tk.url_for(
                "datastore.dump",
                resource_id=resource["id"],
                _external=True,
                **({"format": fmt} if fmt != "csv" else {}),
            )
            for fmt in ("csv", "json", "tsv", "xml")
        },
        "docs": "https://docs.ckan.org/en/latest/maintaining/datastore.html#the-datastore-api",
    }


def preview_columns(resource: dict[str, Any]) -> dict[str, Any]:
    """What the table preview adds to CKAN's datatables_view: units in the headers,
    Indonesian number formats, and code labels next to codes."""
    dictionary = validation.dictionary_of(resource)
    lang = tk.h.lang() or "id"
    labels = validation.code_labels(dictionary, lang)
    result: dict[str, Any] = {}
    for spec in chart.public_fields(dictionary):
        name = spec["name"]
        entry: dict[str, Any] = {}
        if spec.get("satuan"):
            entry["unit"] = str(spec["satuan"])
        if spec.get("type") in columns.MEASURE_TYPES and not columns.is_coded(spec):
            entry["number"] = spec.get("type") == "number" or not columns.is_period(spec)
        codes = labels.get(name)
        if codes and len(codes) <= MAX_PREVIEW_LABELS:
            entry["labels"] = codes
        if entry:
            result[name] = entry
    return {"lang": "id-ID" if lang.startswith("id") else "en-GB", "columns": result}


def chart_payload(resource: dict[str, Any], view: dict[str, Any]) -> dict[str, Any] | None:
    return chart.chart_data(resource, view or {}, tk.h.lang() or "id")


def chart_form_choices(resource: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """The columns the view form offers for measures, dimension and series."""
    fields = chart.public_fields(validation.dictionary_of(resource))

    def option(spec: dict[str, Any]) -> dict[str, str]:
        title = str(spec.get("title") or spec["name"])
        return {"value": spec["name"], "text": f"{title} ({spec['name']})"}

    return {
        "measures": [option(f) for f in fields if columns.is_measure(f)],
        "dimensions": [option(f) for f in fields if not columns.is_measure(f)],
    }


def indicator_charts(packages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The series of an indicator: the chart of each loaded table of its linked datasets."""
    found = []
    for item in packages[:10]:
        try:
            package = tk.get_action("package_show")({}, {"id": item["id"]})
        except (tk.ObjectNotFound, tk.NotAuthorized):
            continue
        for resource in package.get("resources") or []:
            if not resource.get("datastore_active"):
                continue
            payload = chart.chart_data(resource, {}, tk.h.lang() or "id")
            if payload is not None:
                payload["title"] = package.get("title") or payload["title"]
                found.append({"package": package, "resource": resource, "chart": payload})
    return found


def number(value: Any) -> str:
    """A whole number with the thousands separator of the page's language (61.234 / 61,234)."""
    try:
        text = f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)
    return text.replace(",", ".") if (tk.h.lang() or "id").startswith("id") else text


def to_json(value: Any) -> str:
    """JSON for a <script type="application/json"> block (no "</" can close it)."""
    return json.dumps(value, ensure_ascii=False, default=str).replace("</", "<\\/")


HELPERS = {
    "sipessut_publicdata_load_status": load_status,
    "sipessut_publicdata_downloads": download_links,
    "sipessut_publicdata_original_allowed": original_allowed,
    "sipessut_publicdata_api": api_examples,
    "sipessut_publicdata_preview_columns": preview_columns,
    "sipessut_publicdata_chart": chart_payload,
    "sipessut_publicdata_chart_choices": chart_form_choices,
    "sipessut_publicdata_indicator_charts": indicator_charts,
    "sipessut_publicdata_json": to_json,
    "sipessut_publicdata_number": number,
}
