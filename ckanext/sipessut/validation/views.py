"""The report page (server-rendered, no JavaScript bundle) and its two forms:
validate again, and accept a proposed data dictionary."""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, request

from ckanext.sipessut import codelists
from ckanext.sipessut.validation import check_plan, messages, model, runner

blueprint = Blueprint("sipessut_validation", __name__)
PREFIX = "/dataset/<id>/resource/<resource_id>/validation"


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name, "auth_user_obj": tk.current_user}


def _load(id: str, resource_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    context = _context()
    try:
        package = tk.get_action("package_show")(context, {"id": id})
        resource = tk.get_action("resource_show")(context, {"id": resource_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        # A private dataset is "not found" for those who may not read it.
        return tk.abort(404, tk._("Resource not found"))
    if resource.get("package_id") != package["id"]:
        return tk.abort(404, tk._("Resource not found"))
    return package, resource


def _can(action: str, resource_id: str) -> bool:
    try:
        tk.check_access(action, _context(), {"id": resource_id})
    except tk.NotAuthorized:
        return False
    return True


def report(id: str, resource_id: str):
    package, resource = _load(id, resource_id)
    context = _context()
    run = None
    try:
        run = tk.get_action("sipessut_validation_show")(
            context, {"id": resource_id, "run_id": request.args.get("run")}
        )
    except tk.ObjectNotFound:
        run = None
    except tk.NotAuthorized:
        return tk.abort(404, tk._("Resource not found"))
    runs = tk.get_action("sipessut_validation_history")(context, {"id": resource_id})
    try:
        dictionary = check_plan.load(resource.get(check_plan.FIELD))
    except check_plan.DictionaryProblem:
        dictionary = None
    labels = check_plan.code_labels(dictionary, codelists.current_language()) if dictionary else {}
    report_ = (run or {}).get("report")
    notices = [n.get("code") for n in (report_ or {}).get("notices") or []]
    moved = runner.moved_seconds(run)
    return tk.render(
        "sipessut/validation/report.html",
        {
            "pkg_dict": package,
            "package": package,
            "resource": resource,
            "run": run,
            "report": (run or {}).get("report"),
            "runs": runs,
            "labels": labels,
            "groups": _groups((run or {}).get("report"), labels),
            "can_run": _can("sipessut_validation_run", resource_id),
            "can_infer": _can("sipessut_schema_infer", resource_id),
            # What the report was checked against, so that the page never says both
            # "no data dictionary" and "matches its data dictionary".
            "checked_dictionary": bool(report_) and "no-dictionary" not in notices,
            "has_dictionary": dictionary is not None,
            "moved_message": runner.moved_message(moved) if moved is not None else None,
        },
    )


def _groups(report: dict[str, Any] | None, labels: dict[str, Any]) -> list[dict[str, Any]]:
    """Errors grouped by type, biggest group first, each with its explanation."""
    if not report:
        return []
    by_type: dict[str, list[dict[str, Any]]] = {}
    for error in report.get("errors") or []:
        by_type.setdefault(error["type"], []).append(error)
    counts = report.get("error_counts") or {}
    groups = []
    for kind, count in sorted(counts.items(), key=lambda item: -item[1]):
        examples = [
            {
                **error,
                "letter": messages.column_letter(error.get("fieldNumber")),
                "message": messages.error_message(error, labels),
            }
            for error in by_type.get(kind, [])
        ]
        groups.append(
            {
                "type": kind,
                "title": messages.type_title(kind),
                "explanation": messages.type_explanation(kind),
                "count": count,
                "examples": examples,
            }
        )
    return groups


def run(id: str, resource_id: str):
    package, resource = _load(id, resource_id)
    try:
        done = tk.get_action("sipessut_validation_run")(
            _context(), {"id": resource_id, "sync": True}
        )
        moved = runner.moved_seconds(done)
        if moved is not None:
            tk.h.flash_notice(runner.moved_message(moved))
        elif done["status"] in model.UNFINISHED:
            tk.h.flash_success(tk._("Validation has been queued; reload this page in a moment."))
        else:
            tk.h.flash_success(tk._("The table has been validated again."))
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You are not allowed to validate this resource."))
    except tk.ValidationError as error:
        tk.h.flash_error("; ".join(str(v) for v in error.error_summary.values()))
    return tk.redirect_to(
        "sipessut_validation.report", id=package["name"], resource_id=resource["id"]
    )


def propose(id: str, resource_id: str):
    package, resource = _load(id, resource_id)
    if not _can("sipessut_schema_infer", resource_id):
        return tk.abort(403, tk._("You are not allowed to change this resource."))
    proposal, problem = None, None
    try:
        proposal = tk.get_action("sipessut_schema_infer")(_context(), {"id": resource_id})
    except tk.ValidationError as error:
        problem = "; ".join(str(v) for v in error.error_summary.values())
    return tk.render(
        "sipessut/validation/propose.html",
        {
            "pkg_dict": package,
            "package": package,
            "resource": resource,
            "proposal": proposal,
            "problem": problem,
            "proposal_json": json.dumps(proposal["data_dictionary"]) if proposal else "",
            "has_dictionary": bool(resource.get(check_plan.FIELD)),
        },
    )


def accept(id: str, resource_id: str):
    package, resource = _load(id, resource_id)
    try:
        proposed = check_plan.load(request.form.get("data_dictionary", ""))
    except check_plan.DictionaryProblem:
        proposed = None
    if not proposed:
        tk.h.flash_error(tk._("The proposed data dictionary could not be read."))
        return tk.redirect_to(
            "sipessut_validation.propose", id=package["name"], resource_id=resource["id"]
        )
    try:
        tk.get_action("resource_patch")(
            _context(), {"id": resource_id, check_plan.FIELD: json.dumps(proposed)}
        )
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You are not allowed to change this resource."))
    except tk.ValidationError as error:
        tk.h.flash_error("; ".join(str(v) for v in error.error_summary.values()))
        return tk.redirect_to(
            "sipessut_validation.propose", id=package["name"], resource_id=resource["id"]
        )
    tk.h.flash_success(
        tk._("The data dictionary has been saved and the table is validated against it.")
    )
    return tk.redirect_to(
        "sipessut_validation.report", id=package["name"], resource_id=resource["id"]
    )


blueprint.add_url_rule(PREFIX, view_func=report, methods=["GET"])
blueprint.add_url_rule(f"{PREFIX}/run", view_func=run, methods=["POST"])
blueprint.add_url_rule(f"{PREFIX}/dictionary", view_func=propose, methods=["GET"])
blueprint.add_url_rule(
    f"{PREFIX}/dictionary", endpoint="accept", view_func=accept, methods=["POST"]
)
