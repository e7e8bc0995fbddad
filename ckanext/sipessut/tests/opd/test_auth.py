"""Who may do what: every new action and command, for anonymous users, OPD members and sysadmins."""

from __future__ import annotations

import pytest
from ckan.tests import factories, helpers

from ckanext.sipessut.tests.factories import OPD
from ckanext.sipessut.tests.opd.conftest import entry, registry_text

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

REGISTRY = registry_text(
    entry("2.16.0.00.0.00.01.0000", "opd-a", "OPD A"),
    entry("1.02.0.00.0.00.01.0000", "opd-b", "OPD B", bidang='"1.02"'),
)

# action -> its data, and whether anonymous users and OPD members may call it
ACTIONS = {
    "sipessut_opd_sync": ({"registry": REGISTRY, "dry_run": True}, False),
    "sipessut_opd_merge": ({"old": "opd-a", "new": "opd-b", "dry_run": True}, False),
    "sipessut_opd_export": ({}, False),
    "sipessut_opd_resolve": ({"q": "OPD A"}, True),
    "sipessut_opd_history": ({"id": "opd-a"}, True),
}


@pytest.fixture
def users():
    member = factories.UserWithToken()
    OPD(
        name="opd-a",
        title="OPD A",
        kode_skpd="2.16.0.00.0.00.01.0000",
        users=[{"name": member["name"], "capacity": "admin"}],
    )
    OPD(name="opd-b", title="OPD B", kode_skpd="1.02.0.00.0.00.01.0000")
    return {"anonymous": None, "member": member, "sysadmin": factories.SysadminWithToken()}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("who", ["anonymous", "member", "sysadmin"])
def test_the_api_allows_each_action_to_the_right_users(app, users, action, who):
    data, public = ACTIONS[action]
    user = users[who]
    headers = {"Authorization": user["token"]} if user else {}
    allowed = public or who == "sysadmin"

    response = app.post(
        f"/api/3/action/{action}", json=data, headers=headers, status=200 if allowed else 403
    )

    assert response.json["success"] is allowed


@pytest.mark.parametrize(
    ("command", "output"),
    [
        (["sync", "--dry-run"], "Tidak ada yang diubah (uji coba)."),
        (["merge", "opd-a", "opd-b", "--dry-run"], "opd-a -> opd-b"),
        (["export"], "kode_skpd: 2.16.0.00.0.00.01.0000"),
    ],
)
@pytest.mark.parametrize("who", ["member", "sysadmin"])
def test_commands_run_for_sysadmins_only(cli, users, tmp_path, command, output, who):
    from ckan.cli.cli import ckan

    if command[0] == "sync":
        path = tmp_path / "registry.yaml"
        path.write_text(REGISTRY)
        command = [command[0], str(path), *command[1:]]

    result = cli.invoke(ckan, ["sipessut", "opd", *command, "--user", users[who]["name"]])

    if who == "sysadmin":
        assert result.exit_code == 0, result.output
        assert output in result.output
    else:
        assert result.exit_code == 1
        assert output not in result.output


def test_the_history_hides_who_did_it_from_the_public(users):
    sysadmin = users["sysadmin"]
    helpers.call_action(
        "organization_patch", {"user": sysadmin["name"]}, id="opd-a", title="OPD A Baru"
    )

    public = helpers.call_action("sipessut_opd_history", {"user": None}, id="opd-a")
    private = helpers.call_action("sipessut_opd_history", {"user": sysadmin["name"]}, id="opd-a")

    assert public[0]["old_title"] == "OPD A"
    assert "actor" not in public[0]
    assert private[0]["actor"] == sysadmin["name"]
