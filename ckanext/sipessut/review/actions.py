"""Actions of the review domain, and the chained core actions that keep visibility honest."""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model as ckan_model
from ckan.lib import search

from ckanext.sipessut import validation
from ckanext.sipessut.review import activity, checks, model, notify, states, visibility
from ckanext.sipessut.review.auth import acting_user
from ckanext.sipessut.review.model import Event

QUEUE_PAGE_DEFAULT = 50
QUEUE_PAGE_MAX = 200
QUEUE_MAX_DAYS = 3650
QUEUE_VALIDATION_FILTERS = validation.DATASET_STATUSES
# Former names of a filter value, still accepted.
QUEUE_VALIDATION_ALIASES = {"unchecked": validation.NOT_VALIDATED}


def review_submit(context, data_dict) -> dict[str, Any]:
    """Submit a dataset of one's OPD to the Walidata (Perpres 39/2019 Pasal 33).

    The dataset stays private and cannot be edited by its OPD until the Walidata decides
    (or the OPD withdraws the submission).

    :param id: the id or name of the dataset
    :param note: an optional note for the Walidata (at most 5000 characters)
    :returns: ``{"package_id", "state", "event"}``
    """
    return _move(context, data_dict, "submit")


def review_withdraw(context, data_dict) -> dict[str, Any]:
    """Take back a submission that the Walidata has not decided on yet; back to draft.

    :param id: the id or name of the dataset
    :param note: optional
    """
    return _move(context, data_dict, "withdraw")


def review_approve(context, data_dict) -> dict[str, Any]:
    """Approve a submitted dataset: it becomes public (Walidata reviewers and sysadmins).

    :param id: the id or name of the dataset
    :param note: optional
    """
    return _move(context, data_dict, "approve")


def review_return(context, data_dict) -> dict[str, Any]:
    """Return a submitted (or published) dataset to its OPD for correction (Pasal 34).

    A published dataset returned this way is private again until it is approved again.

    :param id: the id or name of the dataset
    :param note: required: what the OPD must correct (at most 5000 characters)
    """
    return _move(context, data_dict, "return")


def _move(context, data_dict, verb: str) -> dict[str, Any]:
    transition = states.TRANSITIONS[verb]
    package = _package(data_dict)
    tk.check_access(f"sipessut_review_{verb}", context, {"id": package.id})
    note = _note(data_dict, transition)
    current = model.current_state(package)
    if current not in transition.sources:
        raise tk.ValidationError({"state": [states.not_allowed_message(verb, current)]})
    if package.state != "active" or not package.owner_org:
        raise tk.ValidationError(
            {"state": [tk._("Only a finished dataset of an OPD can go through the review")]}
        )
    dataset = tk.get_action("package_show")(
        {"ignore_auth": True, "use_cache": False, "for_view": False}, {"id": package.id}
    )
    errors = checks.run(verb, dataset)
    if errors:
        raise tk.ValidationError(errors)

    actor = acting_user(context)
    event = model.move(package, current, transition.target, verb, actor.id if actor else None, note)
    if event is None:
        ckan_model.Session.rollback()
        raise tk.ValidationError(
            {
                "state": [
                    tk._(
                        "Someone else has just acted on this dataset: reload the page to see"
                        " its state"
                    )
                ]
            }
        )
    activity.record(package, event)
    try:
        private = not states.is_public(transition.target)
        if bool(package.private) != private:
            # package_update checks, saves, re-indexes and commits it all at once.
            tk.get_action("package_patch")(
                {"user": actor.name if actor else "", "ignore_auth": True},
                {"id": package.id, "private": private},
            )
        else:
            # Search must learn who may now find it (see labels.py) before we commit.
            search.rebuild(package.id)
            ckan_model.repo.commit()
    except Exception:
        ckan_model.Session.rollback()
        raise
    notify.notify(package, event)
    return {"package_id": package.id, "state": event.to_state, "event": _event_dict(event)}


def _package(data_dict: dict[str, Any]) -> ckan_model.Package:
    package = ckan_model.Package.get(tk.get_or_bust(data_dict, "id"))
    if package is None or package.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return package


def _note(data_dict: dict[str, Any], transition: states.Transition) -> str | None:
    note = data_dict.get("note")
    if note is not None and not isinstance(note, str):
        raise tk.ValidationError({"note": [tk._("The note must be text")]})
    note = (note or "").strip()
    if len(note) > states.NOTE_MAX_LENGTH:
        raise tk.ValidationError(
            {
                "note": [
                    tk._("The note is too long: at most {limit} characters").format(
                        limit=states.NOTE_MAX_LENGTH
                    )
                ]
            }
        )
    if transition.note_required and not note:
        raise tk.ValidationError(
            {"note": [tk._("Write what the OPD must correct: a note is required")]}
        )
    return note or None


def _user_dict(user_id: str | None) -> dict[str, Any] | None:
    user = ckan_model.User.get(user_id) if user_id else None
    if user is None:
        return None
    return {"id": user.id, "name": user.name, "display_name": user.display_name}


def _event_dict(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "created": event.created.isoformat(),
        "actor": _user_dict(event.actor_id),
        "action": event.action,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "note": event.note,
    }


@tk.side_effect_free
def review_history(context, data_dict) -> dict[str, Any]:
    """The review state of a dataset and every transition it went through, oldest first.

    For the dataset's OPD editors and admins, and the Walidata's reviewers while they
    may read the dataset.

    :param id: the id or name of the dataset
    :returns: ``{"package_id", "state", "events": [{"id", "created", "actor", "action",
        "from_state", "to_state", "note"}]}``
    """
    package = _package(data_dict)
    tk.check_access("sipessut_review_history", context, {"id": package.id})
    return {
        "package_id": package.id,
        "state": model.current_state(package),
        "events": [_event_dict(e) for e in model.events(package.id)],
    }


def _at_most(limit: int):
    def validator(value: Any) -> Any:
        if value > limit:
            raise tk.Invalid(tk._("At most {limit}").format(limit=limit))
        return value

    return validator


def _queue_schema() -> dict[str, list[Any]]:
    v = tk.get_validator
    return {
        "organization": [v("ignore_missing"), v("unicode_safe")],
        "min_days": [v("ignore_missing"), v("natural_number_validator"), _at_most(QUEUE_MAX_DAYS)],
        "validation": [
            v("ignore_missing"),
            v("one_of")([*QUEUE_VALIDATION_FILTERS, *QUEUE_VALIDATION_ALIASES]),
        ],
        "limit": [
            v("default")(QUEUE_PAGE_DEFAULT),
            v("natural_number_validator"),
            _at_most(QUEUE_PAGE_MAX),
        ],
        "offset": [v("default")(0), v("natural_number_validator")],
    }


@tk.side_effect_free
def review_queue(context, data_dict) -> dict[str, Any]:
    """The datasets waiting for the Walidata, longest waiting first.

    :param organization: only this OPD's datasets (id or name)
    :param min_days: only those waiting at least this many days
    :param validation: only those whose tables are, at worst, ``invalid``, ``error`` (could
        not be validated), ``pending``, ``not_validated`` (``unchecked``, its former name,
        is still accepted), ``valid``, or ``none`` (no table)
    :param limit: at most this many results (default 50, at most 200)
    :param offset: skip this many
    :returns: ``{"count", "results": [{"id", "name", "title", "type", "organization",
        "submitted_at", "submitted_by", "waiting_days", "note", "resources",
        "validation"}], "organizations": [{"id", "name", "title", "count"}]}``;
        ``organizations`` counts the waiting datasets per OPD under the other filters.
    """
    tk.check_access("sipessut_review_queue", context, data_dict)
    data, errors = tk.navl_validate(data_dict, _queue_schema(), context)
    if errors:
        raise tk.ValidationError(errors)
    organization_id = None
    if data.get("organization"):
        organization = ckan_model.Group.get(data["organization"])
        if organization is None or not organization.is_organization:
            raise tk.ValidationError({"organization": [tk._("There is no such OPD")]})
        organization_id = organization.id
    now = model.utcnow()
    filters = model.QueueFilters(
        organization_id=organization_id,
        submitted_before=now - datetime.timedelta(days=data["min_days"])
        if data.get("min_days")
        else None,
        validation=QUEUE_VALIDATION_ALIASES.get(data.get("validation"), data.get("validation")),
    )
    page = model.queue(filters, validation.dataset_status_column, data["limit"], data["offset"])
    ids = [package.id for package, _, _ in page.rows]
    resources = _resources_of(ids)
    submissions = model.last_events(ids, "submit")
    organizations = _groups({package.owner_org for package, _, _ in page.rows})
    users = _users({event.actor_id for event in submissions.values() if event.actor_id})
    return {
        "count": page.count,
        "results": [
            _queue_item(
                package,
                since,
                organizations.get(package.owner_org),
                submissions.get(package.id),
                users,
                resources.get(package.id, []),
                now,
            )
            for package, since, _ in page.rows
        ],
        "organizations": [
            {
                "id": organization.id,
                "name": organization.name,
                "title": organization.title or organization.name,
                "count": count,
            }
            for organization, count in page.per_organization
        ],
    }


def _groups(ids: set[str]) -> dict[str, ckan_model.Group]:
    if not ids:
        return {}
    query = ckan_model.Session.query(ckan_model.Group).filter(ckan_model.Group.id.in_(list(ids)))
    return {group.id: group for group in query}


def _users(ids: set[str]) -> dict[str, ckan_model.User]:
    if not ids:
        return {}
    query = ckan_model.Session.query(ckan_model.User).filter(ckan_model.User.id.in_(list(ids)))
    return {user.id: user for user in query}


def _resources_of(package_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Format, link and stored extra fields (where validation_status lives) of active
    resources, as validation's status rules read them."""
    found: dict[str, list[dict[str, Any]]] = {}
    if not package_ids:
        return found
    query = ckan_model.Session.query(
        ckan_model.Resource.package_id,
        ckan_model.Resource.format,
        ckan_model.Resource.url,
        ckan_model.Resource.extras,
    ).filter(ckan_model.Resource.package_id.in_(package_ids), ckan_model.Resource.state == "active")
    for package_id, format_, url, extras in query:
        found.setdefault(package_id, []).append({**(extras or {}), "format": format_, "url": url})
    return found


def _queue_item(package, since, organization, submission, users, resources, now) -> dict[str, Any]:
    submitter = users.get(submission.actor_id) if submission and submission.actor_id else None
    return {
        "id": package.id,
        "name": package.name,
        "title": package.title,
        "type": package.type,
        "organization": {
            "id": organization.id,
            "name": organization.name,
            "title": organization.title,
        }
        if organization
        else None,
        "submitted_at": since.isoformat() if since else None,
        "submitted_by": {
            "id": submitter.id,
            "name": submitter.name,
            "display_name": submitter.display_name,
        }
        if submitter
        else None,
        "waiting_days": (now - since).days if since else 0,
        "note": submission.note if submission else None,
        "resources": len(resources),
        "validation": validation.dataset_status(resources).as_dict(),
    }


# Chained core actions: the visibility guard (see visibility.py).


@tk.chained_action
def package_create(up_func, context, data_dict):
    visibility.check_create(context, data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def package_update(up_func, context, data_dict):
    visibility.check_update(context, data_dict)
    visibility.remember_visibility(context, data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def bulk_update_public(up_func, context, data_dict):
    was_private = visibility.visibility_of(data_dict.get("datasets") or [])
    result = up_func(context, data_dict)
    visibility.sync_many(context, was_private)
    return result


@tk.chained_action
def bulk_update_private(up_func, context, data_dict):
    was_private = visibility.visibility_of(data_dict.get("datasets") or [])
    result = up_func(context, data_dict)
    visibility.sync_many(context, was_private)
    return result


def after_dataset_update(context: dict[str, Any], pkg_dict: dict[str, Any]) -> None:
    """IPackageController hook: inside package_update's transaction."""
    visibility.sync(
        context, ckan_model.Package.get(pkg_dict.get("id", "")), context.get(visibility.WAS_PRIVATE)
    )
