"""The monitoring per OPD: what each number means, computed for every OPD at once
(queries.py) and, for the drill-down, dataset by dataset with the same meaning.

MEASURES is the one list of the figures: their key, their label, whether they have a
drill-down, and for the drill-down the rule that picks a dataset (`matches`). The tests
check that each drill-down lists as many datasets as its figure counts.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut import review
from ckanext.sipessut.monitoring import queries, schedule, settings


@dataclass(frozen=True)
class Measure:
    key: str
    label: Callable[[], str]
    # Picks the datasets behind the figure (drill-down); None: no list (an average...).
    matches: Callable[[dict[str, Any]], bool] | None = None
    percent_of: str | None = None  # shown as a share of this other measure
    review_only: bool = False  # only for the Walidata (review states, decision times)
    chart: bool = False


def _state(code: str) -> Callable[[dict[str, Any]], bool]:
    return lambda fact: fact["state"] == code


MEASURES: tuple[Measure, ...] = (
    Measure("datasets", lambda: tk._("Data tables"), lambda f: True, chart=True),
    Measure("draf", lambda: review.state_label(review.DRAF), _state(review.DRAF), review_only=True),
    Measure(
        "diajukan",
        lambda: review.state_label(review.DIAJUKAN),
        _state(review.DIAJUKAN),
        review_only=True,
    ),
    Measure(
        "dikembalikan",
        lambda: review.state_label(review.DIKEMBALIKAN),
        _state(review.DIKEMBALIKAN),
        review_only=True,
    ),
    Measure(
        "ditayangkan",
        lambda: review.state_label(review.DITAYANGKAN),
        _state(review.DITAYANGKAN),
        review_only=True,
    ),
    Measure(
        "complete",
        lambda: tk._("Complete metadata"),
        lambda f: f["complete"],
        percent_of="datasets",
        chart=True,
    ),
    Measure("incomplete", lambda: tk._("Incomplete metadata"), lambda f: not f["complete"]),
    Measure("completeness", lambda: tk._("Average completeness (%)"), chart=True),
    Measure("tables", lambda: tk._("Tables"), lambda f: f["tables"] > 0),
    Measure(
        "valid",
        lambda: tk._("Valid tables"),
        lambda f: f["valid"] > 0,
        percent_of="tables",
        chart=True,
    ),
    Measure("invalid", lambda: tk._("Invalid tables"), lambda f: f["invalid"] > 0),
    Measure(
        "not_validated", lambda: tk._("Tables not validated"), lambda f: f["not_validated"] > 0
    ),
    Measure(
        "datastore",
        lambda: tk._("Tables in the DataStore"),
        lambda f: f["datastore"] > 0,
        percent_of="tables",
        chart=True,
    ),
    Measure(
        "on_time",
        lambda: tk._("Releases on time"),
        lambda f: f["on_time"] > 0,
        percent_of="releases",
        chart=True,
    ),
    Measure("late", lambda: tk._("Late releases"), lambda f: f["late"] > 0),
    Measure("overdue", lambda: tk._("Overdue releases"), lambda f: f["overdue"], chart=True),
    Measure(
        "kode_sds",
        lambda: tk._("With a Standar Data code"),
        lambda f: f["kode_sds"],
        percent_of="datasets",
    ),
    Measure(
        "kode_referensi",
        lambda: tk._("Using kode referensi"),
        lambda f: bool(f["reference_codes"]),
        percent_of="datasets",
    ),
    Measure(
        "median_days",
        lambda: tk._("Median days to a decision"),
        review_only=True,
        chart=True,
    ),
)
BY_KEY = {measure.key: measure for measure in MEASURES}


def measures(public_only: bool) -> list[Measure]:
    return [m for m in MEASURES if not (public_only and m.review_only)]


@dataclass
class OpdRow:
    organization: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    missing: list[tuple[str, int]] = field(default_factory=list)  # (field, datasets), most first
    reference_codes: list[tuple[str, int]] = field(default_factory=list)
    last_update: datetime.datetime | None = None

    def percent(self, key: str) -> float | None:
        base = BY_KEY[key].percent_of
        total = self.values.get(base or "", 0)
        if not base or not total:
            return None
        return round(100 * self.values.get(key, 0) / total, 1)


@dataclass
class Overview:
    rows: list[OpdRow]
    totals: OpdRow
    year: int
    public_only: bool
    produced: datetime.datetime


def _mean_percent(values: dict[str, int]) -> float | None:
    count = sum(values.values())
    if not count:
        return None
    return round(sum(float(v) * n for v, n in values.items()) / count, 1)


def overview(public_only: bool, year: int | None = None) -> Overview:
    """Every OPD's figures, in 6 queries whatever the size of the catalogue."""
    today = settings.today()
    year = year or today.year
    grace = settings.grace_days()
    datasets = queries.dataset_counts(public_only)
    releases = queries.release_counts(public_only, year, grace)
    indexed = queries.index_counts(public_only, today)
    decisions = {} if public_only else review.decision_days()
    rows = []
    totals = OpdRow({"id": "", "name": "", "title": tk._("Whole region")})
    completeness_all: dict[str, int] = {}
    missing_all: dict[str, int] = {}
    codes_all: dict[str, int] = {}
    for organization in queries.organizations():
        org_id = organization["id"]
        counted = datasets.get(org_id, {})
        if public_only and not counted:
            continue  # the public summary lists the OPDs that publish
        found = indexed.get(organization["name"], {})
        completeness = found.get("completeness", {})
        complete = completeness.get("100.0", 0)
        row = OpdRow(organization)
        values = row.values
        values["datasets"] = counted.get("datasets", 0)
        for state in review.STATES:
            values[state] = counted.get(state, 0)
        values["complete"] = complete
        values["incomplete"] = sum(completeness.values()) - complete
        values["completeness"] = _mean_percent(completeness)
        table = found.get("tables", {})
        for key in queries.index.TABLE_FIGURES:
            values[key] = table.get(key, 0)
        released = releases.get(org_id, {})
        for key in ("releases", "on_time", "late", "unscheduled"):
            values[key] = released.get(key, 0)
        values["overdue"] = found.get("overdue", 0)
        values["kode_sds"] = counted.get("kode_sds", 0)
        reference = found.get("reference_codes", {})
        values["kode_referensi"] = found.get("uses_reference_codes", {}).get("1", 0)
        decided = decisions.get(org_id)
        values["median_days"] = decided["median_days"] if decided else None
        values["decisions"] = decided["decisions"] if decided else 0
        row.missing = sorted(found.get("missing", {}).items(), key=lambda kv: (-kv[1], kv[0]))
        row.reference_codes = sorted(reference.items(), key=lambda kv: (-kv[1], kv[0]))
        row.last_update = counted.get("last_update")
        rows.append(row)
        for key, value in values.items():
            if isinstance(value, int) and not isinstance(value, bool):
                totals.values[key] = totals.values.get(key, 0) + value
        for source, target in (
            (completeness, completeness_all),
            (found.get("missing", {}), missing_all),
            (reference, codes_all),
        ):
            for key, count in source.items():
                target[key] = target.get(key, 0) + count
        if row.last_update and (not totals.last_update or row.last_update > totals.last_update):
            totals.last_update = row.last_update
    totals.values["completeness"] = _mean_percent(completeness_all)
    medians = [r.values["median_days"] for r in rows if r.values.get("median_days") is not None]
    totals.values["median_days"] = round(statistics.median(medians), 1) if medians else None
    totals.missing = sorted(missing_all.items(), key=lambda kv: (-kv[1], kv[0]))
    totals.reference_codes = sorted(codes_all.items(), key=lambda kv: (-kv[1], kv[0]))
    return Overview(rows, totals, year, public_only, datetime.datetime.now(settings.timezone()))


def sort_rows(rows: list[OpdRow], key: str, descending: bool) -> list[OpdRow]:
    """Rows by a measure (OPDs without a value last), or by name."""
    if key == "title" or key not in BY_KEY and key != "last_update":
        return sorted(rows, key=lambda r: r.organization["title"].lower(), reverse=descending)

    def value(row: OpdRow) -> Any:
        if key == "last_update":
            return row.last_update
        return row.values.get(key)

    present = [r for r in rows if value(r) is not None]
    absent = [r for r in rows if value(r) is None]
    return sorted(present, key=value, reverse=descending) + absent


def dataset_rows(
    public_only: bool, organization: dict[str, str], year: int
) -> list[dict[str, Any]]:
    """The data tables of one OPD with the facts the figures count (drill-down)."""
    today = settings.today()
    grace = settings.grace_days()
    facts = queries.dataset_facts(public_only, organization["id"], year)
    indexed = queries.indexed_facts(public_only, organization["name"])
    for fact in facts:
        doc = indexed.get(fact["id"], {})
        completeness = (doc.get(queries.index.COMPLETENESS) or [None])[0]
        fact["completeness"] = float(completeness) if completeness is not None else None
        fact["complete"] = completeness == "100.0"
        fact["missing"] = doc.get(queries.index.MISSING) or []
        fact["reference_codes"] = doc.get(queries.index.REFERENCE_CODES) or []
        next_release = schedule.parse_date(doc.get(queries.index.NEXT_RELEASE))
        fact["next_release"] = next_release
        fact["overdue"] = bool(next_release and next_release < today)
        late = [d for d in (fact.pop("days_late") or []) if d is not None]
        fact["on_time"] = sum(1 for d in late if d <= grace)
        fact["late"] = sum(1 for d in late if d > grace)
        fact["max_days_late"] = max(late, default=None)
        fact["kode_sds"] = bool((fact.get("kode_sds") or "").strip())
    return facts
