"""Actions of the OPD registry, and the two core actions it extends."""

from __future__ import annotations

from typing import Any

import ckan.authz as authz
import ckan.model as ckan_model
import ckan.plugins.toolkit as tk

from ckanext.sipessut.opd import export as export_module
from ckanext.sipessut.opd import identity, index, model, queries, registry, resolver, sync, views
from ckanext.sipessut.opd import merge as merge_module

MAX_URUSAN_FILTER = 20


def opd_sync(context, data_dict) -> dict[str, Any]:
    """Make the organizations match an OPD registry (sysadmins only).

    The whole registry is checked first; any problem (malformed YAML,
    duplicate codes, unknown codes, two Walidata, a conflict with the
    portal) refuses it with every problem and its line, and nothing changes.
    OPDs are matched by kode SKPD; an OPD that already matches is not
    touched, so a second run changes nothing.

    :param registry: the registry, as YAML text (default: the portal's
        configured registry, ``ckanext.sipessut.opd.registry``)
    :type registry: string
    :param dry_run: only report what would change (default: false)
    :type dry_run: bool
    :param prune: delete organizations that are not in the registry and hold
        no dataset (default: false); those holding datasets are never deleted
    :type prune: bool
    :returns: the plan: ``summary`` (counts), ``changes``, ``unchanged``,
        ``not_in_registry`` and ``warnings``; ``applied`` says whether it ran
    """
    tk.check_access("sipessut_opd_sync", context, data_dict)
    dry_run = tk.asbool(data_dict.get("dry_run", False))
    prune = tk.asbool(data_dict.get("prune", False))
    text = data_dict.get("registry")
    source = data_dict.get("source") or "registry"
    try:
        if text is None:
            text, source = registry.read_text(registry.default_location())
        if not isinstance(text, str):
            raise registry.RegistryError([tk._("The registry must be YAML text.")])
        parsed = registry.parse(text, str(source)[:200])
        plan = sync.plan(parsed, prune=prune)
    except (registry.RegistryError, sync.PlanError) as error:
        raise tk.ValidationError({"registry": error.errors}) from error
    if not dry_run:
        try:
            sync.apply(plan, context["user"])
        except sync.ApplyError as error:
            applied = [op.name for op in plan.operations if op.applied]
            raise tk.ValidationError(
                {
                    "registry": [
                        tk._(
                            "CKAN refused the change to {name}: {error}. Changes applied before "
                            "it: {applied}."
                        ).format(
                            name=error.failed.name,
                            error=error.message,
                            applied=", ".join(applied) or "-",
                        )
                    ]
                }
            ) from error
    return {**plan.as_dict(), "dry_run": dry_run, "applied": not dry_run}


def opd_merge(context, data_dict) -> dict[str, Any]:
    """Merge one OPD into another (sysadmins only).

    Every dataset of ``old`` (public, private, draft) and every member moves
    to ``new``; the merge is recorded; ``old`` is deleted and its URL
    redirects to ``new``.

    :param old: id, URL name or kode SKPD of the OPD that disappears
    :param new: id, URL name or kode SKPD of the OPD that carries on
    :param dry_run: only report what would move (default: false)
    """
    tk.check_access("sipessut_opd_merge", context, data_dict)
    old = tk.get_or_bust(data_dict, "old")
    new = tk.get_or_bust(data_dict, "new")
    return merge_module.merge(
        str(old), str(new), context["user"], tk.asbool(data_dict.get("dry_run", False))
    )


@tk.side_effect_free
def opd_export(context, data_dict) -> dict[str, Any]:
    """The portal's OPDs as a registry file that sync accepts as it is
    (sysadmins only).

    :returns: ``registry`` (YAML text), ``count``, and ``skipped``:
        organizations without a kode SKPD
    """
    tk.check_access("sipessut_opd_export", context, data_dict)
    return export_module.export()


@tk.side_effect_free
def opd_resolve(context, data_dict) -> dict[str, Any]:
    """Find the OPD a messy name means: a name, an abbreviation, an alias, a
    former name, a kode SKPD, in any casing and spacing, with or without
    "Kota Samarinda", "Kec." for Kecamatan, one letter wrong. Never an OPD of
    another region.

    :param q: the name or code to resolve (at most 300 characters)
    :type q: string
    :param limit: how many candidates to propose when nothing matches
        (default 5, at most 20)
    :type limit: int
    :returns: ``found``; when found, ``organization`` (id, name, title,
        kode_skpd, singkatan) and ``match`` (kode_skpd, former_kode_skpd,
        name, former_name, unit_name or typo); when not, ``reason``
        (no_match, ambiguous or other_region), ``message`` and
        ``candidates`` (closest first, each with a ``score``)
    """
    tk.check_access("sipessut_opd_resolve", context, data_dict)
    query = data_dict.get("q")
    if not isinstance(query, str) or not query.strip():
        raise tk.ValidationError({"q": [tk._("Give the name or code to resolve.")]})
    if len(query) > resolver.MAX_QUERY:
        raise tk.ValidationError(
            {"q": [tk._("At most {limit} characters.").format(limit=resolver.MAX_QUERY)]}
        )
    try:
        limit = int(data_dict.get("limit", 5))
    except (TypeError, ValueError):
        raise tk.ValidationError({"limit": [tk._("Must be a whole number.")]}) from None
    limit = max(1, min(limit, resolver.MAX_CANDIDATES))
    return resolver.resolve(query, limit).as_dict()


@tk.side_effect_free
def opd_history(context, data_dict) -> list[dict[str, Any]]:
    """The renames, code changes and merges of an OPD, newest first.

    :param id: id or URL name of the organization
    """
    tk.check_access("sipessut_opd_history", context, data_dict)
    reference = tk.get_or_bust(data_dict, "id")
    org = queries.organization(str(reference))
    if org is None:
        raise tk.ObjectNotFound(
            tk._("There is no organization {reference}.").format(reference=reference)
        )
    events = model.events(org.id)
    if not authz.is_sysadmin(context.get("user")):
        # Who did it, and which members moved, is for the walidata's admins.
        for event in events:
            event.pop("actor", None)
            event["details"] = {
                key: value
                for key, value in (event.get("details") or {}).items()
                if key != "members"
            }
    return events


# --- core actions, extended ----------------------------------------------------------


@tk.chained_action
def organization_update(up_func, context, data_dict):
    """Core's update, then: record a rename (old URL, title or kode SKPD) in the
    OPD history, and re-index the OPD's datasets when their search fields
    change (organization name, bidang urusan): core does neither."""
    reference = data_dict.get("id")
    before = queries.organization(str(reference)) if reference else None
    result = up_func(context, data_dict)
    after = queries.organization(result["id"]) if isinstance(result, dict) else None
    if before is not None and after is not None:
        _after_update(before, after, context)
    return result


def _after_update(before: queries.OrgRecord, after: queries.OrgRecord, context) -> None:
    changed = {
        "old_name": before.name if before.name != after.name else None,
        "old_title": before.title if before.title != after.title else None,
        "old_kode_skpd": (
            before.kode_skpd if before.kode_skpd and before.kode_skpd != after.kode_skpd else None
        ),
    }
    if any(changed.values()):
        model.record(
            model.RENAME,
            organization_id=after.id,
            source_organization_id=after.id,
            actor=context.get("user"),
            **changed,
        )
        if not context.get("defer_commit"):
            ckan_model.repo.commit()
    index.forget(after.id)
    if before.name != after.name or before.bidang_urusan != after.bidang_urusan:
        index.reindex(queries.dataset_ids(after.id))


@tk.chained_action
@tk.side_effect_free
def organization_list(up_func, context, data_dict):
    """Core's list, filtered by bidang urusan when ``urusan`` is given.

    :param urusan: bidang urusan codes (a list or comma-separated): an
        organization with any of them is listed; a top-level urusan code
        ("7") stands for all its bidang ("7.01", ...). The organizations page
        passes ``?urusan=`` from its address.
    """
    urusan = data_dict.get("urusan")
    if urusan is None and context.get("for_view"):
        # CKAN's organizations page builds this call itself and passes no extra
        # parameter: the page's own filter is read from its address (views.py).
        urusan = views.urusan_of_organizations_page()
    if not urusan:
        return up_func(context, {k: v for k, v in data_dict.items() if k != "urusan"})
    codes = identity.as_list(urusan, split_commas=True)[:MAX_URUSAN_FILTER]
    names = [org.name for org in queries.organizations() if _has_urusan(org, codes)]
    wanted = data_dict.get("organizations")
    if wanted:
        allowed = set(identity.as_list(wanted, split_commas=True))
        names = [name for name in names if name in allowed]
    if not names:
        tk.check_access("organization_list", context, data_dict)
        return []
    filtered = {k: v for k, v in data_dict.items() if k != "urusan"}
    filtered["organizations"] = names
    return up_func(context, filtered)


def _has_urusan(org: queries.OrgRecord, codes: list[str]) -> bool:
    return any(
        code == wanted or code.startswith(wanted + ".")
        for code in org.bidang_urusan
        for wanted in codes
    )
