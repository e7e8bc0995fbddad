"""What the monitoring adds to each data table's Solr document, so that the calendar and the
per-OPD figures are a few Solr queries rather than a package_show per dataset.

- NEXT_RELEASE / LAST_RELEASE (`sipessut_next_release_date`, `..._last_release_date`): the
  schedule of schedule.py, under CKAN's dynamic `*_date` fields (dates: range queries, sort);
- COMPLETENESS (`vocab_sipessut_completeness`, the percentage as text) and MISSING
  (`vocab_sipessut_missing`, the names of the required fields left empty): the metadata
  domain's completeness rule on the validated dataset (every dataset type);
- REFERENCE_CODES (`vocab_sipessut_kode_referensi`): the portal code lists (kode referensi
  such as `wilayah`) the tables' data dictionaries take their codes from, and
  USES_REFERENCE_CODES ("1" when there is one), to count the datasets that use any;
- TABLES (`vocab_sipessut_tables`): the dataset's tables counted by TABLE_FIGURES, one
  token per table: a dataset with two valid tables holds `valid#1` and `valid#2`, so a
  facet pivot (organization, TABLES) counts tables, not datasets, per OPD: the sum of the
  counts of the `valid#…` tokens. The rules are the validation domain's, as in the SQL of
  the drill-down (queries.dataset_facts); reading them here, once per change of a dataset,
  spares the monitoring page a pass over every resource's extras.

All are computed when CKAN indexes the dataset (every change of it, and every recorded
release); after upgrading, `ckan search-index rebuild` fills them for existing datasets.
"""

from __future__ import annotations

import json
from typing import Any

from ckanext.sipessut import metadata, validation
from ckanext.sipessut.monitoring import model, schedule

NEXT_RELEASE = "sipessut_next_release_date"
LAST_RELEASE = "sipessut_last_release_date"
COMPLETENESS = "vocab_sipessut_completeness"
MISSING = "vocab_sipessut_missing"
REFERENCE_CODES = "vocab_sipessut_kode_referensi"
USES_REFERENCE_CODES = "vocab_sipessut_uses_kode_referensi"  # "1" when REFERENCE_CODES is not empty
TABLES = "vocab_sipessut_tables"
# What TABLES counts: tables, by validation status, with a data dictionary; and the
# resources loaded in the DataStore (a table or not).
TABLE_FIGURES = ("tables", "valid", "invalid", "not_validated", "with_dictionary", "datastore")
DATASET_TYPE = "dataset"


def solr_date(day: Any) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def reference_codes(resources: list[dict[str, Any]]) -> list[str]:
    """The code lists the data dictionaries of these resources use, sorted."""
    used: set[str] = set()
    for resource in resources:
        dictionary = resource.get(metadata.DATA_DICTIONARY_FIELD)
        if isinstance(dictionary, str):
            try:
                dictionary = json.loads(dictionary)
            except ValueError:
                continue
        if not isinstance(dictionary, dict):
            continue
        for field in dictionary.get("fields") or []:
            codelist = field.get("codelist") if isinstance(field, dict) else None
            name = codelist.get("name") if isinstance(codelist, dict) else codelist
            if isinstance(name, str) and name:
                used.add(name)
    return sorted(used)


def _has_dictionary(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip() not in ("", "{}", "null")
    return bool(value)


def table_figures(resources: list[dict[str, Any]]) -> dict[str, int]:
    """TABLE_FIGURES of one dataset's active resources."""
    counts = dict.fromkeys(TABLE_FIGURES, 0)
    for resource in resources:
        if resource.get("state", "active") != "active":
            continue
        if resource.get("datastore_active") in (True, "true"):  # as the SQL reads it
            counts["datastore"] += 1
        if not validation.is_tabular(resource):
            continue
        counts["tables"] += 1
        status = validation.status_of(resource)
        if status == validation.VALID:
            counts["valid"] += 1
        elif status in (validation.INVALID, validation.ERROR):
            counts["invalid"] += 1
        elif status in (validation.NOT_VALIDATED, validation.PENDING):
            counts["not_validated"] += 1
        if _has_dictionary(resource.get(metadata.DATA_DICTIONARY_FIELD)):
            counts["with_dictionary"] += 1
    return counts


def table_tokens(resources: list[dict[str, Any]]) -> list[str]:
    """TABLES' values: `figure#k` for k = 1 .. the dataset's count of that figure."""
    return [
        f"{figure}#{k}"
        for figure, count in table_figures(resources).items()
        for k in range(1, count + 1)
    ]


def count_tokens(facet_counts: dict[str, int]) -> dict[str, int]:
    """Per figure, the tables behind a facet of TABLES (the counts of its tokens, summed)."""
    totals = dict.fromkeys(TABLE_FIGURES, 0)
    for token, count in facet_counts.items():
        figure = token.rpartition("#")[0]
        if figure in totals:
            totals[figure] += count
    return totals


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Completeness for every type (EPSS 10201 counts kegiatan and indikator too); the
    schedule and the code lists for data tables."""
    try:
        validated = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    except ValueError:
        validated = {}
    if not validated:
        return pkg_dict
    found = metadata.completeness(validated)
    pkg_dict[COMPLETENESS] = [f"{found.percent:.1f}"]
    pkg_dict[MISSING] = [item["field"] for item in found.missing]
    if pkg_dict.get("type") != DATASET_TYPE:
        return pkg_dict
    pkg_dict[REFERENCE_CODES] = reference_codes(validated.get("resources") or [])
    pkg_dict[TABLES] = table_tokens(validated.get("resources") or [])
    pkg_dict[USES_REFERENCE_CODES] = ["1"] if pkg_dict[REFERENCE_CODES] else []
    last_recorded = model.last_release_dates([validated["id"]]).get(validated["id"])
    planned = schedule.schedule_of(validated, last_recorded)
    if planned.next_release:
        pkg_dict[NEXT_RELEASE] = solr_date(planned.next_release)
    if planned.last_release:
        pkg_dict[LAST_RELEASE] = solr_date(planned.last_release)
    return pkg_dict
