"""Public data: DataStore loads, filtered search, pages and the XLSX download, side by side.

    make bench BENCH=publicdata    # the full run: benchmarks/results/publicdata.json

On one CKAN (test.ini pointed at fresh databases by benchmarks/run.sh, with the DataStore):

- load: the same files loaded by ckanext-sipessut (validation's reader, COPY into a new
  table swapped in whole, indexes) and by ckanext-xloader 2.6 with its defaults
  (`loader.load_csv` then `create_column_indexes`, as its job does): CSV 1M rows x 10
  columns and XLSX 100k rows, each in a fresh child process (time and peak memory), the
  two alternating; the column types each produced;
- search: `datastore_search` with a filter (one kecamatan) on the 1M-row table of each,
  alternating, p50 and p95;
- page: the resource page showing our chart (preview and chart views on the table)
  against the same page showing CKAN's datatables_view, p50 and p95;
- download: the XLSX of the 1M-row table (time, peak memory of the child, size), and
  CKAN's CSV dump of the same table for comparison.

The table is the validation benchmark's (kode wilayah, kecamatan, tahun, a code-list
column, integer counts, decimals with a decimal comma in CSV, dates...).
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))

import validation as table_files  # noqa: E402 - the validation benchmark's table and files

DICTIONARY = json.loads(json.dumps(table_files.SCHEMA))
for _field in DICTIONARY["fields"]:
    _field["title"] = _field["name"].replace("_", " ").title()
DICTIONARY["fields"][5]["satuan"] = "jiwa"
DICTIONARY["fields"][6]["satuan"] = "persen"
DICTIONARY["fields"][6]["ukuran"] = "Persentase"
FILTER = {"kode_wilayah": "64.72.05"}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


# --- in a child process: one CKAN app -----------------------------------------------------


def _app(ini: str):
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    return make_app(load_config(ini))


def _site() -> dict:
    import ckan.plugins.toolkit as tk

    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": user["name"]}


def child_setup(ini: str, count: int) -> None:
    """An OPD, a public dataset and one resource per table to load."""
    app = _app(ini)
    import ckan.plugins.toolkit as tk

    with app._wsgi_app.test_request_context():
        context = _site()
        org = tk.get_action("organization_create")(
            dict(context),
            {"name": "bench-opd", "title": "Bench OPD", "kode_skpd": "2.16.0.00.0.00.01.0000"},
        )
        dataset = tk.get_action("package_create")(
            dict(context),
            {
                "name": "bench-tabel",
                "title": "Tabel benchmark",
                "owner_org": org["id"],
                "notes": "Data benchmark.",
                "sektor": "2",
                "sumber_data": "Benchmark",
                "periode_awal": "2024",
                "jadwal_pemutakhiran": "tahunan",
                "tingkat_penyajian": ["8"],
                "kode_wilayah": "64.72",
                "pengaturan_akses": "terbuka",
            },
        )
        ids = {}
        for name in count:
            created = tk.get_action("resource_create")(
                dict(context),
                {
                    "package_id": dataset["id"],
                    "name": name,
                    "url": f"http://example.com/{name}.csv",
                    "format": "CSV",
                    "data_dictionary": json.dumps(DICTIONARY),
                },
            )
            ids[name] = created["id"]
        # Sysadmins publish directly; the page benchmark is a visitor's.
        tk.get_action("package_patch")(dict(context), {"id": dataset["id"], "private": False})
    print(json.dumps(ids))


def child_load(ini: str, which: str, path: str, resource_id: str) -> None:
    app = _app(ini)
    with app._wsgi_app.test_request_context():
        baseline = _rss_mb()
        started = time.perf_counter()
        fmt = Path(path).suffix.lstrip(".")
        if which == "ours":
            from ckanext.sipessut import validation
            from ckanext.sipessut.publicdata import columns, loader

            table = validation.read_table_path(
                path, declared_format=fmt, dictionary_value=DICTIONARY
            )
            load_columns = columns.load_columns(table.columns)
            rows = loader.Load(resource_id, load_columns, []).run(table.rows)
        else:
            from ckanext.xloader import loader as xloader

            log = logging.getLogger("xloader-bench")
            log.setLevel(logging.WARNING)
            mimetype = (
                "text/csv"
                if fmt == "csv"
                else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            fields = xloader.load_csv(path, resource_id, mimetype=mimetype, logger=log)
            xloader.create_column_indexes(fields, resource_id, log)
            rows = None
        seconds = time.perf_counter() - started
        import ckan.plugins.toolkit as tk

        found = tk.get_action("datastore_search")(_site(), {"resource_id": resource_id, "limit": 0})
        types = {f["id"]: f["type"] for f in found["fields"] if f["id"] != "_id"}
    print(
        json.dumps(
            {
                "seconds": round(seconds, 3),
                "rows": rows if rows is not None else found["total"],
                "peak_rss_mb": round(_peak_mb(), 1),
                "added_mb": round(_peak_mb() - baseline, 1),
                "types": types,
            }
        )
    )


def child_search(ini: str, ours: str, theirs: str, rounds: int) -> None:
    app = _app(ini)
    import ckan.plugins.toolkit as tk

    timings: dict[str, list[float]] = {"ours": [], "xloader": []}
    totals = {}
    with app._wsgi_app.test_request_context():
        search = tk.get_action("datastore_search")
        for number in range(rounds + 5):
            order = [("ours", ours), ("xloader", theirs)]
            if number % 2:
                order.reverse()
            for name, resource_id in order:
                started = time.perf_counter()
                result = search(
                    {"ignore_auth": True},
                    {"resource_id": resource_id, "filters": FILTER, "limit": 100},
                )
                if number >= 5:  # after the warm-up
                    timings[name].append((time.perf_counter() - started) * 1000)
                totals[name] = result["total"]
    print(json.dumps({"timings": timings, "totals": totals}))


def child_page(ini: str, resource_id: str, rounds: int) -> None:
    app = _app(ini)
    import ckan.plugins.toolkit as tk

    with app._wsgi_app.test_request_context():
        views = tk.get_action("resource_view_list")(_site(), {"id": resource_id})
        resource = tk.get_action("resource_show")(_site(), {"id": resource_id})
    by_type = {v["view_type"]: v["id"] for v in views}
    client = app.test_client()
    base = f"/dataset/{resource['package_id']}/resource/{resource_id}"
    urls = {
        "chart": f"{base}?view_id={by_type['sipessut_chart']}",
        "datatables": f"{base}?view_id={by_type['datatables_view']}",
    }
    timings: dict[str, list[float]] = {"chart": [], "datatables": []}
    sizes = {}
    for number in range(rounds + 5):
        order = list(urls.items())
        if number % 2:
            order.reverse()
        for name, url in order:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (url, response.status_code)
            sizes[name] = len(response.get_data())
            if number >= 5:
                timings[name].append(elapsed)
    print(json.dumps({"timings": timings, "bytes": sizes}))


def child_download(ini: str, resource_id: str, fmt: str) -> None:
    app = _app(ini)
    client = app.test_client()
    import ckan.plugins.toolkit as tk

    with app._wsgi_app.test_request_context():
        package_id = tk.get_action("resource_show")(_site(), {"id": resource_id})["package_id"]
    url = (
        f"/dataset/{package_id}/resource/{resource_id}/unduh/xlsx"
        if fmt == "xlsx"
        else f"/datastore/dump/{resource_id}?bom=True"
    )
    baseline = _rss_mb()
    started = time.perf_counter()
    size = 0
    first_byte = None
    with tempfile.NamedTemporaryFile(suffix=f".{fmt}") as target:
        response = client.get(url, buffered=False)
        assert response.status_code == 200, response.status_code
        for chunk in response.response:
            if first_byte is None:
                first_byte = time.perf_counter() - started
            size += len(chunk)
            target.write(chunk)
        response.close()
        seconds = time.perf_counter() - started
        target.flush()
        sheets = None
        if fmt == "xlsx":
            import zipfile

            with zipfile.ZipFile(target.name) as archive:
                sheets = len([n for n in archive.namelist() if n.startswith("xl/worksheets/")])
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "first_byte_s": round(first_byte or 0, 3),
                "bytes": size,
                "sheets": sheets,
                "peak_rss_mb": round(_peak_mb(), 1),
                "added_mb": round(_peak_mb() - baseline, 1),
            }
        )
    )


# --- the parent ------------------------------------------------------------------------


def _child(ini: str, *args: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--ini", ini, "--child", *args],
        capture_output=True,
        text=True,
    )
    if output.returncode:
        sys.stderr.write(output.stderr[-3000:])
        raise RuntimeError(f"benchmark step {args[0]} failed")
    return json.loads(output.stdout.strip().splitlines()[-1])


def _views(ini: str, resource_id: str) -> None:
    """Give a table loaded by us its views, as the load job does."""
    code = "\n".join(
        [
            f"import sys; sys.path.insert(0, {str(HERE)!r})",
            "from publicdata import _app, _site",
            f"app = _app({ini!r})",
            "import ckan.plugins.toolkit as tk",
            "from ckanext.sipessut import validation",
            "from ckanext.sipessut.publicdata import jobs",
            "with app._wsgi_app.test_request_context():",
            f"    r = tk.get_action('resource_show')(_site(), {{'id': {resource_id!r}}})",
            "    jobs._mark_active(r)",
            "    jobs._ensure_views(r, validation.dictionary_of(r))",
        ]
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)


def run(
    ini: str, smoke: bool, repeat: int, sizes: tuple[int | None, int | None, int | None]
) -> dict:
    csv_rows, xlsx_rows = (2000, 1000) if smoke else (1_000_000, 100_000)
    rounds = 20 if smoke else 200
    csv_rows, xlsx_rows, rounds = (
        sizes[0] or csv_rows,
        sizes[1] or xlsx_rows,
        sizes[2] or rounds,
    )
    work = Path(tempfile.mkdtemp(prefix="sipessut-bench-publicdata-"))
    csv_path = table_files.write_csv(work / "tabel.csv", csv_rows)
    xlsx_path = table_files.write_xlsx(work / "tabel.xlsx", xlsx_rows)
    ids = _child(ini, "setup", "ours-csv", "xloader-csv", "ours-xlsx", "xloader-xlsx")
    loads = []
    for name, path, count in (("CSV", csv_path, csv_rows), ("XLSX", xlsx_path, xlsx_rows)):
        runs: dict[str, list[dict]] = {"ours": [], "xloader": []}
        for number in range(repeat):
            order = ["xloader", "ours"] if number % 2 == 0 else ["ours", "xloader"]
            for which in order:
                resource_id = ids[f"{which}-{name.lower()}"]
                runs[which].append(_child(ini, "load", which, str(path), resource_id))
        best = {which: min(r["seconds"] for r in runs[which]) for which in runs}
        loads.append(
            {
                "case": f"{name} {count:,} rows x 10 columns",
                "runs": runs,
                "ours_s": best["ours"],
                "xloader_s": best["xloader"],
                "ratio": round(best["xloader"] / best["ours"], 2),
                "ours_peak_mb": max(r["peak_rss_mb"] for r in runs["ours"]),
                "xloader_peak_mb": max(r["peak_rss_mb"] for r in runs["xloader"]),
                "ours_types": runs["ours"][-1]["types"],
                "xloader_types": runs["xloader"][-1]["types"],
                "rows": runs["ours"][-1]["rows"],
            }
        )
    search = _child(ini, "search", ids["ours-csv"], ids["xloader-csv"], str(rounds))
    search_summary = {
        name: {
            "p50": round(statistics.median(values), 2),
            "p95": round(_percentile(values, 0.95), 2),
        }
        for name, values in search["timings"].items()
    }
    search_summary["totals"] = search["totals"]
    _views(ini, ids["ours-xlsx"])
    page = _child(ini, "page", ids["ours-xlsx"], str(rounds // 2))
    page_summary = {
        name: {
            "p50": round(statistics.median(values), 2),
            "p95": round(_percentile(values, 0.95), 2),
        }
        for name, values in page["timings"].items()
    }
    _views(ini, ids["ours-csv"])
    download = {
        "xlsx": _child(ini, "download", ids["ours-csv"], "xlsx"),
        "csv": _child(ini, "download", ids["ours-csv"], "csv"),
    }
    import ckan

    return {
        "when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "ckan": ckan.__version__,
        },
        "smoke": smoke,
        "loads": loads,
        "search": search_summary,
        "search_ratio_p50": round(
            search_summary["ours"]["p50"] / search_summary["xloader"]["p50"], 2
        ),
        "search_ratio_p95": round(
            search_summary["ours"]["p95"] / search_summary["xloader"]["p95"], 2
        ),
        "page": page_summary,
        "page_bytes": page["bytes"],
        "page_ratio_p50": round(
            page_summary["chart"]["p50"] / page_summary["datatables"]["p50"], 2
        ),
        "download": download,
        "download_rows": csv_rows,
    }


def markdown(results: dict) -> str:
    lines = [
        "## Public data: DataStore loads (ckanext-sipessut against ckanext-xloader 2.6), "
        "search, pages, XLSX download",
        "",
        "| load | ckanext-xloader 2.6 | ckanext-sipessut | ratio (xloader / ours) "
        "| peak RSS xloader / ours |",
        "|---|---|---|---|---|",
    ]
    for load in results["loads"]:
        lines.append(
            f"| {load['case']} | {load['xloader_s']:.1f} s | {load['ours_s']:.1f} s "
            f"| x{load['ratio']} | {load['xloader_peak_mb']:.0f} / {load['ours_peak_mb']:.0f} MB |"
        )
    lines += ["", "| column | xloader type | our type |", "|---|---|---|"]
    load = results["loads"][0]
    for column, ours in load["ours_types"].items():
        lines.append(f"| {column} | {load['xloader_types'].get(column, '-')} | {ours} |")
    search = results["search"]
    lines += [
        "",
        f"`datastore_search` with a filter on {results['download_rows']:,} rows "
        f"({search['totals']['ours']:,} matching): ours p50 {search['ours']['p50']} ms / "
        f"p95 {search['ours']['p95']} ms, xloader's table p50 {search['xloader']['p50']} ms / "
        f"p95 {search['xloader']['p95']} ms: ratio p50 {results['search_ratio_p50']}, "
        f"p95 {results['search_ratio_p95']}.",
        "",
        f"Resource page with the chart: p50 {results['page']['chart']['p50']} ms, "
        f"p95 {results['page']['chart']['p95']} ms; with CKAN's datatables_view: p50 "
        f"{results['page']['datatables']['p50']} ms, p95 {results['page']['datatables']['p95']}"
        f" ms: ratio p50 {results['page_ratio_p50']}.",
        "",
        f"XLSX download of {results['download_rows']:,} rows: "
        f"{results['download']['xlsx']['seconds']} s, first byte after "
        f"{results['download']['xlsx']['first_byte_s']} s, "
        f"{results['download']['xlsx']['bytes'] / 1e6:.1f} MB, peak RSS "
        f"{results['download']['xlsx']['peak_rss_mb']:.0f} MB "
        f"(+{results['download']['xlsx']['added_mb']:.0f} MB); CKAN's CSV dump: "
        f"{results['download']['csv']['seconds']} s, "
        f"{results['download']['csv']['bytes'] / 1e6:.1f} MB, peak RSS "
        f"{results['download']['csv']['peak_rss_mb']:.0f} MB.",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny tables: checks the script")
    parser.add_argument("--repeat", type=int, default=1, help="alternating loads per contender")
    parser.add_argument("--ini", required=True)
    parser.add_argument("--child", nargs="+")
    parser.add_argument("--out", type=Path, default=RESULTS / "publicdata.json")
    parser.add_argument("--csv-rows", type=int, help="rows of the CSV (default 1,000,000)")
    parser.add_argument("--xlsx-rows", type=int, help="rows of the XLSX (default 100,000)")
    parser.add_argument("--rounds", type=int, help="requests per side (default 200)")
    args = parser.parse_args()
    if args.child:
        kind, rest = args.child[0], args.child[1:]
        if kind == "setup":
            child_setup(args.ini, rest)
        elif kind == "load":
            child_load(args.ini, *rest)
        elif kind == "search":
            child_search(args.ini, rest[0], rest[1], int(rest[2]))
        elif kind == "page":
            child_page(args.ini, rest[0], int(rest[1]))
        elif kind == "download":
            child_download(args.ini, rest[0], rest[1])
        return 0
    sizes = (args.csv_rows, args.xlsx_rows, args.rounds)
    results = run(args.ini, args.smoke, 1 if args.smoke else args.repeat, sizes)
    print(markdown(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
