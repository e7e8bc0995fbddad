"""Keeping CKAN's organizations true to the registry: plan, then apply.

The plan compares the checked registry with what the portal holds, matching
OPDs by kode SKPD (the current code, else a former one listed in
`kode_skpd_lama`), never by name. Applying it calls CKAN's own actions
(organization_create / _patch / _delete), so authorization, validation,
activity and search indexing stay CKAN's. An OPD whose values already match
is not touched: a second run changes nothing and writes no activity.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut.opd import identity, index, model, queries
from ckanext.sipessut.opd.registry import WALIDATA, Entry, Registry, field_defaults

CREATE = "create"
UPDATE = "update"
RESTORE = "restore"
PRUNE = "prune"


class PlanError(Exception):
    """The registry cannot be applied to this portal; nothing was changed."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


class ApplyError(Exception):
    """CKAN refused one change; the changes before it were applied."""

    def __init__(self, plan: Plan, failed: Operation, message: str):
        super().__init__(message)
        self.plan = plan
        self.failed = failed
        self.message = message


@dataclass
class Operation:
    kind: str
    kode_skpd: str
    name: str
    title: str
    org: queries.OrgRecord | None = None
    entry: Entry | None = None
    data: dict[str, Any] = field(default_factory=dict)
    diff: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    applied: bool = False

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "action": self.kind,
            "kode_skpd": self.kode_skpd,
            "name": self.name,
            "title": self.title,
            "applied": self.applied,
        }
        if self.org is not None:
            result["id"] = self.org.id
        if self.diff:
            result["changes"] = {
                key: {"old": old, "new": new} for key, (old, new) in self.diff.items()
            }
        if self.entry is not None:
            result["line"] = self.entry.line
        return result


@dataclass
class Plan:
    registry: Registry
    operations: list[Operation]
    unchanged: list[str]
    not_in_registry: list[dict[str, Any]]
    warnings: list[str]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((CREATE, UPDATE, RESTORE, PRUNE), 0)
        for operation in self.operations:
            counts[operation.kind] += 1
        counts["unchanged"] = len(self.unchanged)
        counts["not_in_registry"] = len(self.not_in_registry)
        return counts

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.registry.source,
            "wilayah": self.registry.wilayah,
            "opd": len(self.registry.entries),
            "summary": self.counts(),
            "changes": [operation.as_dict() for operation in self.operations],
            "unchanged": self.unchanged,
            "not_in_registry": self.not_in_registry,
            "warnings": self.warnings,
        }


# --- planning ------------------------------------------------------------------------


def plan(registry: Registry, prune: bool = False) -> Plan:
    """What sync would do; PlanError when the registry conflicts with the portal."""
    orgs = queries.organizations(states=("active", "deleted"))
    by_code = _index_by_code(orgs)
    by_former_code = _index_by_former_code(orgs)
    holders = {org.name: org for org in orgs}
    errors: list[str] = []
    operations: list[Operation] = []
    unchanged: list[str] = []
    matched: dict[str, Operation | None] = {}

    for entry in registry.entries:
        org = _match(entry, by_code, by_former_code)
        if org is not None and org.id in matched:
            errors.append(_at(entry, tk._("matches the same organization as another entry.")))
            continue
        if org is not None and org.state == "deleted":
            merge = model.merged_code(org.kode_skpd)
            if merge is not None:
                target = queries.organization(merge["organization_id"])
                errors.append(
                    _at(
                        entry,
                        tk._(
                            "kode SKPD {code} ({title}) was merged into {target} on {date}; "
                            "remove this entry from the registry."
                        ).format(
                            code=org.kode_skpd,
                            title=org.title,
                            target=target.name if target else merge["organization_id"],
                            date=(merge["created"] or "")[:10],
                        ),
                    )
                )
                continue
        operation = _operation_for(entry, org, registry.wilayah)
        if org is not None:
            matched[org.id] = operation
        if operation is None:
            unchanged.append(org.name if org is not None else entry.name)
        else:
            operations.append(operation)

    errors += _name_conflicts(operations, holders, matched)
    errors += _walidata_conflicts(registry, orgs, matched)

    counts = queries.dataset_counts()
    not_in_registry = []
    for org in orgs:
        if org.state != "active" or org.id in matched:
            continue
        datasets = counts.get(org.id, 0)
        if prune and datasets == 0:
            action = PRUNE
            operations.append(Operation(PRUNE, org.kode_skpd, org.name, org.title, org=org))
        else:
            action = "refused" if prune else "kept"
        not_in_registry.append({**org.summary(), "datasets": datasets, "action": action})

    ordered = _ordered(operations, errors)
    if errors:
        raise PlanError(errors)
    return Plan(
        registry,
        ordered,
        unchanged,
        not_in_registry,
        [*registry.warnings, *_warnings_to_check(registry)],
    )


def _at(entry: Entry, message: str) -> str:
    return tk._("line {line}: {message}").format(line=entry.line, message=message)


def _index_by_code(orgs: Iterable[queries.OrgRecord]) -> dict[str, queries.OrgRecord]:
    """Organizations by kode SKPD; an active one wins over a deleted one."""
    by_code: dict[str, queries.OrgRecord] = {}
    for state in ("deleted", "active"):
        for org in orgs:
            if org.state == state and org.kode_skpd:
                by_code[org.kode_skpd] = org
    return by_code


def _index_by_former_code(orgs: Iterable[queries.OrgRecord]) -> dict[str, queries.OrgRecord]:
    """Organizations by the codes they had: `kode_skpd_lama`, and codes changed
    on the portal (recorded in the OPD history), so that an older registry
    finds its OPDs instead of creating them twice."""
    by_id = {org.id: org for org in orgs}
    by_code: dict[str, queries.OrgRecord] = {}
    for code, org_id in model.former_codes().items():
        if org_id in by_id:
            by_code[code] = by_id[org_id]
    for org in orgs:
        for code in org.value("kode_skpd_lama"):
            by_code[code] = org
    return by_code


def _match(
    entry: Entry,
    by_code: dict[str, queries.OrgRecord],
    by_former_code: dict[str, queries.OrgRecord],
) -> queries.OrgRecord | None:
    """The organization of an entry: by its code, else by a former code of the
    entry, else by a former code of an organization."""
    for code in (entry.kode_skpd, *entry.former_codes):
        if code in by_code:
            return by_code[code]
    for code in (entry.kode_skpd, *entry.former_codes):
        if code in by_former_code:
            return by_former_code[code]
    return None


def _operation_for(entry: Entry, org: queries.OrgRecord | None, wilayah: str) -> Operation | None:
    desired = entry.desired(wilayah)
    title = desired["title"]
    if org is None:
        return Operation(CREATE, entry.kode_skpd, entry.name, title, entry=entry, data=desired)
    if not entry.name_given:
        desired.pop("name")
    name = desired.get("name", org.name)
    defaults = field_defaults(wilayah)

    def current(key: str) -> Any:
        # An empty field means its default: no change needed to say it again.
        return org.value(key) or defaults.get(key, org.value(key))

    diff = {
        key: (current(key), identity.canonical(key, value))
        for key, value in desired.items()
        if current(key) != identity.canonical(key, value)
    }
    if org.state == "deleted":
        data = {key: new for key, (_old, new) in diff.items()}
        data["state"] = "active"
        return Operation(
            RESTORE, entry.kode_skpd, name, title, org=org, entry=entry, data=data, diff=diff
        )
    if not diff:
        return None
    data = {key: new for key, (_old, new) in diff.items()}
    return Operation(
        UPDATE, entry.kode_skpd, name, title, org=org, entry=entry, data=data, diff=diff
    )


def _name_conflicts(
    operations: list[Operation],
    holders: dict[str, queries.OrgRecord],
    matched: dict[str, Operation | None],
) -> list[str]:
    """A URL name an operation takes must be free, or freed by another operation."""
    final_name = {
        org_id: (operation.name if operation is not None and "name" in operation.diff else None)
        for org_id, operation in matched.items()
    }
    errors = []
    for operation in operations:
        if operation.entry is None or not (operation.kind == CREATE or "name" in operation.diff):
            continue
        holder = holders.get(operation.name)
        if holder is None or holder is operation.org:
            continue
        if holder.id in matched and final_name[holder.id] not in (None, operation.name):
            continue  # the holder is renamed by this sync: it lets go of the name
        errors.append(
            _at(
                operation.entry,
                tk._(
                    "the URL name {name} belongs to the organization {title} ({state}), which is "
                    "not in the registry; rename or purge it first."
                ).format(name=operation.name, title=holder.title, state=holder.state)
                if holder.id not in matched
                else tk._(
                    "the URL name {name} stays with the organization {title}, which the registry "
                    "lists under kode SKPD {code}."
                ).format(name=operation.name, title=holder.title, code=holder.kode_skpd),
            )
        )
    return errors


def _walidata_conflicts(
    registry: Registry,
    orgs: list[queries.OrgRecord],
    matched: dict[str, Operation | None],
) -> list[str]:
    named = [entry for entry in registry.entries if entry.values.get("peran") == WALIDATA]
    if not named:
        return []
    others = [
        org
        for org in orgs
        if org.state == "active" and org.id not in matched and org.value("peran") == WALIDATA
    ]
    return [
        _at(
            named[0],
            tk._(
                "the organization {title} is the Walidata and is not in the registry; only one "
                "OPD can be the Walidata."
            ).format(title=org.title),
        )
        for org in others
    ]


def _warnings_to_check(registry: Registry) -> list[str]:
    """What a person should check in the registry: placeholder codes, unconfirmed OPDs."""
    warnings = []
    placeholders = [
        entry.name
        for entry in registry.entries
        if entry.values.get("kode_skpd_status") == "sementara"
    ]
    if placeholders:
        warnings.append(
            tk._(
                "{count} OPDs have a placeholder kode SKPD (kode_skpd_status: sementara); "
                "replace them with the official SIPD codes: {names}"
            ).format(count=len(placeholders), names=", ".join(placeholders))
        )
    unconfirmed = [entry.name for entry in registry.entries if not entry.values.get("sumber")]
    if unconfirmed:
        warnings.append(
            tk._(
                "{count} OPDs are not confirmed by a source (no `sumber`); review them: {names}"
            ).format(count=len(unconfirmed), names=", ".join(unconfirmed))
        )
    return warnings


def _ordered(operations: list[Operation], errors: list[str]) -> list[Operation]:
    """The operations in an order CKAN accepts: a name is freed before it is
    taken, a parent OPD exists before its units point to it, and the old
    Walidata steps down before the new one steps up. Otherwise file order."""
    releases_name = {
        operation.org.name: operation
        for operation in operations
        if operation.org is not None and "name" in operation.diff
    }
    creates_code = {
        operation.kode_skpd: operation
        for operation in operations
        if operation.kind in (CREATE, RESTORE)
    }
    demotes_walidata = [
        operation
        for operation in operations
        if "peran" in operation.diff and operation.diff["peran"][0] == WALIDATA
    ]
    after: dict[int, set[int]] = {id(operation): set() for operation in operations}
    for operation in operations:
        needs = []
        if operation.kind == CREATE or "name" in operation.diff:
            needs.append(releases_name.get(operation.name))
        parent = operation.data.get("induk")
        if parent:
            needs.append(creates_code.get(parent))
        if operation.data.get("peran") == WALIDATA:
            needs.extend(demotes_walidata)
        after[id(operation)] = {id(n) for n in needs if n is not None and n is not operation}

    ordered: list[Operation] = []
    done: set[int] = set()
    pending = list(operations)
    while pending:
        ready = [operation for operation in pending if after[id(operation)] <= done]
        if not ready:
            errors.append(
                tk._(
                    "these changes depend on each other (for example two OPDs swapping URL "
                    "names): {names}; make one of them in a separate sync."
                ).format(names=", ".join(operation.name for operation in pending))
            )
            return ordered
        for operation in ready:
            ordered.append(operation)
            done.add(id(operation))
        pending = [operation for operation in pending if id(operation) not in done]
    return ordered


# --- applying ------------------------------------------------------------------------


def apply(plan: Plan, user: str) -> Plan:
    """Carries the plan out through CKAN's actions, as `user`; ApplyError
    names the change CKAN refused (those before it stay applied)."""
    try:
        for operation in plan.operations:
            try:
                _apply_one(operation, user)
            except tk.ValidationError as error:
                raise ApplyError(plan, operation, _validation_message(error)) from error
            operation.applied = True
    finally:
        index.forget()
    return plan


def _apply_one(operation: Operation, user: str) -> None:
    context = {"user": user}
    if operation.kind == CREATE:
        tk.get_action("organization_create")(context, dict(operation.data))
    elif operation.kind in (UPDATE, RESTORE):
        assert operation.org is not None
        tk.get_action("organization_patch")(context, {"id": operation.org.id, **operation.data})
    elif operation.kind == PRUNE:
        assert operation.org is not None
        tk.get_action("organization_delete")(context, {"id": operation.org.id})


def _validation_message(error: tk.ValidationError) -> str:
    parts = []
    for key, messages in (error.error_dict or {}).items():
        if isinstance(messages, list):
            messages = "; ".join(str(message) for message in messages)
        parts.append(f"{key}: {messages}")
    return ", ".join(parts) or str(error)
