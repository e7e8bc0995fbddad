"""The report of one run: every error counted, the first few of each type kept, the preview."""

from __future__ import annotations

import datetime
from typing import Any

from ckanext.sipessut.validation.engine.options import Settings

REPORT_VERSION = 1
CELL_TEXT_LIMIT = 200


class Report:
    """Counts every error, keeps the first few of each type, and the preview."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.counts: dict[str, int] = {}
        self.kept: dict[str, list[dict[str, Any]]] = {}
        self.notices: list[dict[str, Any]] = []
        self.limits: list[dict[str, Any]] = []
        self.source: dict[str, Any] = {}
        self.stats: dict[str, Any] = {"rows": 0, "columns": 0}
        self.header: dict[str, Any] = {}
        self.preview: list[dict[str, Any]] = []
        self.preview_marks: dict[int, dict[int, list[str]]] = {}
        self.preview_last = 0
        self.reason: dict[str, Any] | None = None

    def notice(self, code: str, **params: Any) -> None:
        self.notices.append({"code": code, **params})

    def fail(self, code: str, params: dict[str, Any]) -> None:
        self.reason = {"code": code, **params}

    def add(self, error: dict[str, Any]) -> None:
        kind = error["type"]
        self.counts[kind] = self.counts.get(kind, 0) + 1
        kept = self.kept.setdefault(kind, [])
        if len(kept) < self.settings.errors_per_type:
            kept.append(error)
        row = error.get("rowNumber")
        if row is not None and row <= self.preview_last:
            marks = self.preview_marks.setdefault(row, {})
            marks.setdefault(error.get("fieldNumber") or 0, []).append(kind)

    def finish(self) -> dict[str, Any]:
        errors = [error for kind in sorted(self.kept) for error in self.kept[kind]]
        errors.sort(key=lambda e: (e.get("rowNumber") or 0, e.get("fieldNumber") or 0))
        total = sum(self.counts.values())
        if self.reason:
            status = "error"
        elif total:
            status = "invalid"
        elif self.limits:
            status = "error"
            self.reason = dict(self.limits[0])
        else:
            status = "valid"
        for row in self.preview:
            marks = self.preview_marks.get(row["rowNumber"])
            if marks:
                row["marks"] = {str(k): v for k, v in marks.items()}
        self.stats["errors"] = total
        return {
            "version": REPORT_VERSION,
            "status": status,
            "reason": self.reason,
            "source": self.source,
            "header": self.header,
            "stats": self.stats,
            "error_counts": dict(sorted(self.counts.items())),
            "errors": errors,
            "notices": self.notices,
            "limits": self.limits,
            "preview": self.preview,
        }


def error_entry(descriptor: dict[str, Any]) -> dict[str, Any]:
    """The parts of a frictionless error a report keeps (no full copy of the row)."""
    entry = {"type": descriptor["type"], "note": descriptor.get("note", "")}
    for key in ("rowNumber", "fieldNumber", "fieldName", "label"):
        if descriptor.get(key) not in (None, ""):
            entry[key] = descriptor[key]
    if "cell" in descriptor:
        entry["cell"] = short(descriptor["cell"])
    if descriptor.get("rowNumbers"):
        entry["rowNumbers"] = descriptor["rowNumbers"]
    return entry


def shown(value: Any) -> str:
    """A cell as the preview shows it: a spreadsheet date without its midnight time."""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return short(value)


def short(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= CELL_TEXT_LIMIT else text[:CELL_TEXT_LIMIT] + "…"
