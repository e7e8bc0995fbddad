"""Runs the benchmarks and writes results/latest.json and results/latest.md.

Called by benchmarks/run.sh, which prepares the stack and the portals; see the
README's Performance section for what each figure means and its target.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import sys
from pathlib import Path

import request_overhead

MODES = {
    # sizes of the catalogue, measured rounds, warm-up rounds
    "full": {"sizes": [1000, 10000], "rounds": 40, "warmup": 5},
    "smoke": {"sizes": [20], "rounds": 2, "warmup": 1},
}

# Targets from the issues, next to each figure (ratio sipessut / plain).
REQUEST_TARGETS = {
    "package_show": 1.10,
    "package_search": 1.15,
    "dataset page": 1.15,
    "search page": 1.15,
}


def markdown(results: dict) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"{results['mode']} run, {results['date']}, {results['machine']}.",
        "",
        "## Request overhead: sipessut against scheming_datasets with CKAN's default schema",
        "",
        "| datasets | endpoint | requests | sipessut p50 / p95 ms | plain p50 / p95 ms "
        "| ratio p50 | ratio p95 | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in results["request_overhead"]["rows"]:
        target = REQUEST_TARGETS[row["endpoint"]]
        met = "met" if row["ratio_p50"] <= target else "NOT met"
        lines.append(
            f"| {row['datasets']} | {row['endpoint']} | {row['requests']} "
            f"| {row['sipessut_p50_ms']} / {row['sipessut_p95_ms']} "
            f"| {row['plain_p50_ms']} / {row['plain_p95_ms']} "
            f"| {row['ratio_p50']} | {row['ratio_p95']} | <= {target} ({met}) |"
        )
    lines += ["", "Catalogue load time (ckanapi load, 2 processes), seconds:", ""]
    for flavour, sizes in results["request_overhead"]["load_seconds"].items():
        lines.append(f"- {flavour}: " + ", ".join(f"up to {s}: {t}" for s, t in sizes.items()))
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=sorted(MODES), default="full")
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--ini-sipessut", type=Path, required=True)
    parser.add_argument("--ini-plain", type=Path, required=True)
    parser.add_argument("--port-sipessut", type=int, required=True)
    parser.add_argument("--port-plain", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    mode = MODES[args.mode]
    results = {
        "mode": args.mode,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}",
        "request_overhead": request_overhead.run(
            inis={"sipessut": args.ini_sipessut, "plain": args.ini_plain},
            ports={"sipessut": args.port_sipessut, "plain": args.port_plain},
            sizes=mode["sizes"],
            rounds=mode["rounds"],
            warmup=mode["warmup"],
            workdir=args.workdir,
        ),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "latest.md").write_text(markdown(results))
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
