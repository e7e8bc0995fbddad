"""`ckan sipessut validation ...` on the real stack: bulk runs with filters and the
CSV summary per OPD a Walidata sends around."""

from __future__ import annotations

import csv

import pytest
from ckan.cli.cli import ckan
from ckan.tests import factories, helpers

from ckanext.sipessut.tests.factories import OPD, Dataset
from ckanext.sipessut.tests.validation.conftest import BAD_CSV, DICTIONARY, GOOD_CSV, file_storage
from ckanext.sipessut.validation import model

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "clean_redis")


@pytest.fixture
def two_opds():
    """Two OPDs with one table each (one valid, one invalid), plus a PDF."""
    made = {}
    admin = {"user": factories.Sysadmin()["name"]}
    for name, content in (("dinkes", GOOD_CSV), ("disdik", BAD_CSV)):
        org = OPD(name=name, title=f"Dinas {name}")
        dataset = Dataset(owner_org=org["id"])
        made[name] = helpers.call_action(
            "resource_create",
            dict(admin),
            package_id=dataset["id"],
            upload=file_storage(content, "t.csv"),
            url="",
            data_dictionary=DICTIONARY,
        )
        helpers.call_action(
            "resource_create",
            dict(admin),
            package_id=dataset["id"],
            url="http://x.id/a.pdf",
            format="PDF",
        )
    return made


def sipessut(cli, *args):
    result = cli.invoke(ckan, ["sipessut", "validation", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_bulk_run_for_one_opd(cli, two_opds):
    output = sipessut(cli, "run", "--opd", "disdik", "--sync")

    assert "1 resource(s) sent to validation" in output
    assert [r["trigger"] for r in model.history(two_opds["disdik"]["id"], 5)] == ["cli", "create"]
    assert len(model.history(two_opds["dinkes"]["id"], 5)) == 1


def test_bulk_run_by_status_and_format(cli, two_opds):
    invalid = sipessut(cli, "run", "--status", "invalid", "--dry-run")
    pdf = sipessut(cli, "run", "--format", "pdf", "--dry-run")

    assert invalid.count("would validate") == 1
    assert two_opds["disdik"]["id"] in invalid or "t" in invalid.split("/")[-1]
    assert "0 resource(s) selected" in pdf


def test_bulk_run_in_jobs_skips_unchanged_files_unless_forced(cli, two_opds, run_jobs):
    resource_id = two_opds["dinkes"]["id"]
    sipessut(cli, "run")
    run_jobs()
    unchanged = model.history(resource_id, 5)[0]

    sipessut(cli, "run", "--force")
    run_jobs()
    forced = model.history(resource_id, 5)[0]

    assert (unchanged["trigger"], unchanged["status"]) == ("cli", "skipped")
    assert (forced["trigger"], forced["status"]) == ("cli", "valid")
    assert helpers.call_action("resource_show", id=resource_id)["validation_status"] == "valid"


def test_summary_per_opd(cli, two_opds, tmp_path):
    target = tmp_path / "ringkasan.csv"

    sipessut(cli, "report", "--output", str(target))

    rows = {row["opd"]: row for row in csv.DictReader(target.open(encoding="utf-8"))}
    assert rows["dinkes"]["tables"] == "1"
    assert rows["dinkes"]["valid"] == "1"
    assert rows["dinkes"]["valid_percent"] == "100.0"
    assert rows["disdik"]["invalid"] == "1"
    assert rows["disdik"]["errors"] == "2"
    assert rows["disdik"]["opd_title"] == "Dinas disdik"


@pytest.mark.ckan_config("ckanext.sipessut.validation.sync_max_bytes", "0")
def test_sweep_ends_runs_whose_job_is_gone(cli, two_opds):
    from ckan.lib import jobs

    resource = two_opds["dinkes"]
    jobs.job_from_id(model.latest(resource["id"])["job_id"]).delete()

    output = sipessut(cli, "sweep")

    assert "1 run(s) ended as error" in output
    assert helpers.call_action("resource_show", id=resource["id"])["validation_status"] == "error"
