"""Who is who in the review tests: an OPD with its people, another OPD, the Walidata."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import factories

from ckanext.sipessut.tests.factories import OPD, Dataset


def act(action: str, user: dict[str, Any] | None, **data: Any) -> Any:
    """Call an action as a user would (auth checked); None is the anonymous visitor."""
    return tk.get_action(action)({"user": user["name"] if user else ""}, data)


@dataclass
class Portal:
    opd: dict[str, Any]
    opd_editor: dict[str, Any]
    opd_admin: dict[str, Any]
    opd_member: dict[str, Any]
    other_opd: dict[str, Any]
    other_editor: dict[str, Any]
    walidata: dict[str, Any]
    reviewer: dict[str, Any]
    walidata_admin: dict[str, Any]
    walidata_member: dict[str, Any]
    sysadmin: dict[str, Any]

    def dataset(self, **fields: Any) -> dict[str, Any]:
        """A private draft of the OPD with one CSV table, made by its editor."""
        fields.setdefault("resources", [{"url": "http://example.com/data.csv", "format": "CSV"}])
        return Dataset(owner_org=self.opd["id"], user=self.opd_editor, **fields)

    def in_state(self, state: str, **fields: Any) -> dict[str, Any]:
        """A dataset brought to `state` the way users do it."""
        dataset = self.dataset(**fields)
        if state == "draf":
            return dataset
        act("sipessut_review_submit", self.opd_editor, id=dataset["id"])
        if state == "dikembalikan":
            act("sipessut_review_return", self.reviewer, id=dataset["id"], note="Perbaiki judul")
        elif state == "ditayangkan":
            act("sipessut_review_approve", self.reviewer, id=dataset["id"])
        return dataset


def _user(**fields: Any) -> dict[str, Any]:
    return factories.UserWithToken(**fields)


@pytest.fixture
def portal(clean_db, clean_index) -> Portal:
    opd_editor, opd_admin, opd_member = _user(), _user(), _user()
    other_editor = _user()
    reviewer, walidata_admin, walidata_member = _user(), _user(), _user()
    opd = OPD(
        title="Dinas Kesehatan",
        peran="produsen_data",
        users=[
            {"name": opd_editor["name"], "capacity": "editor"},
            {"name": opd_admin["name"], "capacity": "admin"},
            {"name": opd_member["name"], "capacity": "member"},
        ],
    )
    other_opd = OPD(
        title="Dinas Pendidikan",
        peran="produsen_data",
        users=[{"name": other_editor["name"], "capacity": "editor"}],
    )
    walidata = OPD(
        title="Dinas Komunikasi dan Informatika",
        peran="walidata",
        email="walidata@samarindakota.example",
        users=[
            {"name": reviewer["name"], "capacity": "editor"},
            {"name": walidata_admin["name"], "capacity": "admin"},
            {"name": walidata_member["name"], "capacity": "member"},
        ],
    )
    return Portal(
        opd=opd,
        opd_editor=opd_editor,
        opd_admin=opd_admin,
        opd_member=opd_member,
        other_opd=other_opd,
        other_editor=other_editor,
        walidata=walidata,
        reviewer=reviewer,
        walidata_admin=walidata_admin,
        walidata_member=walidata_member,
        sysadmin=factories.SysadminWithToken(),
    )


def review_state(dataset_id: str) -> str:
    return tk.get_action("sipessut_review_history")({"ignore_auth": True}, {"id": dataset_id})[
        "state"
    ]


def events(dataset_id: str) -> list[dict[str, Any]]:
    return tk.get_action("sipessut_review_history")({"ignore_auth": True}, {"id": dataset_id})[
        "events"
    ]


def is_private(dataset_id: str) -> bool:
    model.Session.expire_all()
    return bool(model.Package.get(dataset_id).private)


def set_validation_statuses(dataset_id: str, statuses: list[str | None]) -> None:
    """Give the dataset's resources these validation statuses (None: not validated), in order.

    Users cannot set `validation_status`; the validation domain writes it, and this goes
    through the same function its jobs use.
    """
    from ckanext.sipessut.validation.runner import set_resource_status

    resources = tk.get_action("package_show")({"ignore_auth": True}, {"id": dataset_id})[
        "resources"
    ]
    for resource, status in zip(resources, statuses, strict=False):
        set_resource_status(resource["id"], status, "2026-11-27T10:00:00" if status else None)
