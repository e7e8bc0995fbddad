"""Load: the demo's production server (gunicorn with dev/gunicorn.conf.py) against
`ckan run`, on the same portal, in the same run.

    make bench BENCH=load    # benchmarks/results/load.json

One portal (sipessut scheming_datasets scheming_organizations activity) with the
generated catalogue of the request-overhead benchmark, served at the same time by
gunicorn and by `ckan run` on two ports. Closed-loop clients of our own (threads,
one keep-alive HTTP connection each, loopback only) ask, for a fixed time, in
turn: the home page, the search page with a facet, a dataset page,
`package_search` with the search page's facets and `package_show`. Each server
is measured with 20 and 50 clients, the two servers alternating. Reported per
endpoint: requests, errors, throughput, p50 and p95.

Then the slow request: with 20 clients on gunicorn, a 21st client uploads, one
after the other, workbooks of about `ckanext.sipessut.validation.sync_max_bytes`
that are validated in the request (seconds each). The other requests' p95 with
the uploads running is compared with their p95 without, in alternating phases.

Targets (issue 11): no error; gunicorn's throughput at least twice `ckan run`'s on
2 cores; the p95 of the other requests rises by no more than 20% while an upload
validates.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests
from request_overhead import SEARCH_FACETS, percentile
from request_overhead import load as load_catalogue
from validation import schema_with_keys, write_xlsx

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "dev"
ENDPOINTS = ("home page", "search page + facet", "dataset page", "package_search", "package_show")
WORDS = ("penduduk", "puskesmas", "sekolah", "jalan", "koperasi")
ORGANIZATIONS = 30  # as request_overhead generates them
REQUEST_TIMEOUT = 60  # seconds; a request that takes longer counts as an error
START_TIMEOUT = 180
# The default of ckanext.sipessut.validation.sync_max_bytes, which the benchmark
# portal keeps: files up to this size are validated inside the request.
SYNC_MAX_BYTES = 1048576
MODES = {
    # catalogue size, client counts, seconds per measured phase, warm-up seconds,
    # alternating pairs of phases without / with a validating upload, cap on requests per phase
    "full": {"datasets": 1000, "clients": [20, 50], "seconds": 60, "warmup": 15,
             "slow_pairs": 3, "slow_seconds": 40, "max_requests": 200_000},
    "smoke": {"datasets": 20, "clients": [2, 4], "seconds": 2, "warmup": 1,
              "slow_pairs": 1, "slow_seconds": 3, "max_requests": 2_000},
}  # fmt: skip
TARGETS = {"errors": 0, "throughput_ratio": 2.0, "p95_rise": 0.20}


def path_for(endpoint: str, rng: random.Random, datasets: int) -> str:
    name = f"data-{rng.randrange(datasets):06d}"
    word = rng.choice(WORDS)
    if endpoint == "home page":
        return "/"
    if endpoint == "search page + facet":
        return f"/dataset/?q={word}&organization=opd-{rng.randrange(ORGANIZATIONS):03d}"
    if endpoint == "dataset page":
        return f"/dataset/{name}"
    if endpoint == "package_search":
        query = {"q": word, "rows": 20, "facet.field": json.dumps(SEARCH_FACETS)}
        return "/api/3/action/package_search?" + urllib.parse.urlencode(query)
    return "/api/3/action/package_show?" + urllib.parse.urlencode({"id": name})


@dataclass
class Samples:
    """Latencies (seconds) of the successful requests and the error count, per endpoint."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {e: [] for e in ENDPOINTS})
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ENDPOINTS, 0))
    error_examples: list[str] = field(default_factory=list)
    # The machine's 1-minute load average before and after: how shared it was.
    load_before: float = 0.0
    load_after: float = 0.0
    # Cores the server's processes kept busy, on average: how much of the machine it got.
    server_cores: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, endpoint: str, seconds: float, error: str | None) -> None:
        with self.lock:
            if error is None:
                self.latencies[endpoint].append(seconds)
            else:
                self.errors[endpoint] += 1
                if len(self.error_examples) < 5:
                    self.error_examples.append(f"{endpoint}: {error}")

    def count(self) -> int:
        return sum(len(v) for v in self.latencies.values()) + sum(self.errors.values())


def client(port: int, seed: int, datasets: int, until: float, samples: Samples, cap: int) -> None:
    """One visitor: a request, its whole answer, the next request, until `until`."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    turn = seed
    try:
        while time.monotonic() < until and samples.count() < cap:
            endpoint = ENDPOINTS[turn % len(ENDPOINTS)]
            turn += 1
            path = path_for(endpoint, rng, datasets)
            began = time.perf_counter()
            error = None
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    error = f"HTTP {response.status} {path}"
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException) as exc:
                error = f"{type(exc).__name__} {path}"
                connection.close()
            if time.monotonic() <= until:  # a request still running at the end is not counted
                samples.add(endpoint, time.perf_counter() - began, error)
    finally:
        connection.close()


def cpu_seconds(group: int) -> float:
    """CPU time (user + system) used so far by the living processes of a process group."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[2]) == group:
                total += int(fields[11]) + int(fields[12])
    return total / tick


def phase(port: int, clients: int, seconds: float, datasets: int, cap: int,
          group: int | None = None) -> Samples:  # fmt: skip
    """`clients` visitors at once for `seconds`; with `group`, the CPU the server used."""
    samples = Samples()
    samples.load_before = os.getloadavg()[0]
    cpu_before = cpu_seconds(group) if group else 0.0
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client, args=(port, n, datasets, until, samples, cap), daemon=True)
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + REQUEST_TIMEOUT + 5)
    samples.load_after = os.getloadavg()[0]
    if group:
        samples.server_cores = round((cpu_seconds(group) - cpu_before) / seconds, 2)
    return samples


def rows_of(samples: Samples, seconds: float) -> list[dict]:
    rows = []
    for endpoint in ENDPOINTS:
        values = samples.latencies[endpoint]
        rows.append(
            {
                "endpoint": endpoint,
                "requests": len(values) + samples.errors[endpoint],
                "errors": samples.errors[endpoint],
                "throughput": round(len(values) / seconds, 2),
                "p50_ms": round(percentile(values, 0.5) * 1000, 1) if values else None,
                "p95_ms": round(percentile(values, 0.95) * 1000, 1) if values else None,
            }
        )
    every = [v for values in samples.latencies.values() for v in values]
    rows.append(
        {
            "endpoint": "all",
            "requests": samples.count(),
            "errors": sum(samples.errors.values()),
            "throughput": round(len(every) / seconds, 2),
            "p50_ms": round(percentile(every, 0.5) * 1000, 1) if every else None,
            "p95_ms": round(percentile(every, 0.95) * 1000, 1) if every else None,
        }
    )
    return rows


# --- the servers ---------------------------------------------------------------------


@dataclass
class Server:
    name: str
    command: list[str]
    port: int
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command,
            env={**os.environ, **self.env},
            stdin=subprocess.DEVNULL,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its workers are stopped with it
        )

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/api/3/action/status_show")
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} did not answer in {START_TIMEOUT} s; see {self.log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def servers(ini: Path, port: int, port_devserver: int, workdir: Path) -> list[Server]:
    bin_dir = Path(sys.executable).parent
    return [
        Server(
            "gunicorn",
            [str(bin_dir / "gunicorn"), "--config", str(DEV / "gunicorn.conf.py"),
             "--pythonpath", str(DEV), "--bind", f"127.0.0.1:{port}", "wsgi:application"],
            port, workdir / "load-gunicorn.log", {"CKAN_INI": str(ini)},
        ),
        Server(
            "ckan run",
            [str(bin_dir / "ckan"), "-c", str(ini), "run", "--host", "127.0.0.1",
             "--port", str(port_devserver), "--disable-reloader"],
            port_devserver, workdir / "load-ckan-run.log",
        ),
    ]  # fmt: skip


def ckan(ini: Path, *args: str) -> str:
    bin_dir = Path(sys.executable).parent
    done = subprocess.run(
        [str(bin_dir / "ckan"), "-c", str(ini), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return done.stdout


def api_token(ini: Path) -> str:
    """A sysadmin for the uploads, and an API token of it."""
    ckan(ini, "user", "add", "bench-load", "email=bench-load@localhost",
         f"password={uuid.uuid4().hex}")  # fmt: skip
    ckan(ini, "sysadmin", "add", "bench-load")
    return ckan(ini, "user", "token", "add", "-q", "bench-load", "load").strip()


# --- the slow request --------------------------------------------------------------------


def slow_workbook(workdir: Path) -> Path:
    """An XLSX just under sync_max_bytes: keys and 2% bad cells, the slowest to validate."""
    path = workdir / "slow.xlsx"
    count = 40_000
    for _ in range(4):
        write_xlsx(path, count, bad_share=0.02)
        size = path.stat().st_size
        if 0.85 * SYNC_MAX_BYTES <= size <= SYNC_MAX_BYTES:
            return path
        count = int(count * 0.93 * SYNC_MAX_BYTES / size)
    raise RuntimeError(f"could not make a workbook of about {SYNC_MAX_BYTES} bytes")


def uploader(port: int, token: str, workbook: bytes, targets: list[str], until: float,
             done: list[dict]) -> None:  # fmt: skip
    """Uploads the workbook, one resource_create after the other, until `until`."""
    schema = json.dumps(schema_with_keys())
    session = requests.Session()
    number = 0
    while time.monotonic() < until:
        dataset = targets[number % len(targets)]
        number += 1
        began = time.perf_counter()
        try:
            response = session.post(
                f"http://127.0.0.1:{port}/api/3/action/resource_create",
                headers={"Authorization": token},
                data={"package_id": dataset, "name": f"Tabel besar {number}", "format": "XLSX",
                      "url": "", "data_dictionary": schema},
                files={"upload": ("tabel-besar.xlsx", workbook)},
                timeout=REQUEST_TIMEOUT,
            )  # fmt: skip
            result = (response.json().get("result") or {}) if response.ok else {}
            done.append({"seconds": time.perf_counter() - began, "http": response.status_code,
                         "validation_status": result.get("validation_status")})  # fmt: skip
        except (requests.RequestException, ValueError) as exc:
            done.append({"seconds": time.perf_counter() - began, "http": None, "error": str(exc)})


def slow_request(server: Server, token: str, workbook: Path, targets: list[str], datasets: int,
                 mode: dict) -> dict:  # fmt: skip
    """Alternating phases of 20 clients without, then with, a validating upload beside them."""
    clients = mode["clients"][0]
    seconds = mode["slow_seconds"]
    content = workbook.read_bytes()
    without, with_upload = Samples(), Samples()
    uploads: list[dict] = []
    for _ in range(mode["slow_pairs"]):
        for target, upload in ((without, False), (with_upload, True)):
            thread = None
            if upload:
                until = time.monotonic() + seconds
                thread = threading.Thread(
                    target=uploader,
                    args=(server.port, token, content, targets, until, uploads),
                    daemon=True,
                )
                thread.start()
                time.sleep(0.5)  # the first upload is on its way before the clients start
            samples = phase(server.port, clients, seconds, datasets, mode["max_requests"])
            if thread:
                thread.join(timeout=REQUEST_TIMEOUT + 5)
            for endpoint in ENDPOINTS:
                target.latencies[endpoint] += samples.latencies[endpoint]
                target.errors[endpoint] += samples.errors[endpoint]
            target.error_examples += samples.error_examples
    total = seconds * mode["slow_pairs"]
    base, loaded = rows_of(without, total)[-1], rows_of(with_upload, total)[-1]
    in_request = [u for u in uploads if u.get("validation_status") in ("valid", "invalid")]
    return {
        "server": server.name,
        "clients": clients,
        "seconds_each": seconds,
        "pairs": mode["slow_pairs"],
        "workbook_bytes": workbook.stat().st_size,
        "without": base,
        "with_upload": loaded,
        "p95_rise": round(loaded["p95_ms"] / base["p95_ms"] - 1, 3),
        "uploads": len(uploads),
        "uploads_ok": sum(1 for u in uploads if u.get("http") == 200),
        "uploads_validated_in_request": len(in_request),
        "upload_p50_s": round(percentile([u["seconds"] for u in uploads], 0.5), 2)
        if uploads
        else None,
        "error_examples": with_upload.error_examples + without.error_examples,
    }


# --- the whole run -----------------------------------------------------------------------


def run(ini: Path, port: int, port_devserver: int, workdir: Path, smoke: bool) -> dict:
    mode = MODES["smoke" if smoke else "full"]
    count = mode["datasets"]
    load_seconds = load_catalogue(ini, "sipessut", count, 0, workdir)
    token = api_token(ini)
    workbook = slow_workbook(workdir)
    # The uploads go to datasets the readers do not ask for.
    readers = max(1, count - max(1, count // 10))
    targets = [f"data-{n:06d}" for n in range(readers, count)]
    result: dict = {
        "benchmark": "load",
        "datasets": count,
        "load_seconds": round(load_seconds, 1),
        "cores": os.cpu_count(),
        "gunicorn_workers": None,
        "phases": [],
    }
    started = servers(ini, port, port_devserver, workdir)
    try:
        for server in started:
            server.start()
        for server in started:
            server.wait_until_up()
        result["gunicorn_workers"] = _gunicorn_workers(started[0])
        for server in started:  # warm-up: templates compiled, caches filled, in every worker
            phase(server.port, mode["clients"][0], mode["warmup"], readers, mode["max_requests"])
        for number, clients in enumerate(mode["clients"]):
            order = started if number % 2 == 0 else list(reversed(started))
            for server in order:
                samples = phase(
                    server.port, clients, mode["seconds"], readers, mode["max_requests"]
                )
                result["phases"].append(
                    {
                        "server": server.name,
                        "clients": clients,
                        "seconds": mode["seconds"],
                        "rows": rows_of(samples, mode["seconds"]),
                        "load_average": [samples.load_before, samples.load_after],
                        "server_cores": samples.server_cores,
                        "error_examples": samples.error_examples,
                    }
                )
        result["slow_request"] = slow_request(started[0], token, workbook, targets, readers, mode)
    finally:
        for server in started:
            server.stop()
    return result


def _gunicorn_workers(server: Server) -> int:
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
    return len(children.read_text().split()) if children.exists() else 0


def markdown(result: dict) -> str:
    lines = [
        "## Load: gunicorn (the demo's server) against `ckan run`, same portal, same run",
        "",
        f"{result['datasets']} datasets; {result['cores']} cores; gunicorn with "
        f"{result['gunicorn_workers']} sync workers; closed-loop clients on loopback.",
        "",
        "| server | clients | endpoint | requests | errors | req/s | p50 ms | p95 ms "
        "| server CPU (cores) | load avg before / after |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    totals: dict[tuple[str, int], dict] = {}
    for item in result["phases"]:
        for row in item["rows"]:
            name = f"**{row['endpoint']}**" if row["endpoint"] == "all" else row["endpoint"]
            load = cores = ""
            if row["endpoint"] == "all":
                load = " / ".join(f"{x:.1f}" for x in item.get("load_average", []))
                cores = item.get("server_cores") or ""
            lines.append(
                f"| {item['server']} | {item['clients']} | {name} | {row['requests']} "
                f"| {row['errors']} | {row['throughput']} | {row['p50_ms']} | {row['p95_ms']} "
                f"| {cores} | {load} |"
            )
            if row["endpoint"] == "all":
                totals[(item["server"], item["clients"])] = row
    lines += ["", "| clients | gunicorn / ckan run throughput | target | errors (both) |",
              "|---|---|---|---|"]  # fmt: skip
    for (server, clients), row in totals.items():
        if server != "gunicorn" or ("ckan run", clients) not in totals:
            continue
        other = totals[("ckan run", clients)]
        ratio = row["throughput"] / other["throughput"] if other["throughput"] else float("inf")
        verdict = "met" if ratio >= TARGETS["throughput_ratio"] else "NOT met"
        errors = row["errors"] + other["errors"]
        lines.append(
            f"| {clients} | {ratio:.2f}x | >= {TARGETS['throughput_ratio']}x ({verdict}) "
            f"| {errors} ({'met' if errors == 0 else 'NOT met'}) |"
        )
    slow = result.get("slow_request")
    if slow:
        verdict = "met" if slow["p95_rise"] <= TARGETS["p95_rise"] else "NOT met"
        lines += [
            "",
            f"Slow request ({slow['server']}, {slow['clients']} clients, {slow['pairs']} pairs "
            f"of {slow['seconds_each']} s phases): {slow['uploads']} uploads of a "
            f"{slow['workbook_bytes']:,}-byte XLSX ({slow['uploads_validated_in_request']} "
            f"validated in the request, median {slow['upload_p50_s']} s each). Other "
            f"requests' p95: {slow['without']['p95_ms']} ms without, "
            f"{slow['with_upload']['p95_ms']} ms with the upload "
            f"({slow['p95_rise']:+.0%}; target <= +{TARGETS['p95_rise']:.0%}, {verdict}); "
            f"throughput {slow['without']['throughput']} / {slow['with_upload']['throughput']} "
            f"req/s; errors {slow['without']['errors']} / {slow['with_upload']['errors']}.",
        ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ini", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True, help="gunicorn's")
    parser.add_argument("--port-devserver", type=int, required=True, help="ckan run's")
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    result = run(args.ini, args.port, args.port_devserver, args.workdir, args.smoke)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(markdown(result))
    errors = [e for p in result["phases"] for e in p["error_examples"]]
    if errors:
        print("errors, for example:", *errors, sep="\n  ", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
