"""The monitoring page and its XLSX export at scale: no per-dataset work.

One portal (sipessut scheming_datasets scheming_organizations activity) loaded with the
generated catalogue of request_overhead.py over 100 OPDs: first 1,000 data tables, then
grown to 10,000. At each size, one `ckan run` process answers rounds of, alternating in
order: the Walidata's monitoring page (/walidata/monitoring, as a sysadmin), its XLSX
export, and CKAN's own search page (/dataset/, as a visitor), the page a portal already
serves at that size.

Targets (issue 15): monitoring at 10,000 / monitoring at 1,000 < 2 (p50), the same for the
XLSX export, and monitoring at 10,000 / the search page at 10,000 <= 2 (p50).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import requests
from request_overhead import Portal, load, percentile

OPDS = 100
TIMEOUT = 120
MODES = {
    "full": {"sizes": [1000, 10000], "rounds": 30, "warmup": 5, "opds": OPDS},
    "smoke": {"sizes": [20, 40], "rounds": 2, "warmup": 1, "opds": 5},
}
PAGES = {
    "monitoring page": ("/walidata/monitoring", True),
    "monitoring XLSX": ("/walidata/monitoring/ekspor.xlsx", True),
    "search page": ("/dataset/", False),
    "search page, signed in": ("/dataset/", True),
}


def sysadmin_token(ini: Path) -> str:
    ckan = str(Path(sys.executable).with_name("ckan"))
    subprocess.run(
        [ckan, "-c", str(ini), "user", "add", "bench", "email=bench@example.invalid",
         "password=bench-password-123"],
        check=False, capture_output=True,
    )  # fmt: skip
    subprocess.run([ckan, "-c", str(ini), "sysadmin", "add", "bench"], check=True,
                   capture_output=True, input=b"y\n")  # fmt: skip
    made = subprocess.run(
        [ckan, "-c", str(ini), "user", "token", "add", "bench", "bench"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return made.stdout.strip().splitlines()[-1].strip()


def measure(portal: Portal, token: str, rounds: int, warmup: int) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {}
    walidata, visitor = requests.Session(), requests.Session()
    walidata.headers["Authorization"] = token
    names = list(PAGES)
    for round_number in range(warmup + rounds):
        order = names if round_number % 2 == 0 else list(reversed(names))
        for name in order:
            path, as_walidata = PAGES[name]
            session = walidata if as_walidata else visitor
            began = time.perf_counter()
            response = session.get(portal.url + path, timeout=TIMEOUT)
            body = response.content  # read the whole (streamed) answer
            elapsed = time.perf_counter() - began
            if response.status_code != 200 or not body:
                raise RuntimeError(f"{path}: HTTP {response.status_code}")
            if round_number >= warmup:
                samples.setdefault(name, []).append(elapsed)
    return samples


def run(ini: Path, port: int, mode: dict, workdir: Path) -> dict:
    result: dict = {"benchmark": "monitoring", "opds": mode["opds"], "load_seconds": {}, "rows": []}
    token = None
    loaded = 0
    for size in mode["sizes"]:
        result["load_seconds"][size] = round(
            load(ini, "sipessut", size - loaded, loaded, workdir, mode["opds"]), 1
        )
        loaded = size
        token = token or sysadmin_token(ini)
        portal = Portal("sipessut", ini, port)
        try:
            portal.start(workdir / "monitoring-server.log")
            samples = measure(portal, token, mode["rounds"], mode["warmup"])
        finally:
            portal.stop()
        for name, values in samples.items():
            result["rows"].append(
                {
                    "datasets": size,
                    "page": name,
                    "requests": len(values),
                    "p50_ms": round(percentile(values, 0.5) * 1000, 1),
                    "p95_ms": round(percentile(values, 0.95) * 1000, 1),
                }
            )
    small, large = mode["sizes"][0], mode["sizes"][-1]
    p50 = {(r["datasets"], r["page"]): r["p50_ms"] for r in result["rows"]}
    result["ratios"] = {
        "monitoring page, largest / smallest": round(
            p50[(large, "monitoring page")] / p50[(small, "monitoring page")], 3
        ),
        "monitoring XLSX, largest / smallest": round(
            p50[(large, "monitoring XLSX")] / p50[(small, "monitoring XLSX")], 3
        ),
        "monitoring page / search page, largest": round(
            p50[(large, "monitoring page")] / p50[(large, "search page")], 3
        ),
        "monitoring page / search page signed in, largest": round(
            p50[(large, "monitoring page")] / p50[(large, "search page, signed in")], 3
        ),
    }
    return result


TARGETS = {
    "monitoring page, largest / smallest": ("<", 2.0),
    "monitoring XLSX, largest / smallest": ("<", 2.0),
    "monitoring page / search page, largest": ("<=", 2.0),
    "monitoring page / search page signed in, largest": ("<=", 2.0),
}


def markdown(result: dict) -> str:
    lines = [
        f"## Monitoring per OPD at scale ({result['opds']} OPDs)",
        "",
        "| datasets | page | requests | p50 ms | p95 ms |",
        "|---|---|---|---|---|",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['datasets']} | {row['page']} | {row['requests']} | {row['p50_ms']} "
            f"| {row['p95_ms']} |"
        )
    lines += ["", "| ratio (p50) | measured | target |", "|---|---|---|"]
    for name, value in result["ratios"].items():
        op, target = TARGETS[name]
        met = value < target if op == "<" else value <= target
        lines.append(f"| {name} | {value} | {op} {target} ({'met' if met else 'NOT met'}) |")
    lines += [
        "",
        "Catalogue load time (ckanapi load, 2 processes), seconds: "
        + ", ".join(f"up to {s}: {t}" for s, t in result["load_seconds"].items()),
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ini", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument(
        "--sizes", help="catalogue sizes instead of 1000,10000 (e.g. 300,3000 on a busy machine)"
    )
    args = parser.parse_args()
    mode = dict(MODES["smoke" if args.smoke else "full"])
    if args.sizes:
        mode["sizes"] = [int(size) for size in args.sizes.split(",")]
    result = run(args.ini, args.port, mode, args.workdir)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
