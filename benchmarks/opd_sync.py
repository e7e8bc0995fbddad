"""OPD registry sync on the real stack: a generated registry of 500 OPDs, cold and no-op.

    make bench BENCH=opd_sync          # fresh database, writes benchmarks/results/opd_sync.json

`make bench` (benchmarks/run.sh) starts PostgreSQL, Redis and Solr, creates an
empty `ckan_bench` database and runs this script against it. The script syncs the
generated registry on the empty portal (cold: 500 organization_create calls
through CKAN's action layer), syncs it again (no-op: nothing may change and no
activity may be written), and writes the timings to
benchmarks/results/opd_sync.json.

--smoke syncs 5 OPDs twice, checks that the second run is a no-op and writes
its numbers where --out says: `make test` runs it so that this benchmark never
rots.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_RATIO = 0.10  # the no-op sync should cost under 10% of the cold one


def generate_registry(size: int, smoke: bool) -> str:
    """A valid registry of `size` OPDs: every bidang urusan in turn, contacts on
    some, and every tenth OPD a unit under the one before it (so that sync has
    to order parents first)."""
    from ckanext.sipessut import codelists

    bidang = [code.code for code in codelists.get("bidang_urusan").codes]
    lines = ["format: 1", "opd:"]
    parent = None
    for i in range(size):
        code_bidang = bidang[i % len(bidang)]
        serial = 1 + i // len(bidang)
        # Smoke codes use sub-units 9000+ so they never meet the test suite's OPDs.
        unit = 9000 + i if smoke else 0
        kode = f"{code_bidang}.0.00.0.00.{serial:02d}.{unit:04d}"
        name = f"bench-smoke-{i:03d}" if smoke else f"opd-{i:04d}"
        lines += [
            f'  - kode_skpd: "{kode}"',
            f"    name: {name}",
            f"    title: Dinas Uji Coba {i}",
            f'    bidang_urusan: ["{code_bidang}"]',
            f"    singkatan: DUC{i}",
            f"    alias: [Dinas Percobaan {i}]",
            "    kode_skpd_status: sementara",
        ]
        if i % 3 == 0:
            lines += [
                f"    alamat: Jl. Uji Coba No. {i}",
                "    telepon: (0541) 741234",
                f"    email: opd{i}@example.org",
                f"    website: https://opd{i}.example.org",
            ]
        if i == 0 and not smoke:
            lines.append("    peran: walidata")
        if i % 10 == 9 and parent:
            lines.append(f'    induk: "{parent}"')
        else:
            parent = kode
    return "\n".join(lines) + "\n"


def activity_count() -> int:
    import ckan.model as model
    from ckanext.activity.model import Activity

    return model.Session.query(Activity).count()


def run(size: int, smoke: bool) -> dict:
    import ckan
    import ckan.plugins.toolkit as tk

    text = generate_registry(size, smoke)
    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]

    def sync() -> tuple[float, dict]:
        started = time.perf_counter()
        result = tk.get_action("sipessut_opd_sync")({"user": user}, {"registry": text})
        return time.perf_counter() - started, result

    existing = len(tk.get_action("organization_list")({"ignore_auth": True}, {"all_fields": False}))
    if existing and not smoke:
        raise SystemExit(
            f"the portal already has {existing} organizations: run on an empty database "
            "(make bench BENCH=opd_sync creates one)"
        )
    cold_seconds, cold = sync()
    activities = activity_count()
    noop_seconds, noop = sync()
    if noop["changes"] or activity_count() != activities:
        raise SystemExit(f"the second sync was not a no-op: {noop['changes'][:3]}")
    if not smoke and cold["summary"]["create"] != size:
        raise SystemExit(f"cold sync created {cold['summary']['create']} OPDs, not {size}")
    return {
        "benchmark": "opd_sync",
        "opd": size,
        "cold_seconds": round(cold_seconds, 2),
        "noop_seconds": round(noop_seconds, 3),
        "noop_ratio": round(noop_seconds / cold_seconds, 4),
        "cold_ms_per_opd": round(1000 * cold_seconds / size, 1),
        "noop_ms_per_opd": round(1000 * noop_seconds / size, 2),
        "target_noop_ratio": TARGET_RATIO,
        "ckan": ckan.__version__,
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "date": time.strftime("%Y-%m-%d"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", default=str(HERE.parent / "test.ini"), help="CKAN config file")
    parser.add_argument("--size", type=int, default=500, help="OPDs in the registry")
    parser.add_argument("--out", default=str(HERE / "results" / "opd_sync.json"))
    parser.add_argument("--smoke", action="store_true", help="5 OPDs: proves the benchmark works")
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.ini))
    with app._wsgi_app.test_request_context():
        numbers = run(5 if args.smoke else args.size, args.smoke)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(numbers, indent=2) + "\n")
    print(json.dumps(numbers, indent=2))
    verdict = "met" if numbers["noop_ratio"] < TARGET_RATIO else "NOT met"
    print(f"no-op / cold = {numbers['noop_ratio']:.1%} (target < {TARGET_RATIO:.0%}: {verdict})")
    # A smoke run syncs 5 OPDs: its ratio means nothing, only that it worked.
    return 0 if args.smoke or numbers["noop_ratio"] < TARGET_RATIO else 1


def markdown(result: dict) -> str:
    verdict = "met" if result["noop_ratio"] < result["target_noop_ratio"] else "NOT met"
    return (
        f"## OPD registry sync: {result['opd']} generated OPDs on an empty portal\n\n"
        "| CKAN | cold sync | no-op re-run | no-op / cold | target |\n"
        "|---|---|---|---|---|\n"
        f"| {result['ckan']} | {result['cold_seconds']} s ({result['cold_ms_per_opd']} ms/OPD) "
        f"| {result['noop_seconds']} s | {result['noop_ratio']:.1%} "
        f"| < {result['target_noop_ratio']:.0%} ({verdict}) |\n"
    )


if __name__ == "__main__":
    sys.exit(main())
