"""Pages of the review: the dataset's review tab, the transition buttons, the Walidata queue."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page
from flask import Blueprint

from ckanext.sipessut import metadata, validation
from ckanext.sipessut.review import states
from ckanext.sipessut.review.actions import QUEUE_STATES

blueprint = Blueprint("sipessut_review", __name__)

# Filter choices of the queue page: minimum waiting days.
WAITING_CHOICES = (1, 3, 7, 14, 30)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name, "auth_user_obj": tk.current_user}


def _dataset_or_abort(context: dict[str, Any], id: str) -> dict[str, Any]:
    try:
        return tk.get_action("package_show")(dict(context), {"id": id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You may not read this dataset"))


def _render_review(
    dataset: dict[str, Any], note: str = "", errors: dict[str, Any] | None = None, status=200
):
    context = _context()
    try:
        history = tk.get_action("sipessut_review_history")(context, {"id": dataset["id"]})
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error) or tk._("You may not see this dataset's review"))
    extra_vars = {
        "pkg_dict": dataset,
        "pkg": dataset,
        "dataset_type": dataset.get("type") or "dataset",
        "history": history,
        "note": note,
        "errors": errors or {},
        "note_max_length": states.NOTE_MAX_LENGTH,
    }
    return tk.render("sipessut/review/dataset.html", extra_vars), status


@blueprint.route("/dataset/review/<id>")
def dataset(id: str):
    """The dataset's review tab: state, what the user may do, the whole history."""
    return _render_review(_dataset_or_abort(_context(), id))


@blueprint.route("/dataset/review/<id>/<verb>", methods=["POST"])
def act(id: str, verb: str):
    """Run one transition; a refused note comes back in the form, nothing typed is lost."""
    if verb not in states.TRANSITIONS:
        return tk.abort(404, tk._("Unknown review action"))
    context = _context()
    dataset = _dataset_or_abort(context, id)
    form = tk.request.form
    note = form.get("note", "")
    data = {"id": dataset["id"], "note": note}
    if verb == "approve":
        try:  # who may not approve hears that first, confirmed or not
            tk.check_access("sipessut_review_approve", context, {"id": dataset["id"]})
        except tk.NotAuthorized as error:
            return tk.abort(403, str(error))
        # Approving is confirmed on the review tab, after its checklist (no one publishes
        # by a stray click); publishing failing tables is a second, explicit choice.
        if form.get("confirm") != "1":
            return _render_review(
                dataset,
                note=note,
                errors={
                    "confirm": [tk._("Confirm that you checked the list above before approving")]
                },
                status=409,
            )
        data["confirm_invalid"] = form.get("confirm_invalid") == "1"
    try:
        tk.get_action(f"sipessut_review_{verb}")(context, data)
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ValidationError as error:
        errors = error.error_dict
        if "note" in errors or "confirm_invalid" in errors or verb == "return":
            return _render_review(dataset, note=note, errors=errors, status=409)
        for message in _refusal_messages(dataset, errors):
            tk.h.flash_error(message)
        # The dataset page lists what is missing, with links to the fields.
        return tk.redirect_to(f"{dataset.get('type') or 'dataset'}.read", id=dataset["name"])
    tk.h.flash_success(_success_message(verb))
    # A returned dataset is private to its OPD again: the reviewer goes back to the queue.
    if verb == "return" or tk.request.form.get("next") == "queue":
        return tk.redirect_to("sipessut_review.queue")
    return tk.redirect_to(f"{dataset.get('type') or 'dataset'}.read", id=dataset["name"])


def _refusal_messages(dataset: dict[str, Any], errors: dict[str, Any]) -> list[str]:
    """One message per reason, naming each field once ("Required before ...: Sektor,
    Sumber Data"), instead of the same sentence once per field."""
    labels = {item["field"]: item["label"] for item in metadata.missing(dataset)}
    fields_by_message: dict[str, list[str]] = {}
    for field, messages in errors.items():
        for message in messages if isinstance(messages, list) else [messages]:
            names = fields_by_message.setdefault(str(message), [])
            if field in labels and labels[field] not in names:
                names.append(labels[field])
    return [
        tk._("{message}: {fields}.").format(message=message, fields=", ".join(names))
        if names
        else message
        for message, names in fields_by_message.items()
    ]


def _success_message(verb: str) -> str:
    messages = {
        "submit": tk._("The dataset has been submitted to the Walidata"),
        "withdraw": tk._("The submission has been withdrawn; the dataset is a draft again"),
        "approve": tk._("The dataset has been approved and is now public"),
        "return": tk._("The dataset has been returned to its OPD with your note"),
    }
    return messages[verb]


@blueprint.route("/walidata/queue")
def queue():
    """What waits for the Walidata (or was returned, or is published), filterable by state,
    OPD, waiting time and validation."""
    context = _context()
    args = tk.request.args
    filters = {
        key: args.get(key)
        for key in ("state", "organization", "min_days", "validation")
        if args.get(key) not in (None, "")
    }
    page = max(tk.h.get_page_number(tk.request.args), 1)
    limit = 50
    try:
        result = tk.get_action("sipessut_review_queue")(
            context, {**filters, "limit": limit, "offset": (page - 1) * limit}
        )
        errors = {}
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ValidationError as error:
        result, errors = {"count": 0, "results": [], "organizations": []}, error.error_dict
    extra_vars = {
        "result": result,
        "filters": filters,
        "errors": errors,
        "organizations": result.get("organizations", []),
        "waiting_choices": WAITING_CHOICES,
        "state": result.get("state") or filters.get("state") or states.DIAJUKAN,
        "state_choices": [(code, states.state_label(code)) for code in QUEUE_STATES],
        "validation_choices": [
            (code, validation.dataset_label(code)) for code in validation.DATASET_STATUSES
        ],
        "page": Page(
            collection=result["results"],
            page=page,
            url=lambda q=None, page=1: tk.h.url_for("sipessut_review.queue", page=page, **filters),
            presliced_list=True,
            item_count=result["count"],
            items_per_page=limit,
        ),
    }
    return tk.render("sipessut/review/queue.html", extra_vars)
