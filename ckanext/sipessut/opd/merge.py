"""Merging one OPD into another, as a restructuring does.

Every dataset of OLD (public, private, draft, and those in the trash) moves to
NEW, every member of OLD becomes a member of NEW (keeping the higher role when
they already were), the merge is recorded in the OPD history, and OLD is
deleted: its URL then redirects to NEW, and the resolver sends its names and
kode SKPD to NEW. OLD is deleted last: run again after an interruption, the
merge carries on with what is left.
"""

from __future__ import annotations

from typing import Any

import ckan.model as ckan_model
import ckan.plugins.toolkit as tk

from ckanext.sipessut.opd import identity, index, model, queries

ROLE_RANK = {"member": 1, "editor": 2, "admin": 3}


def find(reference: str) -> queries.OrgRecord:
    """An organization by id, URL name or kode SKPD; ObjectNotFound otherwise."""
    org = queries.organization(reference)
    if org is None:
        try:
            code = identity.normalise_kode_skpd(reference)
        except identity.RuleError:
            code = None
        found = queries.with_extra("kode_skpd", code, states=("active", "deleted")) if code else []
        org = found[0] if found else None
    if org is None:
        raise tk.ObjectNotFound(
            tk._("There is no organization {reference}.").format(reference=reference)
        )
    return org


def merge(old_reference: str, new_reference: str, user: str, dry_run: bool = False) -> dict:
    old = find(old_reference)
    new = find(new_reference)
    if old.id == new.id:
        raise tk.ValidationError({"new": [tk._("An organization cannot be merged into itself.")]})
    if new.state != "active":
        raise tk.ValidationError(
            {
                "new": [
                    tk._("{name} is deleted: merge into an active organization.").format(
                        name=new.name
                    )
                ]
            }
        )
    if old.state != "active":
        raise tk.ValidationError(
            {"old": [tk._("{name} is already deleted (or merged).").format(name=old.name)]}
        )

    datasets = _datasets(old.id)
    members = _members_to_add(old.id, new.id)
    result: dict[str, Any] = {
        "old": old.summary(),
        "new": new.summary(),
        "datasets": {kind: len(ids) for kind, ids in datasets.items()},
        "members": [{"user": name, "role": role} for name, role in members],
        "dry_run": dry_run,
    }
    if dry_run:
        return result

    for name, role in members:
        tk.get_action("organization_member_create")(
            {"user": user}, {"id": new.id, "username": name, "role": role}
        )
    moved = [package_id for ids in datasets.values() for package_id in ids]
    for package_id in moved:
        tk.get_action("package_owner_org_update")(
            {"user": user, "defer_commit": True}, {"id": package_id, "organization_id": new.id}
        )
    result["history_id"] = model.record(
        model.MERGE,
        organization_id=new.id,
        source_organization_id=old.id,
        old_name=old.name,
        old_title=old.title,
        old_kode_skpd=old.kode_skpd,
        actor=user,
        details={"datasets": result["datasets"], "members": result["members"]},
    )
    ckan_model.repo.commit()
    # The search index learns the new owner (and who may see private datasets).
    visible = [
        package_id for kind, ids in datasets.items() if kind != "deleted" for package_id in ids
    ]
    index.reindex(visible)
    tk.get_action("organization_delete")({"user": user}, {"id": old.id})
    index.forget()
    return result


def _datasets(org_id: str) -> dict[str, list[str]]:
    kinds: dict[str, list[str]] = {"public": [], "private": [], "draft": [], "deleted": []}
    rows = ckan_model.Session.query(
        ckan_model.Package.id, ckan_model.Package.state, ckan_model.Package.private
    ).filter(ckan_model.Package.owner_org == org_id)
    for package_id, state, private in rows:
        if state == "deleted":
            kinds["deleted"].append(package_id)
        elif state == "draft":
            kinds["draft"].append(package_id)
        else:
            kinds["private" if private else "public"].append(package_id)
    return kinds


def _members_to_add(old_id: str, new_id: str) -> list[tuple[str, str]]:
    def roles(group_id: str) -> dict[str, tuple[str, str]]:
        rows = (
            ckan_model.Session.query(ckan_model.User.name, ckan_model.Member.capacity)
            .join(ckan_model.Member, ckan_model.Member.table_id == ckan_model.User.id)
            .filter(
                ckan_model.Member.group_id == group_id,
                ckan_model.Member.table_name == "user",
                ckan_model.Member.state == "active",
                ckan_model.User.state == "active",
            )
        )
        return {name: (name, capacity) for name, capacity in rows}

    current = roles(new_id)
    to_add = []
    for name, (_name, role) in sorted(roles(old_id).items()):
        have = current.get(name)
        if have is None or ROLE_RANK.get(role, 0) > ROLE_RANK.get(have[1], 0):
            to_add.append((name, role))
    return to_add
