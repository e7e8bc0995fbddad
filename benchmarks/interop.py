"""Interop: our DCAT profile against ckanext-dcat's stock one, and a real harvest.

1. RDF, side by side on one portal and one catalogue (N generated datasets, loaded with
   request_overhead.load): `/catalog.ttl?page=P` and `/dataset/<name>.jsonld` with the
   portal's profiles (`euro_dcat_ap_3 sipessut_satudata`) against `?profiles=euro_dcat_ap_3`
   (ckanext-dcat's stock DCAT-AP 3 alone), in alternating rounds; p50 and p95, ratio.
2. Harvest: a second, plain CKAN (ckanext-harvest's CKAN harvester, as in the tests)
   harvests the first M published datasets through /sdi: time of the first harvest,
   datasets lost (published here, not arriving there), then one dataset changes and the
   incremental re-harvest is timed (and must update that one only). ckanext-harvest's CKAN
   harvester asks for the datasets changed since one hour before its last job began, so
   the catalogue is dated two hours back before the first harvest (as a portal's
   catalogue is, harvested daily): the re-harvest then fetches what changed, not every
   dataset made in the benchmark's last minutes.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).parent))
from request_overhead import Portal, load, percentile  # noqa: E402

TIMEOUT = 120
# ckanext-harvest's CKAN harvester re-fetches what changed up to one hour before its
# previous job (ckanharvester.py, gather_stage); the catalogue is dated back past that.
BACKDATE_HOURS = 2
STOCK = "euro_dcat_ap_3"
MODES = {
    "full": {"rdf_datasets": 10000, "harvest_datasets": 1000, "rounds": 60, "warmup": 5},
    "smoke": {"rdf_datasets": 20, "harvest_datasets": 10, "rounds": 2, "warmup": 1},
}
TARGETS = {"catalog.ttl page": 1.2, "dataset .jsonld": 1.2}


def measure_rdf(portal: Portal, count: int, rounds: int, warmup: int) -> list[dict]:
    rng = random.Random(11)
    pages = max(1, count // 100)
    samples: dict[tuple[str, str], list[float]] = {}
    session = requests.Session()
    for round_number in range(warmup + rounds):
        name = f"data-{rng.randrange(count):06d}"
        page = rng.randrange(1, pages + 1)
        for endpoint, path in (
            ("catalog.ttl page", f"/catalog.ttl?page={page}"),
            ("dataset .jsonld", f"/dataset/{name}.jsonld"),
        ):
            flavours = [("sipessut", ""), ("stock", STOCK)]
            if round_number % 2:
                flavours.reverse()
            for flavour, profiles in flavours:
                url = portal.url + path
                if profiles:
                    url += ("&" if "?" in url else "?") + f"profiles={profiles}"
                began = time.perf_counter()
                response = session.get(url, timeout=TIMEOUT)
                elapsed = time.perf_counter() - began
                if response.status_code != 200:
                    raise RuntimeError(f"{url}: HTTP {response.status_code}")
                if round_number >= warmup:
                    samples.setdefault((endpoint, flavour), []).append(elapsed)
    rows = []
    for endpoint in TARGETS:
        ours, stock = samples[(endpoint, "sipessut")], samples[(endpoint, "stock")]
        rows.append(
            {
                "datasets": count,
                "endpoint": endpoint,
                "requests": len(ours),
                "sipessut_p50_ms": round(percentile(ours, 0.5) * 1000, 1),
                "sipessut_p95_ms": round(percentile(ours, 0.95) * 1000, 1),
                "stock_p50_ms": round(percentile(stock, 0.5) * 1000, 1),
                "stock_p95_ms": round(percentile(stock, 0.95) * 1000, 1),
                "ratio_p50": round(percentile(ours, 0.5) / percentile(stock, 0.5), 3),
                "ratio_p95": round(percentile(ours, 0.95) / percentile(stock, 0.95), 3),
            }
        )
    return rows


def measure_harvest(portal: Portal, ini: Path, count: int, workdir: Path, env: dict) -> dict:
    """The plain CKAN of the tests harvests `count` published datasets through /sdi."""
    import os

    os.environ.update(env)
    from ckanext.sipessut.tests.interop import harvesting

    result: dict = {"datasets": count}
    with harvesting.plain_ckan(workdir) as plain:
        source = plain.source("bench-ckan", f"{portal.url}/sdi", "ckan")
        began = time.perf_counter()
        stats = plain.harvest(source)
        result["first_seconds"] = round(time.perf_counter() - began, 1)
        result["first_stats"] = stats
        arrived = {p["name"] for p in plain.datasets().values() if p["state"] == "active"}
        expected = {f"data-{n:06d}" for n in range(count)}
        result["lost"] = len(expected - arrived)
        # one dataset changes on our side (through our API, as a steward would)
        token = _token(ini)
        changed = "data-000000"
        response = requests.post(
            f"{portal.url}/api/3/action/package_patch",
            json={"id": changed, "notes": "Angka diperbarui (benchmark)."},
            headers={"Authorization": token},
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        began = time.perf_counter()
        stats = plain.harvest(source)
        result["incremental_seconds"] = round(time.perf_counter() - began, 1)
        result["incremental_stats"] = stats
        result["incremental_ratio"] = round(
            result["incremental_seconds"] / result["first_seconds"], 3
        )
    return result


def backdate(ini: Path, hours: int) -> None:
    """Every dataset's metadata_modified `hours` earlier, in the database and the index."""
    import configparser
    import subprocess

    import sqlalchemy as sa

    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ini)
    engine = sa.create_engine(parser["app:main"]["sqlalchemy.url"])
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "UPDATE package SET metadata_modified = metadata_modified"
                " - make_interval(hours => :h)"
            ),
            {"h": hours},
        )
    engine.dispose()
    ckan = str(Path(sys.executable).with_name("ckan"))
    subprocess.run(
        [ckan, "-c", str(ini), "search-index", "rebuild", "-q"],
        check=True,
        capture_output=True,
        timeout=1800,
    )


def _token(ini: Path) -> str:
    import subprocess

    ckan = str(Path(sys.executable).with_name("ckan"))
    user = "bench-admin"
    subprocess.run([ckan, "-c", str(ini), "user", "add", user, "email=bench@example.org",
                    "password=bench-password-123"], capture_output=True, check=False)  # fmt: skip
    subprocess.run([ckan, "-c", str(ini), "sysadmin", "add", user], capture_output=True, check=True)
    done = subprocess.run([ckan, "-c", str(ini), "user", "token", "add", "-q", user, "bench"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return done.stdout.strip().splitlines()[-1]


def run(args: argparse.Namespace) -> dict:
    mode = MODES["smoke" if args.smoke else "full"]
    workdir = args.workdir
    env = {
        "SIPESSUT_HARVEST_DB_URL": args.harvest_db,
        "SIPESSUT_HARVEST_SOLR_URL": args.harvest_solr,
        "SIPESSUT_HARVEST_REDIS_URL": args.harvest_redis,
        "SIPESSUT_HARVEST_PORT": str(args.harvest_port),
    }
    result: dict = {"benchmark": "interop", "load_seconds": {}}
    harvest_size = mode["harvest_datasets"]
    result["load_seconds"][harvest_size] = round(
        load(args.ini, "sipessut", harvest_size, 0, workdir), 1
    )
    backdate(args.ini, BACKDATE_HOURS)
    portal = Portal("sipessut", args.ini, args.port)
    portal.start(workdir / "interop-server.log")
    try:
        with tempfile.TemporaryDirectory(dir=workdir) as plain_dir:
            result["harvest"] = measure_harvest(
                portal, args.ini, harvest_size, Path(plain_dir), env
            )
    finally:
        portal.stop()
    if args.only == "harvest":
        return result
    rdf_size = mode["rdf_datasets"]
    if rdf_size > harvest_size:
        seconds = load(args.ini, "sipessut", rdf_size - harvest_size, harvest_size, workdir)
        result["load_seconds"][rdf_size] = round(seconds, 1)
    portal = Portal("sipessut", args.ini, args.port)
    portal.start(workdir / "interop-server.log")
    try:
        result["rdf"] = measure_rdf(portal, rdf_size, mode["rounds"], mode["warmup"])
    finally:
        portal.stop()
    return result


def markdown(result: dict) -> str:
    lines = [
        "## Interop: our DCAT profile against ckanext-dcat's stock DCAT-AP 3, and a harvest",
        "",
        "| datasets | endpoint | requests | sipessut p50 / p95 ms | stock p50 / p95 ms "
        "| ratio p50 | ratio p95 | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    if "rdf" not in result:
        lines.append("| (not measured in this run: `--only harvest`) | | | | | | | |")
    for row in result.get("rdf", []):
        target = TARGETS[row["endpoint"]]
        verdict = "met" if row["ratio_p50"] <= target else "NOT met"
        lines.append(
            f"| {row['datasets']} | {row['endpoint']} | {row['requests']} "
            f"| {row['sipessut_p50_ms']} / {row['sipessut_p95_ms']} "
            f"| {row['stock_p50_ms']} / {row['stock_p95_ms']} "
            f"| {row['ratio_p50']} | {row['ratio_p95']} | <= {target} ({verdict}) |"
        )
    h = result["harvest"]
    lost = "met" if h["lost"] == 0 else "NOT met"
    fast = "met" if h["incremental_ratio"] < 0.10 else "NOT met"
    lines += [
        "",
        f"Harvest by a plain CKAN (ckanext-harvest CKAN harvester on /sdi), {h['datasets']} "
        f"published datasets, dated {BACKDATE_HOURS} hours back (past the harvester's "
        "one-hour margin):",
        "",
        "| first harvest s | datasets lost | re-harvest after one change s | ratio | stats |",
        "|---|---|---|---|---|",
        f"| {h['first_seconds']} | {h['lost']} (target 0: {lost}) | {h['incremental_seconds']} "
        f"| {h['incremental_ratio']} (target < 0.10: {fast}) "
        f"| first {h['first_stats']}; again {h['incremental_stats']} |",
        "",
        "Catalogue load time (ckanapi load, 2 processes), seconds: "
        + ", ".join(f"up to {size}: {s}" for size, s in result["load_seconds"].items()),
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ini", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--harvest-db", required=True)
    parser.add_argument("--harvest-solr", required=True)
    parser.add_argument("--harvest-redis", required=True)
    parser.add_argument("--harvest-port", type=int, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument(
        "--only", choices=["harvest"], help="the harvest alone (skips the 10,000-dataset RDF part)"
    )
    args = parser.parse_args()
    result = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
