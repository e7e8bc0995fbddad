"""Validation: ckanext-sipessut's engine side by side with plain `frictionless.validate`.

    make bench BENCH=validation    # the full run (~20 min): benchmarks/results/validation.json

Same files, same Table Schema, for both. Every measurement runs in a fresh
child process (so peak memory is that run's own), and the two contenders
alternate: plain, ours, plain, ours, three times each. It writes its numbers
where --out says. Plain frictionless runs with no error limit, so that both
read the whole file; findings are compared as sets of (type, row, column, note).

Cases (the benchmarks issue): a 10-column sectoral table (kode wilayah, kecamatan,
tahun, a code-list column, integer counts, decimals with a decimal comma, dates...)
as CSV with 1M and 100k rows and as XLSX with 100k rows, each clean and with 2% bad
cells, each without and with a primary key and a unique column: throughput (rows/s
and the ratio), peak memory of each, and whether the findings agree.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import json
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
# The 10 kecamatan of Kota Samarinda (Kemendagri codes), as in the portal's wilayah code list.
KECAMATAN = {
    "64.72.01": "Palaran", "64.72.02": "Samarinda Seberang", "64.72.03": "Samarinda Ulu",
    "64.72.04": "Samarinda Ilir", "64.72.05": "Samarinda Utara", "64.72.06": "Sungai Kunjang",
    "64.72.07": "Sambutan", "64.72.08": "Sungai Pinang", "64.72.09": "Samarinda Kota",
    "64.72.10": "Loa Janan Ilir",
}  # fmt: skip
HEADER = [
    "id",
    "kode_wilayah",
    "kecamatan",
    "tahun",
    "jenis_kelamin",
    "jumlah",
    "persentase",
    "tanggal",
    "status",
    "keterangan",
]
PERSENTASE, TANGGAL = HEADER.index("persentase"), HEADER.index("tanggal")
SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True}},
        {
            "name": "kode_wilayah",
            "type": "string",
            "constraints": {"pattern": r"64\.72\.\d{2}", "enum": list(KECAMATAN)},
        },
        {"name": "kecamatan", "type": "string", "constraints": {"required": True}},
        {"name": "tahun", "type": "integer", "constraints": {"minimum": 2000, "maximum": 2030}},
        # A code-list column: the codes of a klasifikasi as an enum, as a dictionary declares it.
        {"name": "jenis_kelamin", "type": "string", "constraints": {"enum": ["L", "P"]}},
        {"name": "jumlah", "type": "integer", "constraints": {"minimum": 0}},
        # Indonesian decimals: "12,5" (in CSV; a workbook holds the number itself).
        {
            "name": "persentase",
            "type": "number",
            "decimalChar": ",",
            "constraints": {"minimum": 0, "maximum": 100},
        },
        {"name": "tanggal", "type": "date"},
        {"name": "status", "type": "string", "constraints": {"enum": ["final", "sementara"]}},
        {"name": "keterangan", "type": "string"},
    ]
}
BAD_VALUES = ["banyak", "-5", "64.72.99", "2024-02-30", "101,5", "X", ""]


def schema_with_keys() -> dict:
    schema = json.loads(json.dumps(SCHEMA))
    schema["primaryKey"] = ["id"]
    schema["fields"][9]["constraints"] = {"unique": True}
    return schema


# --- files -------------------------------------------------------------------------


def rows(count: int, bad_share: float = 0.0, seed: int = 1):
    rng = random.Random(seed)
    start = datetime.date(2024, 1, 1)
    for i in range(1, count + 1):
        code = rng.choice(list(KECAMATAN))
        row = [
            i,
            code,
            KECAMATAN[code],
            rng.choice([2020, 2021, 2022, 2023, 2024]),
            rng.choice(["L", "P"]),
            rng.randint(0, 50000),
            round(rng.random() * 100, 2),
            (start + datetime.timedelta(days=i % 365)).isoformat(),
            rng.choice(["final", "sementara"]),
            f"catatan baris {i}",
        ]
        if bad_share and rng.random() < bad_share * 3:
            row[rng.randrange(1, 10)] = rng.choice(BAD_VALUES)
        if bad_share and rng.random() < bad_share / 4:
            row[0] = max(1, i - rng.randint(1, 50))  # a repeated key
        yield row


def write_csv(path: Path, count: int, bad_share: float = 0.0) -> Path:
    with path.open("w", newline="", encoding="utf-8") as target:
        writer = csv.writer(target)
        writer.writerow(HEADER)
        for row in rows(count, bad_share):
            if isinstance(row[PERSENTASE], float):
                row[PERSENTASE] = f"{row[PERSENTASE]:.2f}".replace(".", ",")
            writer.writerow(row)
    return path


def write_xlsx(path: Path, count: int, bad_share: float = 0.0) -> Path:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append(HEADER)
    for row in rows(count, bad_share):
        with contextlib.suppress(TypeError, ValueError):
            row[TANGGAL] = datetime.date.fromisoformat(row[TANGGAL])
        sheet.append(row)
    book.save(path)
    return path


# --- one measured run, in a child process ------------------------------------------------


def child(which: str, path: str, schema_path: str, findings_path: str) -> None:
    schema = json.loads(Path(schema_path).read_text())
    if which == "plain":
        import frictionless

        baseline = _rss_mb()
        started = time.perf_counter()
        report = frictionless.validate(
            Path(path).name,
            basepath=str(Path(path).parent),
            schema=frictionless.Schema.from_descriptor(schema),
            limit_errors=10**9,
        )
        seconds = time.perf_counter() - started
        task = report.tasks[0]
        found = [
            [
                e.type,
                e.to_descriptor().get("rowNumber"),
                e.to_descriptor().get("fieldNumber"),
                e.note,
            ]
            for e in task.errors
        ]
        rows_read = task.stats.get("rows") if isinstance(task.stats, dict) else task.stats.rows
    else:
        sys.path.insert(0, str(HERE.parent))
        from ckanext.sipessut.validation import engine

        baseline = _rss_mb()
        started = time.perf_counter()
        report = engine.validate_against(
            path,
            declared_format=Path(path).suffix.lstrip("."),
            dictionary_value=schema,
            settings=engine.Settings(
                max_bytes=10**11,
                max_rows=10**9,
                max_uncompressed=10**11,
                errors_per_type=10**9,
                detect_number_format=False,
            ),
        )
        seconds = time.perf_counter() - started
        found = [
            [e["type"], e.get("rowNumber"), e.get("fieldNumber"), e["note"]]
            for e in report["errors"]
        ]
        rows_read = report["stats"]["rows"]
    Path(findings_path).write_text(json.dumps(found))
    print(
        json.dumps(
            {
                "seconds": round(seconds, 3),
                "rows": rows_read,
                "peak_rss_mb": round(_peak_mb(), 1),
                "baseline_rss_mb": round(baseline, 1),
                "errors": len(found),
            }
        )
    )


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(which: str, path: Path, schema: dict, work: Path) -> tuple[dict, set]:
    schema_path = work / "schema.json"
    schema_path.write_text(json.dumps(schema))
    findings_path = work / f"findings-{which}.json"
    output = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            which,
            str(path),
            str(schema_path),
            str(findings_path),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    found = {tuple(item) for item in json.loads(findings_path.read_text())}
    return result, found


def compare(name: str, path: Path, schema: dict, work: Path, repeat: int) -> dict:
    """Alternate plain and ours `repeat` times; keep every run and the best time."""
    runs: dict[str, list[dict]] = {"plain": [], "ours": []}
    findings: dict[str, set] = {}
    for _ in range(repeat):
        for which in ("plain", "ours"):
            result, found = measure(which, path, schema, work)
            runs[which].append(result)
            findings[which] = found
    best = {which: min(r["seconds"] for r in results) for which, results in runs.items()}
    rows_read = runs["ours"][0]["rows"]
    summary = {
        "case": name,
        "file_bytes": path.stat().st_size,
        "rows": rows_read,
        "plain": runs["plain"],
        "ours": runs["ours"],
        "plain_rows_per_s": round(rows_read / best["plain"]),
        "ours_rows_per_s": round(rows_read / best["ours"]),
        "speedup": round(best["plain"] / best["ours"], 2),
        "plain_peak_mb": max(r["peak_rss_mb"] for r in runs["plain"]),
        "ours_peak_mb": max(r["peak_rss_mb"] for r in runs["ours"]),
        # What validating adds to the process (ours imports CKAN first, as a portal has).
        "plain_added_mb": max(r["peak_rss_mb"] - r["baseline_rss_mb"] for r in runs["plain"]),
        "ours_added_mb": max(r["peak_rss_mb"] - r["baseline_rss_mb"] for r in runs["ours"]),
        "findings_identical": findings["plain"] == findings["ours"],
        "findings": len(findings["ours"]),
    }
    print(
        f"{name}: plain {best['plain']:.1f}s ({summary['plain_rows_per_s']:,} rows/s, "
        f"{summary['plain_peak_mb']} MB), ours {best['ours']:.1f}s "
        f"({summary['ours_rows_per_s']:,} rows/s, {summary['ours_peak_mb']} MB), "
        f"x{summary['speedup']}, findings identical: {summary['findings_identical']} "
        f"({summary['findings']})",
        flush=True,
    )
    return summary


def run(smoke: bool, work: Path, repeat: int) -> dict:
    """Every file (CSV 1M and 100k rows, XLSX 100k rows), clean and with 2% bad cells,
    each without and with a primary key + unique column."""
    big, medium = (2_000, 500) if smoke else (1_000_000, 100_000)
    files = [("CSV", big, write_csv), ("CSV", medium, write_csv), ("XLSX", medium, write_xlsx)]
    cases = []
    for kind, count, write in files:
        for bad_share in (0.0, 0.02):
            cells = "2% bad cells" if bad_share else "clean"
            path = write(work / f"{kind}-{count}-{cells[:3]}.{kind.lower()}", count, bad_share)
            for keys, schema in (("no key", SCHEMA), ("primary key + unique", schema_with_keys())):
                name = f"{kind} {count:,} rows, {cells}, {keys}"
                cases.append(compare(name, path, schema, work, repeat))
            path.unlink()
    import frictionless

    return {
        "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": __import__("os").cpu_count(),
            "processor": platform.processor() or platform.machine(),
        },
        "frictionless": frictionless.__version__,
        "smoke": smoke,
        "cases": cases,
    }


def markdown(results: dict) -> str:
    lines = [
        "## Validation: ckanext-sipessut against plain frictionless.validate, same files, schema",
        "",
        "| case | plain frictionless | ckanext-sipessut | speed-up "
        "| peak RSS plain / ours (added by validating) | same findings |",
        "|---|---|---|---|---|---|",
    ]
    for case in results["cases"]:
        plain = min(r["seconds"] for r in case["plain"])
        ours = min(r["seconds"] for r in case["ours"])
        lines.append(
            f"| {case['case']} | {plain:.1f} s ({case['plain_rows_per_s']:,} rows/s) "
            f"| {ours:.1f} s ({case['ours_rows_per_s']:,} rows/s) | x{case['speedup']} "
            f"| {case['plain_peak_mb']:.0f} / {case['ours_peak_mb']:.0f} MB "
            f"({case['plain_added_mb']:.0f} / {case['ours_added_mb']:.0f} MB) "
            f"| {'yes' if case['findings_identical'] else 'NO'} ({case['findings']:,} findings) |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--smoke", action="store_true", help="tiny files, one run: checks the script"
    )
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs per contender")
    parser.add_argument("--child", nargs=4, metavar=("WHICH", "FILE", "SCHEMA", "FINDINGS"))
    parser.add_argument("--out", type=Path, default=RESULTS / "validation.json")
    parser.add_argument("--ini", help="accepted for benchmarks/run.sh; the engine needs no portal")
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    with tempfile.TemporaryDirectory(prefix="sipessut-bench-") as work:
        results = run(args.smoke, Path(work), 1 if args.smoke else args.repeat)
    print(markdown(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    return 0 if all(case["findings_identical"] for case in results["cases"]) else 1


if __name__ == "__main__":
    sys.exit(main())
