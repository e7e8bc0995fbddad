"""The Walidata's review queue at 50 and at 5,000 waiting datasets, in one run.

    make bench BENCH=review_queue      # fresh database, writes benchmarks/results/review_queue.json

`make bench` (benchmarks/run.sh) starts PostgreSQL, Redis and Solr, creates an empty
`ckan_bench` database and runs this script against it. The script makes 20 OPDs and
the Walidata, then datasets waiting for review (each with a table whose validation
status varies), and times `sipessut_review_queue` as a Walidata reviewer at 50 waiting
datasets, then again after the queue has grown to 5,000: the first page, a page deep
in the list (its last rows), and the page filtered by validation status and by OPD, each
case a page of the same length at both sizes. The queue filters, counts and pages in the
database, so the ratio of the two p50 should stay under 2.

The waiting datasets are written as rows (packages, resources, review states) rather
than through package_create: the queue reads only the database, and 5,000 dataset
creations through CKAN would take most of the run.

--smoke does 5 and 50 datasets with a few rounds: `make test` runs it so that the
harness never rots.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_RATIO = 2.0  # p50 at 5,000 waiting datasets / p50 at 50
PAGE = 50  # the queue page's default length
OPDS = 20
STATUSES = ("valid", "invalid", "error", "pending", None)


def _setup() -> tuple[dict, list[str]]:
    import ckan.plugins.toolkit as tk
    from ckan.tests import factories

    walidata = factories.Organization(kode_skpd="2.16.0.00.0.00.01.0000", peran="walidata")
    reviewer = factories.User()
    tk.get_action("member_create")(
        {"ignore_auth": True},
        {
            "id": walidata["id"],
            "object": reviewer["id"],
            "object_type": "user",
            "capacity": "editor",
        },
    )
    opds = [
        factories.Organization(kode_skpd=f"1.01.0.00.0.00.{i + 2:02d}.0000")["id"]
        for i in range(OPDS)
    ]
    return reviewer, opds


def _add_waiting(count: int, start: int, opds: list[str]) -> None:
    """`count` private datasets waiting for the Walidata, with a table each."""
    import sqlalchemy as sa
    from ckan import model

    from ckanext.sipessut.review import model as review_model

    now = datetime.datetime.utcnow()
    packages, resources, states = [], [], []
    for i in range(start, start + count):
        package_id = str(uuid.uuid4())
        packages.append(
            {
                "id": package_id,
                "name": f"antre-{i:05d}",
                "title": f"Data uji antrean {i}",
                "type": "dataset",
                "owner_org": opds[i % len(opds)],
                "private": True,
                "state": "active",
                "metadata_created": now,
                "metadata_modified": now,
            }
        )
        status = STATUSES[i % len(STATUSES)]
        resources.append(
            {
                "id": str(uuid.uuid4()),
                "package_id": package_id,
                "url": f"http://example.com/tabel-{i}.csv",
                "format": "CSV",
                "extras": json.dumps({"validation_status": status} if status else {}),
                "state": "active",
                "position": 0,
            }
        )
        states.append(
            {
                "package_id": package_id,
                "state": "diajukan",
                "changed_at": now,
                "submitted_at": now - datetime.timedelta(hours=i),
            }
        )
    model.Session.execute(model.Package.__table__.insert(), packages)
    model.Session.execute(model.Resource.__table__.insert(), resources)
    model.Session.execute(review_model.review_state.insert(), states)
    model.Session.commit()
    # Rows written in bulk: give the planner their statistics, as autovacuum does on a
    # portal within a minute of such a change (without them it plans for a handful of rows).
    model.Session.execute(sa.text("ANALYZE package, resource, sipessut_review_state"))
    model.Session.commit()


def _time(reviewer: dict, params: dict, rounds: int) -> dict:
    import ckan.plugins.toolkit as tk

    seconds = []
    for _ in range(rounds):
        started = time.perf_counter()
        result = tk.get_action("sipessut_review_queue")({"user": reviewer["name"]}, dict(params))
        seconds.append(time.perf_counter() - started)
    ordered = sorted(seconds)
    return {
        "p50_ms": round(1000 * statistics.median(ordered), 2),
        "p95_ms": round(1000 * ordered[max(0, int(len(ordered) * 0.95) - 1)], 2),
        "count": result["count"],
        "page": len(result["results"]),
    }


def run(small: int, large: int, rounds: int) -> dict:
    import ckan

    reviewer, opds = _setup()

    def cases(waiting: int) -> dict[str, dict]:
        """Each case asks for a page of the same length at both sizes (what the small
        queue can fill), so that the ratio measures the queue's size, not the page's."""
        page = min(PAGE, small)
        deep = max(1, page // 5)
        return {
            "first page": {"limit": page},
            "deep page": {"offset": waiting - deep, "limit": deep},
            "invalid only": {"validation": "invalid", "limit": max(1, small // len(STATUSES))},
            "one OPD": {"organization": opds[3], "limit": max(1, small // OPDS)},
        }

    _add_waiting(small, 0, opds)
    at_small = {name: _time(reviewer, params, rounds) for name, params in cases(small).items()}
    _add_waiting(large - small, small, opds)
    at_large = {name: _time(reviewer, params, rounds) for name, params in cases(large).items()}
    rows = [
        {
            "case": name,
            "small": at_small[name],
            "large": at_large[name],
            "ratio_p50": round(at_large[name]["p50_ms"] / at_small[name]["p50_ms"], 2),
        }
        for name in at_small
    ]
    return {
        "benchmark": "review_queue",
        "small": small,
        "large": large,
        "rounds": rounds,
        "cases": rows,
        "target_ratio": TARGET_RATIO,
        "ckan": ckan.__version__,
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "date": time.strftime("%Y-%m-%d"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ini", default=str(HERE.parent / "test.ini"), help="CKAN config file")
    parser.add_argument("--out", default=str(HERE / "results" / "review_queue.json"))
    parser.add_argument("--smoke", action="store_true", help="5 and 50 datasets, a few rounds")
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.ini))
    with app._wsgi_app.test_request_context():
        numbers = run(5, 50, 3) if args.smoke else run(50, 5000, 30)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(numbers, indent=2) + "\n")
    print(markdown(numbers))
    met = all(row["ratio_p50"] < TARGET_RATIO for row in numbers["cases"])
    return 0 if args.smoke or met else 1


def markdown(result: dict) -> str:
    lines = [
        f"## Review queue: {result['small']} and {result['large']:,} waiting datasets "
        f"({result['rounds']} calls each, CKAN {result['ckan']}, {result['date']})\n",
        "| case | p50 / p95 ms at "
        f"{result['small']} | p50 / p95 ms at {result['large']:,} | ratio p50 | target |",
        "|---|---|---|---|---|",
    ]
    for row in result["cases"]:
        verdict = "met" if row["ratio_p50"] < result["target_ratio"] else "NOT met"
        lines.append(
            f"| {row['case']} | {row['small']['p50_ms']} / {row['small']['p95_ms']} "
            f"| {row['large']['p50_ms']} / {row['large']['p95_ms']} | {row['ratio_p50']} "
            f"| < {result['target_ratio']} ({verdict}) |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
