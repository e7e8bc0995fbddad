"""Request overhead of ckanext-sipessut, side by side with a portal without it.

Two portals on the same real stack (PostgreSQL, Solr, Redis) and the same CKAN:

- `sipessut`: sipessut scheming_datasets scheming_organizations activity, our schemas;
- `plain`:    scheming_datasets activity with ckanext-scheming's default CKAN schema.

Both get the same generated catalogue (N datasets over 30 OPDs, each with one
resource); the sipessut one also carries full Satu Data metadata and an MS-Var
data dictionary. Both servers run `ckan run` (one process) and are measured in
alternating rounds, so that the noise of the machine hits both alike.

Measured: p50 and p95 latency of package_show, package_search with the facets
of the search page, the dataset page, the search page and the home page, and the
ratio sipessut / plain. Loading the catalogue is also a tool of its own:

    python benchmarks/request_overhead.py load --ini PORTAL.ini --count 1000 --flavour sipessut
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import requests

KECAMATAN = [
    ("64.72.01", "Palaran"), ("64.72.02", "Samarinda Seberang"), ("64.72.03", "Samarinda Ulu"),
    ("64.72.04", "Samarinda Ilir"), ("64.72.05", "Samarinda Utara"), ("64.72.06", "Sungai Kunjang"),
    ("64.72.07", "Sambutan"), ("64.72.08", "Sungai Pinang"), ("64.72.09", "Samarinda Kota"),
    ("64.72.10", "Loa Janan Ilir"),
]  # fmt: skip
SUBJECTS = [
    ("Jumlah Penduduk", "2", "orang"), ("Jumlah Puskesmas", "9", "unit"),
    ("Jumlah Sekolah Dasar", "5", "sekolah"), ("Luas Panen Padi", "1", "hektar"),
    ("Jumlah Kunjungan Wisatawan", "10", "orang"), ("Panjang Jalan", "22", "km"),
    ("Jumlah Pencari Kerja", "13", "orang"), ("Jumlah Menara Telekomunikasi", "11", "unit"),
    ("Volume Sampah Terangkut", "6", "ton"), ("Jumlah Koperasi Aktif", "18", "unit"),
]  # fmt: skip
ORGANIZATIONS = 30
TIMEOUT = 60  # seconds per request
SEARCH_FACETS = [
    "organization", "vocab_urusan", "vocab_sektor", "vocab_jadwal_pemutakhiran",
    "vocab_tingkat_penyajian", "vocab_tahun", "dataset_type", "tags", "res_format",
    "license_id",
]  # fmt: skip


def organizations(flavour: str, count: int = ORGANIZATIONS) -> Iterator[dict]:
    for n in range(count):
        org = {"name": f"opd-{n:03d}", "title": f"Organisasi Perangkat Daerah {n:03d}"}
        if flavour == "sipessut":
            org.update(
                # unit number 01-99, then the next sub-unit (past 99 OPDs)
                kode_skpd=f"2.16.0.00.0.00.{n % 99 + 1:02d}.{n // 99:04d}",
                peran="walidata" if n == 0 else "produsen_data",
                bidang_urusan=["2.16"],
                kode_wilayah="64.72",
            )
        yield org


def datasets(count: int, flavour: str, start: int = 0, opds: int = ORGANIZATIONS) -> Iterator[dict]:
    """`count` datasets over `opds` OPDs, the same titles and texts for both flavours."""
    rng = random.Random(20261127 + start)
    for n in range(start, start + count):
        subject, sektor, satuan = SUBJECTS[n % len(SUBJECTS)]
        code, kecamatan = KECAMATAN[(n // len(SUBJECTS)) % len(KECAMATAN)]
        year = 2015 + n % 10
        dataset = {
            "name": f"data-{n:06d}",
            "title": f"{subject} di Kecamatan {kecamatan}, {year} ({n})",
            "notes": f"{subject} menurut kelurahan di Kecamatan {kecamatan}, Samarinda, {year}.",
            "owner_org": f"opd-{n % opds:03d}",
            "tags": [{"name": "kecamatan"}, {"name": subject.split()[-1].lower()}],
            "license_id": "cc-by",
            "resources": [
                {"name": f"Tabel {year}", "url": f"http://data.invalid/{n}.csv", "format": "CSV"}
            ],
        }
        if flavour == "sipessut":
            dataset.update(
                sektor=sektor,
                sumber_data="Data administrasi OPD",
                periode_awal=str(year),
                jadwal_pemutakhiran=rng.choice(["tahunan", "semesteran", "bulanan"]),
                # the release calendar and the monitoring read it (a last release in 2025-26)
                tanggal_rilis_terakhir=f"{2025 + n % 2}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                tingkat_penyajian=["8"],
                kode_wilayah=code,
                pengaturan_akses="terbuka",
                ukuran="Jumlah",
                satuan=satuan,
            )
            dataset["resources"][0]["data_dictionary"] = {
                "fields": [
                    {"name": "kode_wilayah", "type": "string",
                     "codelist": {"name": "wilayah", "where": {"level": "kelurahan"}}},
                    {"name": "tahun", "type": "year"},
                    {"name": "nilai", "type": "integer", "satuan": satuan,
                     "constraints": {"minimum": 0}},
                ]
            }  # fmt: skip
        yield dataset


def load(
    ini: Path, flavour: str, count: int, start: int, workdir: Path, opds: int = ORGANIZATIONS
) -> float:
    """Loads `opds` organizations (once) and `count` datasets with ckanapi; returns seconds."""
    # ckanapi's loader, run inside CKAN (`ckan api`) as the site user; its worker
    # processes are started by name, so the virtualenv's bin goes first on PATH.
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "CKAN_INI": str(ini),
    }
    api = [str(bin_dir / "ckan"), "-c", str(ini), "api"]
    began = time.perf_counter()
    if start == 0:
        orgs = workdir / f"{flavour}-organizations.jsonl"
        orgs.write_text("".join(json.dumps(o) + "\n" for o in organizations(flavour, opds)))
        subprocess.run([*api, "load", "organizations", "-I", str(orgs), "-q"], check=True, env=env)
    jsonl = workdir / f"{flavour}-datasets-{start}.jsonl"
    jsonl.write_text("".join(json.dumps(d) + "\n" for d in datasets(count, flavour, start, opds)))
    subprocess.run(
        [*api, "load", "datasets", "-I", str(jsonl), "-p", "2", "-q"], check=True, env=env
    )
    return time.perf_counter() - began


@dataclass
class Portal:
    flavour: str
    ini: Path
    port: int
    process: subprocess.Popen | None = None
    samples: dict[str, list[float]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, log: Path) -> None:
        ckan = str(Path(sys.executable).with_name("ckan"))
        self.process = subprocess.Popen(
            [ckan, "-c", str(self.ini), "run", "--host", "127.0.0.1", "--port", str(self.port),
             "--disable-reloader"],
            stdout=log.open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.flavour} portal exited; see {log}")
            try:
                if requests.get(f"{self.url}/api/3/action/status_show", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.flavour} portal did not answer in 90 s; see {log}")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=30)


def requests_for(count: int, rng: random.Random) -> list[tuple[str, str, dict]]:
    """The same (endpoint, path, params) sequence for both portals."""
    name = f"data-{rng.randrange(count):06d}"
    word = rng.choice(["penduduk", "puskesmas", "sekolah", "jalan", "koperasi"])
    return [
        ("package_show", "/api/3/action/package_show", {"id": name}),
        (
            "package_search",
            "/api/3/action/package_search",
            {"q": word, "rows": 20, "facet.field": json.dumps(SEARCH_FACETS)},
        ),
        ("dataset page", f"/dataset/{name}", {}),
        ("search page", "/dataset/", {"q": word}),
        # the region's home page (figures from Solr facets, kept home_cache_seconds) against
        # CKAN's stock one (a search and the featured group and organization)
        ("home page", "/", {}),
    ]


def measure(portals: list[Portal], count: int, rounds: int, warmup: int) -> None:
    rng = random.Random(7)
    sessions = {p.flavour: requests.Session() for p in portals}
    for round_number in range(warmup + rounds):
        for endpoint, path, params in requests_for(count, rng):
            order = portals if round_number % 2 == 0 else list(reversed(portals))
            for portal in order:
                began = time.perf_counter()
                response = sessions[portal.flavour].get(
                    portal.url + path, params=params, timeout=TIMEOUT
                )
                elapsed = time.perf_counter() - began
                if response.status_code != 200:
                    raise RuntimeError(f"{portal.flavour} {path}: HTTP {response.status_code}")
                if round_number >= warmup:
                    portal.samples.setdefault(endpoint, []).append(elapsed)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summarise(portals: list[Portal], count: int) -> list[dict]:
    ours, theirs = portals
    rows = []
    for endpoint, samples in ours.samples.items():
        base = theirs.samples[endpoint]
        p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
        b50, b95 = percentile(base, 0.5), percentile(base, 0.95)
        rows.append(
            {
                "datasets": count,
                "endpoint": endpoint,
                "requests": len(samples),
                "sipessut_p50_ms": round(p50 * 1000, 1),
                "sipessut_p95_ms": round(p95 * 1000, 1),
                "plain_p50_ms": round(b50 * 1000, 1),
                "plain_p95_ms": round(b95 * 1000, 1),
                "ratio_p50": round(p50 / b50, 3),
                "ratio_p95": round(p95 / b95, 3),
                "mean_ratio": round(statistics.mean(samples) / statistics.mean(base), 3),
            }
        )
    return rows


def run(inis: dict[str, Path], ports: dict[str, int], sizes: list[int], rounds: int,
        warmup: int, workdir: Path) -> dict:  # fmt: skip
    """Loads each size in turn (growing the same catalogue) and measures both portals."""
    result: dict = {"load_seconds": {}, "rows": []}
    loaded = 0
    for size in sizes:
        for flavour, ini in inis.items():
            seconds = load(ini, flavour, size - loaded, loaded, workdir)
            result["load_seconds"].setdefault(flavour, {})[size] = round(seconds, 1)
        loaded = size
        portals = [Portal("sipessut", inis["sipessut"], ports["sipessut"]),
                   Portal("plain", inis["plain"], ports["plain"])]  # fmt: skip
        try:
            for portal in portals:
                portal.start(workdir / f"{portal.flavour}-server.log")
            measure(portals, size, rounds, warmup)
        finally:
            for portal in portals:
                portal.stop()
        result["rows"] += summarise(portals, size)
    return result


TARGETS = {  # ratio sipessut / plain, from the benchmarks issue
    "package_show": 1.10,
    "package_search": 1.15,
    "dataset page": 1.15,
    "search page": 1.15,
    "home page": 1.30,
}
MODES = {  # catalogue sizes, measured rounds, warm-up rounds
    "full": {"sizes": [1000, 10000], "rounds": 100, "warmup": 10},
    "smoke": {"sizes": [20], "rounds": 2, "warmup": 1},
}


def markdown(result: dict) -> str:
    lines = [
        "## Request overhead: sipessut against scheming_datasets with CKAN's default schema",
        "",
        "| datasets | endpoint | requests | sipessut p50 / p95 ms | plain p50 / p95 ms "
        "| ratio p50 | ratio p95 | target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in result["rows"]:
        target = TARGETS[row["endpoint"]]
        verdict = "met" if row["ratio_p50"] <= target else "NOT met"
        lines.append(
            f"| {row['datasets']} | {row['endpoint']} | {row['requests']} "
            f"| {row['sipessut_p50_ms']} / {row['sipessut_p95_ms']} "
            f"| {row['plain_p50_ms']} / {row['plain_p95_ms']} "
            f"| {row['ratio_p50']} | {row['ratio_p95']} | <= {target} ({verdict}) |"
        )
    lines += ["", "Catalogue load time (ckanapi load, 2 processes), seconds:", ""]
    for flavour, sizes in result["load_seconds"].items():
        lines.append(f"- {flavour}: " + ", ".join(f"up to {s}: {t}" for s, t in sizes.items()))
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    measure_cmd = sub.add_parser("measure", help="load both portals and measure them")
    measure_cmd.add_argument("--ini", type=Path, required=True, help="the sipessut portal")
    measure_cmd.add_argument("--ini-plain", type=Path, required=True, help="the plain portal")
    measure_cmd.add_argument("--port", type=int, required=True)
    measure_cmd.add_argument("--port-plain", type=int, required=True)
    measure_cmd.add_argument("--workdir", type=Path, required=True)
    measure_cmd.add_argument("--out", type=Path, required=True)
    measure_cmd.add_argument("--smoke", action="store_true")
    loader = sub.add_parser("load", help="load a generated catalogue into a portal")
    loader.add_argument("--ini", type=Path, required=True)
    loader.add_argument("--count", type=int, required=True)
    loader.add_argument("--start", type=int, default=0)
    loader.add_argument("--flavour", choices=["sipessut", "plain"], default="sipessut")
    loader.add_argument("--organizations", type=int, default=ORGANIZATIONS)
    args = parser.parse_args()
    if args.command == "load":
        with tempfile.TemporaryDirectory() as workdir:
            seconds = load(
                args.ini, args.flavour, args.count, args.start, Path(workdir), args.organizations
            )
        print(f"loaded {args.count} datasets in {seconds:.1f} s")
        return 0
    mode = MODES["smoke" if args.smoke else "full"]
    result = {
        "benchmark": "request_overhead",
        **run(
            inis={"sipessut": args.ini, "plain": args.ini_plain},
            ports={"sipessut": args.port, "plain": args.port_plain},
            sizes=mode["sizes"],
            rounds=mode["rounds"],
            warmup=mode["warmup"],
            workdir=args.workdir,
        ),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
