"""The stage of the harvest tests: our portal served by `ckan run` at ckan.site_url, and a
second, plain CKAN (no sipessut, CKAN's default schema, the national portal's shape) with
ckanext-harvest's CKAN harvester and ckanext-dcat's DCAT harvester, in its own database,
Solr core and Redis db (dev/services.sh `ensure_harvest_portal`, passed by make test)."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from ckan.plugins.toolkit import config

from ckanext.sipessut.tests import servers

ENV = (
    "SIPESSUT_HARVEST_DB_URL",
    "SIPESSUT_HARVEST_SOLR_URL",
    "SIPESSUT_HARVEST_REDIS_URL",
    "SIPESSUT_HARVEST_PORT",
)
TIMEOUT = 30  # seconds per API request


@dataclass
class Plain:
    """The plain CKAN, through its API (as its sysadmin) and its `ckan harvester` command."""

    ini: Path
    url: str
    token: str

    def api(self, action: str, **data: Any) -> Any:
        response = requests.post(
            f"{self.url}/api/3/action/{action}",
            json=data,
            headers={"Authorization": self.token},
            timeout=TIMEOUT,
        )
        body = response.json()
        if not body.get("success"):
            raise AssertionError(f"{action} on the plain CKAN: {body.get('error')}")
        return body["result"]

    def source(
        self, name: str, url: str, source_type: str, config: dict | None = None
    ) -> dict[str, Any]:
        return self.api(
            "harvest_source_create",
            name=name,
            title=name,
            url=url,
            source_type=source_type,
            owner_org="pemerintah-kota-samarinda",
            frequency="MANUAL",
            config=json.dumps(config or {}),
        )

    def harvest(self, source: dict[str, Any]) -> dict[str, int]:
        """One synchronous harvest (gather, fetch, import); the stats of its job."""
        # ckanext-harvest 1.6 on CKAN 2.12 reads the source from the search index, whose
        # copy of it can lack `source_type` after a job: index it afresh first.
        servers.ckan(self.ini, "search-index", "rebuild", source["id"])
        servers.ckan(self.ini, "harvester", "run-test", source["name"])
        jobs = self.api("harvest_job_list", source_id=source["id"])
        latest = max(jobs, key=lambda job: job["created"])
        assert latest["status"] == "Finished", latest
        report = self.api("harvest_job_report", id=latest["id"])
        assert not report["gather_errors"], str(report["gather_errors"])[:3000]
        assert not report["object_errors"], str(report["object_errors"])[:3000]
        return latest["stats"]

    def datasets(self) -> dict[str, dict[str, Any]]:
        """Every active dataset the plain CKAN holds, by its id (the harvested copies)."""
        result = self.api(
            "package_search", q="*:*", fq="+dataset_type:dataset", rows=1000, include_private=True
        )
        return {pkg["id"]: self.api("package_show", id=pkg["id"]) for pkg in result["results"]}

    def state_of(self, package_id: str) -> str | None:
        try:
            return self.api("package_show", id=package_id)["state"]
        except AssertionError:
            return None


def _environment() -> dict[str, str]:
    missing = [name for name in ENV if not os.environ.get(name)]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not set: run the harvest tests through `make test` "
            "(dev/test.sh prepares the plain CKAN's database and Solr core)"
        )
    return {name: os.environ[name] for name in ENV}


@contextlib.contextmanager
def plain_ckan(directory: Path) -> Iterator[Plain]:
    """A fresh plain CKAN: its database emptied and migrated, a sysadmin, an organization
    for the region (the national portal has one per Pemda), its server running."""
    env = _environment()
    port = int(env["SIPESSUT_HARVEST_PORT"])
    ini = servers.plain_ini(
        directory,
        db=env["SIPESSUT_HARVEST_DB_URL"],
        solr=env["SIPESSUT_HARVEST_SOLR_URL"],
        redis=env["SIPESSUT_HARVEST_REDIS_URL"],
        port=port,
    )
    servers.ckan(ini, "db", "clean", "--yes", check=False)
    servers.ckan(ini, "db", "init")
    servers.ckan(ini, "db", "upgrade", "-p", "harvest")
    servers.ckan(ini, "search-index", "clear", check=False)
    password = secrets.token_urlsafe(12)
    servers.ckan(
        ini, "user", "add", "nasional", "email=nasional@example.org", f"password={password}"
    )
    servers.ckan(ini, "sysadmin", "add", "nasional")
    token = (
        servers.ckan(ini, "user", "token", "add", "-q", "nasional", "harvest-test")
        .strip()
        .splitlines()[-1]
    )
    with servers.served(ini, f"http://127.0.0.1:{port}", own=True) as url:
        plain = Plain(ini, url, token)
        plain.api(
            "organization_create",
            name="pemerintah-kota-samarinda",
            title="Pemerintah Kota Samarinda",
        )
        yield plain


@contextlib.contextmanager
def our_portal(directory: Path) -> Iterator[str]:
    """Our portal (test.ini, the test database) served at its ckan.site_url."""
    ini = servers.inherit_ini(directory, Path(config["__file__"]))
    with servers.served(ini, config["ckan.site_url"].rstrip("/"), own=False) as url:
        yield url


def extras(pkg: dict[str, Any]) -> dict[str, str]:
    return {item["key"]: item["value"] for item in pkg.get("extras") or []}


def downloads_answer(url_prefix: str, pkg: dict[str, Any]) -> list[bytes]:
    """Every resource URL of a harvested dataset is absolute, on our site, and answers 200."""
    bodies = []
    for resource in pkg["resources"]:
        assert resource["url"].startswith(url_prefix + "/"), resource["url"]
        response = requests.get(resource["url"], timeout=TIMEOUT)
        assert response.status_code == 200, resource["url"]
        bodies.append(response.content)
    return bodies
