"""Charts that know the statistics: what to draw is read from the MS-Var dictionary.

The measures are the number and integer columns that are neither codes nor periods (with
their ukuran and satuan); the dimension is a wilayah code list (bars by kecamatan, with
their names), else a year or period (a line over time), else another coded column; a
second coded column gives grouped bars. A steward changes any of it in the view form.

The numbers are aggregated in the DataStore (sum, or mean for ratios and percentages),
grouped by the dimension (and the series), within a statement timeout and a bounded
number of categories and series.
"""

from __future__ import annotations

import contextlib
import decimal
import hashlib
import json
from typing import Any

import sqlalchemy as sa

from ckanext.sipessut import validation
from ckanext.sipessut.publicdata import columns as cols
from ckanext.sipessut.publicdata import loader, settings

CHART_TYPES = ("auto", "bar", "line")
AGGREGATES = ("auto", "sum", "avg")
# ukuran (what the number measures) read as a rate: averaged, never summed.
AVERAGED_UKURAN = ("rasio", "persentase", "proporsi", "rata-rata", "indeks", "angka", "laju")


def public_fields(dictionary: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [
        f
        for f in (dictionary or {}).get("fields") or []
        if isinstance(f, dict) and f.get("name") and cols.is_public(f)
    ]


def _is_wilayah(spec: dict[str, Any]) -> bool:
    reference = spec.get("codelist")
    name = reference if isinstance(reference, str) else (reference or {}).get("name")
    return name == "wilayah"


def default_config(dictionary: dict[str, Any] | None) -> dict[str, Any] | None:
    """The chart a loaded table gets, or None when it has nothing to draw."""
    fields = public_fields(dictionary)
    measures = [f["name"] for f in fields if cols.is_measure(f)]
    if not measures:
        return None
    wilayah = [f["name"] for f in fields if _is_wilayah(f)]
    periods = [f["name"] for f in fields if cols.is_period(f)]
    coded = [f["name"] for f in fields if cols.is_coded(f) and not _is_wilayah(f)]
    texts = [
        f["name"]
        for f in fields
        if f.get("type") in ("string", None) and f["name"] not in wilayah + coded
    ]
    dimension = (wilayah or periods or coded or texts or [""])[0]
    if not dimension:
        return None
    others = [name for name in coded if name != dimension]
    # Measures drawn together share the unit of the first (people and km2 do not mix).
    unit = {f["name"]: str(f.get("satuan") or "") for f in fields}
    measures = [m for m in measures if unit[m] == unit[measures[0]]]
    return {
        "measures": measures[:3] if not others else measures[:1],
        "dimension": dimension,
        "series": others[0] if others else "",
        "chart_type": "auto",
        "aggregate": "auto",
        "chart_title": "",
    }


def effective_config(
    view_config: dict[str, Any], dictionary: dict[str, Any] | None
) -> dict[str, Any] | None:
    """The view's settings completed from the dictionary; None when nothing can be drawn."""
    default = default_config(dictionary)
    if default is None:
        return None
    names = {f["name"]: f for f in public_fields(dictionary)}
    measures = [m for m in _as_list(view_config.get("measures")) if m in names]
    dimension = view_config.get("dimension") if view_config.get("dimension") in names else None
    series = view_config.get("series") if view_config.get("series") in names else ""
    config = {
        "measures": measures or default["measures"],
        "dimension": dimension or default["dimension"],
        "series": series if (dimension or measures) else default["series"],
        "chart_type": view_config.get("chart_type")
        if view_config.get("chart_type") in CHART_TYPES
        else "auto",
        "aggregate": view_config.get("aggregate")
        if view_config.get("aggregate") in AGGREGATES
        else "auto",
        "chart_title": str(view_config.get("chart_title") or "")[:200],
    }
    if config["series"] == config["dimension"]:
        config["series"] = ""
    if config["chart_type"] == "auto":
        config["chart_type"] = "line" if cols.is_period(names[config["dimension"]]) else "bar"
    return config


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return []


def _aggregate(config: dict[str, Any], spec: dict[str, Any]) -> str:
    if config["aggregate"] in ("sum", "avg"):
        return config["aggregate"]
    ukuran = str(spec.get("ukuran") or "").lower()
    return "avg" if any(word in ukuran for word in AVERAGED_UKURAN) else "sum"


def _number(value: Any) -> float | int | None:
    if value is None:
        return None
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _unit_label(spec: dict[str, Any]) -> str:
    title = str(spec.get("title") or spec.get("name"))
    unit = str(spec.get("satuan") or "").strip()
    return f"{title} ({unit})" if unit else title


CACHE_SECONDS = 24 * 3600


def chart_data(
    resource: dict[str, Any], view_config: dict[str, Any], lang: str
) -> dict[str, Any] | None:
    """What the chart draws: categories, series, labels; the caller checked read access.

    Kept in Redis for a day under the table's identity (a new load makes a new table,
    so a new key): a page with a chart does not aggregate a large table at every view."""
    dictionary = validation.dictionary_of(resource)
    config = effective_config(view_config, dictionary)
    if config is None or not resource.get("datastore_active"):
        return None
    version = _table_version(resource["id"])
    if version is None:
        return None
    key = (
        "sipessut:chart:"
        + hashlib.sha256(
            json.dumps(
                [resource["id"], version, config, lang, dictionary], sort_keys=True, default=str
            ).encode()
        ).hexdigest()
    )
    cached = _cache_get(key)
    if cached is not None:
        return cached
    payload = _compute(resource, dictionary, config, lang)
    if payload is not None:
        _cache_set(key, payload)
    return payload


def _table_version(resource_id: str) -> int | None:
    """The table's PostgreSQL oid: every load swaps in a new table, with a new oid."""
    try:
        with loader.read_engine().connect() as connection:
            return connection.execute(
                sa.text("SELECT to_regclass(:name)::oid"), {"name": loader.ident(resource_id)}
            ).scalar()
    except sa.exc.SQLAlchemyError:
        return None


def _cache_get(key: str) -> dict[str, Any] | None:
    try:
        from ckan.lib.redis import connect_to_redis

        value = connect_to_redis().get(key)
    except Exception:  # no cache is no reason to fail a page
        return None
    return json.loads(value) if value else None


def _cache_set(key: str, payload: dict[str, Any]) -> None:
    with contextlib.suppress(Exception):
        from ckan.lib.redis import connect_to_redis

        connect_to_redis().setex(key, CACHE_SECONDS, json.dumps(payload, default=str))


def _compute(
    resource: dict[str, Any], dictionary: dict[str, Any] | None, config: dict[str, Any], lang: str
) -> dict[str, Any] | None:
    specs = {f["name"]: f for f in public_fields(dictionary)}
    dimension, series = config["dimension"], config["series"]
    measures = config["measures"]
    labels = validation.code_labels(dictionary, lang)
    max_categories, max_series = settings.chart_max_categories(), settings.chart_max_series()

    group = [dimension] + ([series] if series else [])
    selects = [loader.ident(name) for name in group] + [
        f"{_aggregate(config, specs[m])}({loader.ident(m)})" for m in measures
    ]
    # Identifiers quoted; no value from the user reaches the SQL.
    sql = (
        f"SELECT {', '.join(selects)} FROM {loader.ident(resource['id'])} "  # noqa: S608
        f"WHERE {loader.ident(dimension)} IS NOT NULL "
        f"GROUP BY {', '.join(loader.ident(n) for n in group)} "
        f"ORDER BY {', '.join(loader.ident(n) for n in group)} "
        f"LIMIT {max_categories * max_series + 1}"
    )
    try:
        with loader.read_engine().connect() as connection, connection.begin():
            connection.execute(
                sa.text(f"SET LOCAL statement_timeout = {settings.query_timeout_ms()}")
            )
            rows = connection.execute(sa.text(sql)).fetchall()
    except sa.exc.SQLAlchemyError:
        return None
    truncated = len(rows) > max_categories * max_series
    categories: list[Any] = []
    series_values: list[Any] = []
    cells: dict[tuple[Any, Any], list[Any]] = {}
    for row in rows:
        key = row[0]
        serie = row[1] if series else None
        if key not in categories:
            if len(categories) >= max_categories:
                truncated = True
                continue
            categories.append(key)
        if series and serie not in series_values:
            if len(series_values) >= max_series:
                truncated = True
                continue
            series_values.append(serie)
        cells[(key, serie)] = [_number(v) for v in row[len(group) :]]

    def label(column: str, value: Any) -> str:
        text = "" if value is None else str(value)
        return labels.get(column, {}).get(text) or text

    if series:
        drawn = [
            {
                "name": label(series, serie),
                "data": [cells.get((key, serie), [None])[0] for key in categories],
            }
            for serie in series_values
        ]
    else:
        drawn = [
            {
                "name": _unit_label(specs[m]),
                "data": [cells.get((key, None), [None] * len(measures))[i] for key in categories],
            }
            for i, m in enumerate(measures)
        ]
    units = {str(specs[m].get("satuan") or "").strip() for m in measures}
    y_label = (
        _unit_label(specs[measures[0]])
        if len(measures) == 1
        else (units.pop() if len(units) == 1 and "" not in units else "")
    )
    return {
        "type": config["chart_type"],
        "title": config["chart_title"] or resource.get("name") or "",
        "x_label": str(specs[dimension].get("title") or dimension),
        "y_label": y_label,
        "categories": [label(dimension, key) for key in categories],
        "codes": ["" if key is None else str(key) for key in categories],
        "series": drawn,
        "series_title": str(specs[series].get("title") or series) if series else "",
        "aggregate": [_aggregate(config, specs[m]) for m in measures],
        "truncated": truncated,
        "lang": lang,
        "config": config,
    }
