"""Validators the validation domain gives the scheming schemas (VALIDATORS)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut.validation import engine, messages


def sipessut_validation_options(value: Any, context: dict[str, Any]) -> Any:
    """A resource's `validation_options`: refused, naming the option and what it may be,
    unless every option can be used (an empty value means "detect everything")."""
    if value is tk.missing or value in (None, "", {}):
        return value
    problems = engine.Options.problems(value)
    if problems:
        raise tk.Invalid(" ".join(messages.option_problem(problem) for problem in problems))
    return value


VALIDATORS = {"sipessut_validation_options": sipessut_validation_options}
