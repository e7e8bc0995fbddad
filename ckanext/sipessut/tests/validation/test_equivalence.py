"""The engine finds what plain frictionless finds: a property, checked on generated tables.

Hypothesis generates adversarial tables (runs of blank rows, batches made only of blank
rows, duplicate and blank header labels, bad cells on batch borders, unicode, missing
values, extra and missing cells, Indonesian numbers, keys around the in-memory limit) as
CSV and XLSX files, with or without a data dictionary. Each file is checked by our engine
and by plain `frictionless.validate` with the same Table Schema and no error limit, and
the findings (type, row, column, note) must be the same, each as often.

Both sides are told the same header row (1), separator and encoding, which each would
otherwise detect in its own way. What the engine does differently on purpose is kept out
or accounted for, as the README's Validation section says: rows it skips at the end of a
table (blank rows, notes) with a notice are taken out of frictionless's findings; number
formats are not detected (`detect_number_format=False`); no `groupChar` on integer fields.

The examples are derandomised: every run of `make test` checks the same ones, and a
failure is printed as the table that shows it (shrunk) and replays. More, and new, examples
locally (a failing seed is printed in the failure):

    SIPESSUT_EQUIVALENCE_EXAMPLES=3000 SIPESSUT_EQUIVALENCE_SEED=random \\
        make test CKAN=2.12 ARGS="-k equivalence -x"
    SIPESSUT_EQUIVALENCE_SEED=12345 make test CKAN=2.12 ARGS="-k equivalence"   # replay
"""

from __future__ import annotations

import collections
import csv
import datetime
import os
import random
import tempfile
from pathlib import Path
from typing import Any

import frictionless
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from ckanext.sipessut.validation import engine

EXAMPLES = int(os.environ.get("SIPESSUT_EQUIVALENCE_EXAMPLES", "0") or 0)
SEED = os.environ.get("SIPESSUT_EQUIVALENCE_SEED", "")


def _settings(examples: int):
    """Derandomised in CI (the same examples every run); random or seeded on request."""
    phases = list(Phase)
    if os.environ.get("SIPESSUT_EQUIVALENCE_SHRINK") == "0":  # report failures unshrunk
        phases.remove(Phase.shrink)
    return settings(
        phases=phases,
        max_examples=EXAMPLES or examples,
        derandomize=not SEED,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def _seeded(test):
    if SEED and SEED != "random":
        return seed(int(SEED))(test)
    return test


# --- what a table is made of ------------------------------------------------------------

# Cells of every kind, as text (CSV) or as text a workbook holds.
UNICODE = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_categories=("Cs", "Cc", "Co", "Cn"),
        include_characters="\n,;\"' ",
    ),
    max_size=6,
)
TEXT_CELLS = {
    "integer": ["0", "7", "-3", "007", "+5", "1.5", "x", "1e3", " 4", "12.345", "١٢", "2024"],
    "number": ["1,5", "1.234,56", "3.14", "NaN", "inf", "-0", "1e-3", "12.345", "7", "5%", "€5"],
    "boolean": ["true", "false", "TRUE", "False", "1", "0", "ya", "yes"],
    "date": ["2024-01-05", "2024-1-5", "2024-02-30", "05/01/2024", "0001-01-01", "2024"],
    "year": ["2024", "24", "99999", "-1", "2024.0", "1999"],
    "string": ["A", "BB", "64.72.01", "64.72.99", "Palaran", "Sëberang", "12", "a\nb"],
    "any": ["A", "1", "2024-01-05", "x y"],
}
MISSING_VALUE_SETS = [None, ["", "-"], ["", "NA", "-"], ["-"]]
PATTERNS = [r"64\.72\.\d{2}", r"[A-Z]+", r"\w{1,2}", r".*"]
NAMES = ["kode", "nama", "tahun", "jumlah", "luas", "Kode", "ñame", "x"]


@st.composite
def field_specs(draw, name: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["string", "integer", "number", "boolean", "date", "year"]))
    spec: dict[str, Any] = {"name": name, "type": kind}
    constraints: dict[str, Any] = {}
    if draw(st.booleans()):
        constraints["required"] = True
    if draw(st.integers(0, 3)) == 0:
        constraints["unique"] = True
    if kind in ("integer", "year") and draw(st.booleans()):
        constraints[draw(st.sampled_from(["minimum", "maximum"]))] = draw(st.integers(-5, 2030))
    if kind == "number" and draw(st.booleans()):
        constraints["minimum"] = draw(st.sampled_from([0, 0.5, 1.5]))
    if kind == "date" and draw(st.booleans()):
        constraints["maximum"] = "2024-06-30"
    if kind == "string":
        if draw(st.booleans()):
            constraints["pattern"] = draw(st.sampled_from(PATTERNS))
        if draw(st.booleans()):
            constraints["maxLength"] = draw(st.integers(0, 3))
        if draw(st.integers(0, 2)) == 0:
            constraints["enum"] = ["A", "BB", "64.72.01"]
    if kind == "integer" and draw(st.integers(0, 3)) == 0:
        constraints["enum"] = [0, 7, 2024]
    if kind == "number" and draw(st.booleans()):
        spec.update(decimalChar=",", groupChar=".")  # Indonesian numbers, declared
    if kind in ("integer", "number") and draw(st.integers(0, 4)) == 0:
        spec["bareNumber"] = False
    if kind == "boolean" and draw(st.booleans()):
        spec.update(trueValues=["ya", "1"], falseValues=["tidak", "0"])
    if draw(st.integers(0, 5)) == 0:
        spec["missingValues"] = draw(st.sampled_from(MISSING_VALUE_SETS[1:]))
    if constraints:
        spec["constraints"] = constraints
    return spec


@st.composite
def schemas(draw) -> dict[str, Any] | None:
    if draw(st.integers(0, 4)) == 0:
        return None  # structure only, as for a resource without a dictionary
    count = draw(st.integers(1, 4))
    names = [f"{draw(st.sampled_from(NAMES))}_{i}" for i in range(count)]
    schema: dict[str, Any] = {"fields": [draw(field_specs(name)) for name in names]}
    missing = draw(st.sampled_from(MISSING_VALUE_SETS))
    if missing is not None:
        schema["missingValues"] = missing
    if draw(st.integers(0, 3)) == 0:
        schema["primaryKey"] = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
    return schema


def _header(draw, schema: dict[str, Any] | None) -> list[str]:
    if schema is None:
        width = draw(st.integers(1, 4))
        labels = [draw(st.sampled_from([*NAMES, "", "kode"])) for _ in range(width)]
    else:
        labels = [field["name"] for field in schema["fields"]]
        for _ in range(draw(st.integers(0, 2))):
            change = draw(st.sampled_from(["duplicate", "blank", "other", "extra", "drop"]))
            position = draw(st.integers(0, len(labels) - 1))
            if change == "duplicate":
                labels[position] = draw(st.sampled_from(labels))
            elif change == "blank":
                labels[position] = ""
            elif change == "other":
                labels[position] = draw(st.sampled_from(NAMES))
            elif change == "extra":
                labels.append(draw(st.sampled_from([*NAMES, ""])))
            elif len(labels) > 1:
                labels.pop()
    if not any(labels):
        labels[0] = "kode"
    return labels


def _cell(draw, kind: str, missing: list[str]) -> str:
    choice = draw(st.integers(0, 9))
    if choice < 5:
        return draw(st.sampled_from(TEXT_CELLS[kind]))
    if choice < 7:
        return draw(st.sampled_from(missing or [""]))
    if choice < 9:
        return draw(st.sampled_from(TEXT_CELLS[draw(st.sampled_from(list(TEXT_CELLS)))]))
    return draw(UNICODE)


def _row(draw, kinds: list[str], missing: list[str]) -> list[str]:
    shape = draw(st.integers(0, 19))
    if shape == 0:
        return []  # an empty line
    if shape == 1:
        return [""] * len(kinds)
    if shape == 2:
        return [draw(st.sampled_from(missing or [""])) for _ in kinds]  # only missing values
    cells = [_cell(draw, kind, missing) for kind in kinds]
    if shape == 3:
        cells.extend(_cell(draw, "any", missing) for _ in range(draw(st.integers(1, 2))))
    elif shape == 4:
        cells = cells[: draw(st.integers(0, len(cells) - 1))]
    return cells


@st.composite
def tables(draw) -> dict[str, Any]:
    """A table (header and rows of text cells) with the settings it is checked with."""
    schema = draw(schemas())
    header = _header(draw, schema)
    fields = (schema or {}).get("fields") or []
    kinds = [fields[i]["type"] if i < len(fields) else "any" for i in range(len(header))]
    missing = list((schema or {}).get("missingValues") or [""])
    rows: list[list[str]] = []
    for _ in range(draw(st.integers(0, 24))):
        if draw(st.integers(0, 7)) == 0:  # a run of blank rows, as long as a batch or longer
            rows.extend([] for _ in range(draw(st.integers(1, 6))))
        rows.append(_row(draw, kinds, missing))
    # A long table now and then: past the first batches of the real batch size and the
    # rows sampled for number formats, built from a seed (hypothesis shrinks the rest).
    long_rows = draw(st.sampled_from([0] * 9 + [1100]))
    return {
        "schema": schema,
        "header": header,
        "rows": rows,
        "long": (long_rows, draw(st.integers(0, 2**16)), kinds, missing),
        # Small batches put batch borders everywhere in a short table; a long one is
        # checked with the real size.
        "batch_rows": 500 if long_rows else draw(st.sampled_from([1, 2, 3, 5, 500])),
        "memory_keys": draw(st.sampled_from([1, 2, 5, 17, engine.INTEGRITY_MEMORY_KEYS])),
    }


def _long_rows(count: int, salt: int, kinds: list[str], missing: list[str]) -> list[list[str]]:
    rng = random.Random(salt)
    rows = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.03:
            rows.append([])
        elif roll < 0.05:
            rows.append([""] * len(kinds))
        else:
            row = [
                rng.choice(TEXT_CELLS[kind] + missing) if rng.random() < 0.3 else
                rng.choice(TEXT_CELLS[kind][:3])
                for kind in kinds
            ]  # fmt: skip
            if roll < 0.07:
                row.append("lebih")
            elif roll < 0.09:
                row = row[:-1]
            rows.append(row)
    return rows


# --- the files ---------------------------------------------------------------------------


def _all_rows(table: dict[str, Any]) -> list[list[Any]]:
    return [table["header"], *table["rows"], *_long_rows(*table["long"])]


def _write_csv(path: Path, rows: list[list[Any]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)


_DATE = datetime.date.fromisoformat


def _typed(cell: str) -> Any:
    """What a spreadsheet cell holds when someone typed this text into it."""
    if cell == "":
        return None
    for kind, read in ((int, int), (float, float)):
        try:
            value = read(cell)
        except ValueError:
            continue
        if kind is float and value != value:
            return cell  # a NaN cell cannot be written
        if str(value) == cell.strip() or kind is int:
            return value if abs(value) < 1e15 and cell.isascii() else cell
    if len(cell) == 10 and cell[4] == "-":
        try:
            date = _DATE(cell)
        except ValueError:
            return cell
        # Excel holds no date before 1900; a negative serial number is read differently by
        # openpyxl (frictionless) and calamine (ours), so a typed cell is never one.
        return date if date.year >= 1900 else cell
    if cell in ("TRUE", "False"):
        return cell == "TRUE"
    return cell


def _write_xlsx(path: Path, rows: list[list[Any]]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for number, row in enumerate(rows):
        cells = [cell or None for cell in row] if number == 0 else [_typed(c) for c in row]
        # Without empty cells at the end: openpyxl (frictionless) takes the width of a sheet
        # from its declared dimension, which counts them, calamine (ours) from the cells
        # that hold a value (see the README).
        while cells and cells[-1] is None:
            cells.pop()
        sheet.append(cells)
    book.save(path)


# --- both sides ---------------------------------------------------------------------------


def _plain(path: Path, fmt: str, schema: dict[str, Any] | None) -> list[tuple[Any, ...]]:
    """Plain frictionless: the same schema, or every column `any` when there is none."""
    controls = [frictionless.formats.CsvControl(delimiter=",")] if fmt == "csv" else []
    options: dict[str, Any] = {
        "dialect": frictionless.Dialect(header_rows=[1], controls=controls),
        "limit_errors": 10**9,
    }
    if fmt == "csv":
        options["encoding"] = "utf-8"
    if schema is None:
        options["detector"] = frictionless.Detector(field_type="any")
    else:
        options["schema"] = frictionless.Schema.from_descriptor(schema)
    report = frictionless.validate(path.name, basepath=str(path.parent), **options)
    task = report.tasks[0]
    assert not [e for e in task.errors if e.type in ("source-error", "format-error")], task
    return [
        (e.type, e.to_descriptor().get("rowNumber"), e.to_descriptor().get("fieldNumber"), e.note)
        for e in task.errors
    ]


def _ours(path: Path, fmt: str, table: dict[str, Any]) -> dict[str, Any]:
    options = {"header_row": 1, **({"delimiter": ",", "encoding": "utf-8"} if fmt == "csv" else {})}
    return engine.validate_against(
        path,
        declared_format=fmt,
        dictionary_value=table["schema"],
        options_value=options,
        settings=engine.Settings(
            errors_per_type=10**9,
            detect_number_format=False,
            integrity_memory_keys=table["memory_keys"],
            batch_rows=table["batch_rows"],
        ),
    )


def _skipped_rows(report: dict[str, Any]) -> set[int]:
    """Rows the engine skips on purpose, with a notice: blank rows and notes at the end."""
    skipped: set[int] = set()
    for notice in report["notices"]:
        if notice["code"] in ("blank-rows-ignored", "notes-ignored"):
            skipped.update(range(notice["first"], notice["last"] + 1))
    return skipped


def _check(table: dict[str, Any], fmt: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"tabel.{fmt}"
        (_write_csv if fmt == "csv" else _write_xlsx)(path, _all_rows(table))
        ours = _ours(path, fmt, table)
        plain = _plain(path, fmt, table["schema"])
    assert ours["reason"] is None, ours["reason"]
    skipped = _skipped_rows(ours)
    expected = collections.Counter(f for f in plain if f[1] not in skipped)
    found = collections.Counter(
        (e["type"], e.get("rowNumber"), e.get("fieldNumber"), e["note"]) for e in ours["errors"]
    )
    assert found == expected, {
        "only ours": sorted(found - expected, key=str),
        "only plain frictionless": sorted(expected - found, key=str),
    }
    assert sum(ours["error_counts"].values()) == sum(expected.values())


@_seeded
@_settings(examples=250)
@given(table=tables())
def test_equivalence_csv(table):
    _check(table, "csv")


@_seeded
@_settings(examples=60)
@given(table=tables())
def test_equivalence_xlsx(table):
    _check(table, "xlsx")
