"""Bukti EPSS: for each EPSS indicator the portal can evidence, the live figures and links,
per OPD and for the region, with the time they were produced.

The indicators (codes, names, which figures and links evidence each) are data:
epss_indicators.yaml in this package, or the file `ckanext.sipessut.monitoring.epss_indicators`
names. FIGURES is the list of what the portal can measure; each figure is a share
(numerator of a total) or a number, computed for every OPD at once.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
import yaml
from ckan import model as ckan_model

from ckanext.sipessut import codelists
from ckanext.sipessut.monitoring import data_requests, index, measures, model, queries, settings

DEFAULT_FILE = Path(__file__).with_name("epss_indicators.yaml")
MAX_FILE_BYTES = 1_000_000


class IndicatorFileError(Exception):
    """The indicator file is malformed; the message says where."""


@dataclass(frozen=True)
class Figure:
    key: str
    label: Callable[[], str]
    # (value, total) from an OPD's (or the region's) values; total None: a plain number
    compute: Callable[[dict[str, Any]], tuple[float | int | None, int | None]]


def _share(part: str, whole: str) -> Callable[[dict[str, Any]], tuple[Any, Any]]:
    return lambda v: (v.get(part, 0), v.get(whole, 0))


def _number(key: str) -> Callable[[dict[str, Any]], tuple[Any, Any]]:
    return lambda v: (v.get(key), None)


FIGURES: dict[str, Figure] = {
    f.key: f
    for f in (
        Figure(
            "tables_with_sds",
            lambda: tk._("Data tables with a Standar Data code"),
            _share("kode_sds", "datasets"),
        ),
        Figure(
            "kegiatan_complete",
            lambda: tk._("Statistical activities with a complete MS-Keg"),
            _share("kegiatan_complete", "kegiatan"),
        ),
        Figure(
            "indikator_complete",
            lambda: tk._("Indicators with a complete MS-Ind"),
            _share("indikator_complete", "indikator"),
        ),
        Figure(
            "tables_with_dictionary",
            lambda: tk._("Tables with an MS-Var data dictionary"),
            _share("with_dictionary", "tables"),
        ),
        Figure(
            "datasets_complete",
            lambda: tk._("Data tables with complete metadata"),
            _share("complete", "datasets"),
        ),
        Figure(
            "datasets_with_reference_codes",
            lambda: tk._("Data tables whose dictionary uses kode referensi"),
            _share("kode_referensi", "datasets"),
        ),
        Figure(
            "requests_received",
            lambda: tk._("Data requests received this year"),
            _number("requests"),
        ),
        Figure(
            "requests_answered",
            lambda: tk._("Data requests answered"),
            _share("requests_answered", "requests"),
        ),
        Figure(
            "requests_answered_with_data",
            lambda: tk._("Answered requests met with a dataset"),
            _share("requests_with_data", "requests_answered"),
        ),
        Figure(
            "requests_median_days",
            lambda: tk._("Median days to answer a request"),
            _number("requests_median_days"),
        ),
        Figure(
            "tables_valid",
            lambda: tk._("Tables valid against their dictionary"),
            _share("valid", "tables"),
        ),
        Figure(
            "datasets_scheduled",
            lambda: tk._("Data tables with a next release date"),
            _share("scheduled", "datasets"),
        ),
        Figure(
            "releases_on_time",
            lambda: tk._("Releases this year on time"),
            _share("on_time", "releases"),
        ),
        Figure("releases_overdue", lambda: tk._("Releases overdue now"), _number("overdue")),
        Figure(
            "public_datasets_complete",
            lambda: tk._("Public data tables with complete metadata"),
            _share("public_complete", "public_datasets"),
        ),
        Figure(
            "tables_csv",
            lambda: tk._("Public data tables downloadable as CSV"),
            _share("csv", "public_datasets"),
        ),
        Figure(
            "tables_xlsx",
            lambda: tk._("Public data tables downloadable as XLSX"),
            _share("xlsx", "public_datasets"),
        ),
        Figure(
            "tables_json",
            lambda: tk._("Public data tables downloadable as JSON"),
            _share("json", "public_datasets"),
        ),
    )
}

LINKS: dict[str, tuple[Callable[[], str], str, dict[str, Any]]] = {
    "monitoring": (lambda: tk._("Monitoring per OPD"), "sipessut_monitoring.overview", {}),
    "calendar": (lambda: tk._("Release calendar"), "sipessut_monitoring.calendar", {}),
    "calendar_ics": (
        lambda: tk._("Release calendar (iCalendar)"),
        "sipessut_monitoring.calendar_ics",
        {},
    ),
    "data_request_form": (
        lambda: tk._("Data request form"),
        "sipessut_monitoring.request_form",
        {},
    ),
    "data_requests": (lambda: tk._("Data requests"), "sipessut_monitoring.request_list", {}),
    "search": (lambda: tk._("Data catalogue"), "dataset.search", {}),
    "search_kegiatan": (lambda: tk._("Statistical activities (MS-Keg)"), "kegiatan.search", {}),
    "search_indikator": (lambda: tk._("Indicators (MS-Ind)"), "indikator.search", {}),
}


@dataclass(frozen=True)
class Indicator:
    code: str
    name: dict[str, str]
    domain: dict[str, str]
    figures: tuple[str, ...]
    links: tuple[str, ...]

    def title(self) -> str:
        lang = codelists.current_language()
        return self.name.get(lang) or self.name["id"]

    def domain_title(self) -> str:
        lang = codelists.current_language()
        return self.domain.get(lang) or self.domain.get("id", "")


def _labels(value: Any, where: str) -> dict[str, str]:
    if isinstance(value, str):
        return {"id": value}
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        raise IndicatorFileError(f"{where}: needs an Indonesian (`id`) text")
    return {str(k): str(v) for k, v in value.items()}


def load(path: str | None = None) -> tuple[dict[str, str], list[Indicator]]:
    """The instrument's name and its indicators; IndicatorFileError says what is wrong."""
    source = Path(path or settings.epss_indicators_file() or DEFAULT_FILE)
    try:
        if source.stat().st_size > MAX_FILE_BYTES:
            raise IndicatorFileError(f"{source}: larger than {MAX_FILE_BYTES} bytes")
        document = yaml.safe_load(source.read_text("utf-8"))
    except OSError as error:
        raise IndicatorFileError(f"{source}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise IndicatorFileError(f"{source}: not valid YAML: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("indicators"), list):
        raise IndicatorFileError(f"{source}: needs a list of `indicators`")
    indicators = []
    for position, entry in enumerate(document["indicators"], start=1):
        where = f"{source}: indicator {position}"
        if not isinstance(entry, dict) or not isinstance(entry.get("code"), str):
            raise IndicatorFileError(f"{where}: needs a `code` written as a quoted string")
        unknown = [f for f in entry.get("figures") or [] if f not in FIGURES]
        if unknown:
            raise IndicatorFileError(
                f"{where} ({entry['code']}): unknown figures {', '.join(map(str, unknown))};"
                f" known: {', '.join(sorted(FIGURES))}"
            )
        bad_links = [link for link in entry.get("links") or [] if link not in LINKS]
        if bad_links:
            raise IndicatorFileError(
                f"{where} ({entry['code']}): unknown links {', '.join(map(str, bad_links))};"
                f" known: {', '.join(sorted(LINKS))}"
            )
        indicators.append(
            Indicator(
                code=entry["code"],
                name=_labels(entry.get("name"), where),
                domain=_labels(entry.get("domain") or {"id": ""}, where),
                figures=tuple(entry.get("figures") or ()),
                links=tuple(entry.get("links") or ()),
            )
        )
    return _labels(document.get("instrument") or {"id": "EPSS"}, str(source)), indicators


# --- the figures --------------------------------------------------------------------------


def _other_types() -> dict[str, dict[str, dict[str, int]]]:
    """Per OPD name and dataset type (kegiatan, indikator, and "public" for the public data
    tables): how many, how many complete. One Solr request (a four-level pivot)."""
    pivot = f"dataset_type,capacity,organization,{index.COMPLETENESS}"
    found = queries.solr(
        {
            "q": "*:*",
            "fq": [f'+site_id:"{tk.config.get("ckan.site_id")}"', "+state:active"],
            "rows": 0,
            "facet": "true",
            "facet.pivot": [pivot],
            "facet.limit": -1,
            "facet.mincount": 1,
        }
    )
    result: dict[str, dict[str, dict[str, int]]] = {}
    for kind in found.facets.get("facet_pivot", {}).get(pivot, []):
        for capacity in kind.get("pivot", []):
            keys = [kind["value"]]
            if kind["value"] == queries.DATASET_TYPE and capacity["value"] == "public":
                keys.append("public")
            for organization in capacity.get("pivot", []):
                for key in keys:
                    counts = result.setdefault(organization["value"], {}).setdefault(
                        key, {"all": 0, "complete": 0}
                    )
                    for value in organization.get("pivot", []):
                        counts["all"] += value["count"]
                        if value["value"] == "100.0":
                            counts["complete"] += value["count"]
    return result


def _scheduled() -> dict[str, int]:
    found = queries.solr(
        {
            "q": "*:*",
            "fq": [*queries.solr_filters(False), f"+{index.NEXT_RELEASE}:[* TO *]"],
            "rows": 0,
            "facet": "true",
            "facet.field": ["organization"],
            "facet.limit": -1,
            "facet.mincount": 1,
        }
    )
    counts = found.facets.get("facet_fields", {}).get("organization", [])
    return dict(zip(counts[::2], counts[1::2], strict=False))


def _formats() -> dict[str, dict[str, int]]:
    """Per OPD: public data tables offering a CSV, an XLSX, a JSON download (a table in the
    DataStore is downloadable as CSV and JSON through CKAN's DataStore dump)."""
    resource = ckan_model.Resource.__table__.c
    fmt = sa.func.lower(sa.func.btrim(sa.func.coalesce(resource.format, "")))
    extras = sa.cast(
        sa.func.coalesce(sa.func.nullif(resource.extras, ""), "{}"), sa.dialects.postgresql.JSONB
    )
    in_datastore = extras["datastore_active"].astext == "true"
    per_dataset = (
        sa.select(
            ckan_model.Package.owner_org.label("owner_org"),
            sa.func.bool_or(sa.or_(fmt == "csv", in_datastore)).label("csv"),
            sa.func.bool_or(fmt.in_(["xlsx", "xls"])).label("xlsx"),
            sa.func.bool_or(sa.or_(fmt == "json", in_datastore)).label("json"),
        )
        .select_from(ckan_model.Resource.__table__)
        .join(ckan_model.Package, ckan_model.Package.id == resource.package_id)
        .where(resource.state == "active", *queries._datasets(True))
        .group_by(ckan_model.Package.id, ckan_model.Package.owner_org)
        .subquery()
    )
    rows = ckan_model.Session.execute(
        sa.select(
            per_dataset.c.owner_org,
            sa.func.count().filter(per_dataset.c.csv).label("csv"),
            sa.func.count().filter(per_dataset.c.xlsx).label("xlsx"),
            sa.func.count().filter(per_dataset.c.json).label("json"),
        ).group_by(per_dataset.c.owner_org)
    ).mappings()
    return {row["owner_org"]: dict(row) for row in rows}


def _requests(year: int) -> dict[str | None, dict[str, Any]]:
    """Per OPD the request was forwarded to (None: not forwarded), this year."""
    table = model.data_request.c
    rows = ckan_model.Session.execute(
        sa.select(table.organization_id, table.state, table.created, table.answered_at).where(
            table.created >= datetime.datetime(year, 1, 1),
            table.created < datetime.datetime(year + 1, 1, 1),
        )
    )
    result: dict[str | None, dict[str, Any]] = {}
    for organization_id, state, created, answered_at in rows:
        counts = result.setdefault(
            organization_id,
            {"requests": 0, "requests_answered": 0, "requests_with_data": 0, "days": []},
        )
        counts["requests"] += 1
        if state not in data_requests.OPEN:
            counts["requests_answered"] += 1
            counts["days"].append((answered_at - created).total_seconds() / 86400)
        if state == data_requests.TERSEDIA:
            counts["requests_with_data"] += 1
    return result


@dataclass
class Evidence:
    instrument: dict[str, str]
    indicators: list[Indicator]
    region: dict[str, Any]
    opds: list[tuple[dict[str, str], dict[str, Any]]]
    produced: datetime.datetime
    year: int


def evidence(year: int | None = None) -> Evidence:
    instrument, indicators = load()
    overview = measures.overview(False, year)
    others = _other_types()
    scheduled = _scheduled()
    formats = _formats()
    requests_by_org = _requests(overview.year)
    region: dict[str, Any] = dict(overview.totals.values)
    for key in ("requests", "requests_answered", "requests_with_data"):
        region[key] = 0
    all_days: list[float] = []
    opds = []
    for row in overview.rows:
        values = dict(row.values)
        name, org_id = row.organization["name"], row.organization["id"]
        types = others.get(name, {})
        values["kegiatan"] = types.get("kegiatan", {}).get("all", 0)
        values["kegiatan_complete"] = types.get("kegiatan", {}).get("complete", 0)
        values["indikator"] = types.get("indikator", {}).get("all", 0)
        values["indikator_complete"] = types.get("indikator", {}).get("complete", 0)
        values["public_datasets"] = types.get("public", {}).get("all", 0)
        values["public_complete"] = types.get("public", {}).get("complete", 0)
        values["scheduled"] = scheduled.get(name, 0)
        for key in ("csv", "xlsx", "json"):
            values[key] = formats.get(org_id, {}).get(key, 0)
        asked = requests_by_org.get(org_id, {})
        for key in ("requests", "requests_answered", "requests_with_data"):
            values[key] = asked.get(key, 0)
        days = asked.get("days", [])
        values["requests_median_days"] = round(statistics.median(days), 1) if days else None
        opds.append((row.organization, values))
        for key in (
            "kegiatan",
            "kegiatan_complete",
            "indikator",
            "indikator_complete",
            "public_datasets",
            "public_complete",
            "scheduled",
            "csv",
            "xlsx",
            "json",
        ):
            region[key] = region.get(key, 0) + values[key]
    for counts in requests_by_org.values():
        for key in ("requests", "requests_answered", "requests_with_data"):
            region[key] = region.get(key, 0) + counts[key]
        all_days.extend(counts["days"])
    region["requests_median_days"] = round(statistics.median(all_days), 1) if all_days else None
    return Evidence(instrument, indicators, region, opds, overview.produced, overview.year)


def figure_text(figure: Figure, values: dict[str, Any]) -> str:
    value, total = figure.compute(values)
    if total is None:
        return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
    if not total:
        return "-"
    return f"{value}/{total} ({100 * value / total:.1f}%)"


def figure_cells(figure: Figure, values: dict[str, Any]) -> list[Any]:
    """Value, total, percentage: for the XLSX export."""
    value, total = figure.compute(values)
    if total is None:
        return [value, None, None]
    return [value, total, round(100 * value / total, 1) if total else None]


def link_items(indicator: Indicator) -> list[tuple[str, str]]:
    return [
        (LINKS[key][0](), tk.url_for(LINKS[key][1], _external=True, **LINKS[key][2]))
        for key in indicator.links
    ]
