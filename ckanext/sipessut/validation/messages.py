"""What reports say to people, in their language (Indonesian by default).

Reports are stored as codes and numbers; these functions turn them into
plain sentences when a page or an error message is shown, so one report
reads in Indonesian or English according to the reader.
"""

from __future__ import annotations

import ast
import re
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut import metadata, patterns
from ckanext.sipessut.validation.engine import HEADER_SCAN_ROWS, OptionProblem
from ckanext.sipessut.validation.engine.options import SHEET_NAME_MAX

_ = tk._

# Errors about the header row: `label` is the column's name as the file has it.
LABEL_ERRORS = ("blank-label", "duplicate-label", "extra-label", "incorrect-label")


def column_letter(number: int | None) -> str:
    """1 -> A, 27 -> AA: how spreadsheet users find a column."""
    if not number or number < 1:
        return ""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_name(error: dict[str, Any]) -> str:
    """The column of a finding as the file names it ("" for a blank label).

    The header errors carry the label of the file; a column of the dictionary that the
    file lacks is named as the dictionary names it; other findings by their field, which
    is the dictionary's name (or, without a dictionary, the file's label: see the engine).
    """
    if error.get("type") in LABEL_ERRORS:
        return str(error.get("label") or "").strip()
    return str(error.get("fieldName") or error.get("label") or "").strip()


def column_title(error: dict[str, Any]) -> str:
    """The column in a sentence: its name, or its letter and "(kosong)" when blank."""
    name = column_name(error)
    if name:
        return name
    letter = column_letter(error.get("fieldNumber"))
    return _("{letter} (empty)").format(letter=letter).strip() if letter else ""


def type_title(kind: str) -> str:
    titles = {
        "type-error": _("Value of the wrong type"),
        "constraint-error": _("Value breaks a rule of the data dictionary"),
        "unique-error": _("Repeated value in a unique column"),
        "primary-key": _("Repeated row key"),
        "blank-row": _("Empty row"),
        "extra-cell": _("Cell outside the table's columns"),
        "missing-cell": _("Missing cell"),
        "blank-label": _("Column without a name"),
        "duplicate-label": _("Column name used twice"),
        "missing-label": _("Column of the dictionary missing from the file"),
        "extra-label": _("Column not in the data dictionary"),
        "incorrect-label": _("Column name differs from the data dictionary"),
        "blank-header": _("Empty header row"),
        "source-error": _("File cannot be read"),
        "encoding-error": _("Wrong text encoding"),
        "format-error": _("Wrong file format"),
    }
    return titles.get(kind, kind)


def type_explanation(kind: str) -> str:
    explanations = {
        "type-error": _(
            "The cell holds a value that is not of the type the data dictionary gives its "
            "column (a word in a number column, a date written another way...)."
        ),
        "constraint-error": _(
            "The value has the right type but breaks a rule set for the column: required, "
            "minimum or maximum, allowed codes, pattern or length."
        ),
        "unique-error": _(
            "The data dictionary says each value of this column appears once, but this value "
            "appeared in an earlier row."
        ),
        "primary-key": _(
            "The columns that identify a row (the primary key) hold the same values as an "
            "earlier row, or are all empty."
        ),
        "blank-row": _("A row without any value inside the table. Delete it."),
        "extra-cell": _("The row has more cells than the header has columns."),
        "missing-cell": _("The row has fewer cells than the header has columns."),
        "blank-label": _(
            "A column of the header row has no name. Give it the name used in the data dictionary."
        ),
        "duplicate-label": _(
            "Two columns of the header row have the same name. Each column needs its own name."
        ),
        "missing-label": _("The data dictionary describes a column that the file does not have."),
        "extra-label": _("The file has a column that the data dictionary does not describe."),
        "incorrect-label": _(
            "At this position the data dictionary expects a column with another name: the "
            "columns must be in the order and with the names of the dictionary."
        ),
        "blank-header": _("The header row has no column names at all."),
    }
    return explanations.get(kind, "")


_CONSTRAINT = re.compile(r'constraint "(\w+)" is "(.*)"$', re.S)
_TYPE = re.compile(r'type is "(\w+)/([^"]*)"')
_PREVIOUS = re.compile(r"position (\d+)")
_POSITIONS = re.compile(r'at position "([\d, ]+)"')


def type_name(kind: str) -> str:
    names = {
        "integer": _("a whole number"),
        "number": _("a number"),
        "string": _("text"),
        "date": _("a date"),
        "datetime": _("a date and time"),
        "time": _("a time"),
        "year": _("a year"),
        "boolean": _("yes/no"),
    }
    return names.get(kind, kind)


def error_message(error: dict[str, Any], labels: dict[str, dict[str, str]] | None = None) -> str:
    """One sentence that says what is wrong in this cell, row or column."""
    kind = error.get("type", "")
    value = error.get("cell", "")
    column = column_title(error)
    note = error.get("note") or ""
    if kind == "type-error":
        match = _TYPE.search(note)
        expected = type_name(match.group(1)) if match else type_name("")
        message = _('"{value}" is not {expected}.').format(value=value, expected=expected)
        if match and match.group(2) not in ("default", "any", ""):
            message += " " + _("Expected form: {format}.").format(format=match.group(2))
        if (
            match
            and match.group(1) in ("integer", "number")
            and re.match(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+,\d+$", str(value).strip())
        ):
            message += " " + _(
                "It is written the Indonesian way (thousands dot, decimal comma): declare "
                'decimalChar "," and groupChar "." on this column of the data dictionary, '
                "or remove the separators."
            )
        return message
    if kind == "constraint-error":
        match = _CONSTRAINT.search(note)
        if not match:
            return note
        name, limit = match.groups()
        if name == "required":
            return _("This cell is required and is empty.")
        if name == "enum":
            return _('"{value}" is not one of the allowed codes: {allowed}.').format(
                value=value, allowed=_allowed_codes(limit, (labels or {}).get(column) or {})
            )
        texts = {
            "unique": _('"{value}" appears more than once.'),
            "minimum": _('"{value}" is less than the minimum {limit}.'),
            "maximum": _('"{value}" is more than the maximum {limit}.'),
            "exclusiveMinimum": _('"{value}" must be more than {limit}.'),
            "exclusiveMaximum": _('"{value}" must be less than {limit}.'),
            "pattern": _('"{value}" does not have the required form ({limit}).'),
            "minLength": _('"{value}" is shorter than {limit} characters.'),
            "maxLength": _('"{value}" is longer than {limit} characters.'),
        }
        text = texts.get(name) or _('"{value}" breaks the rule "{rule}" ({limit}).')
        return text.format(value=value, limit=limit, rule=name)
    if kind in ("unique-error", "primary-key"):
        match = _PREVIOUS.search(note)
        if match:
            return _("Same as row {row}.").format(row=match.group(1))
        return _("All cells of the primary key are empty.")
    if kind in ("extra-cell",):
        return _('Extra value "{value}".').format(value=value)
    if kind == "duplicate-label":
        match = _POSITIONS.search(note)
        if match:
            first = ", ".join(column_letter(int(p)) for p in re.findall(r"\d+", match.group(1)))
            return _('Column "{column}" has the same name as column {other}.').format(
                column=column, other=first
            )
    expected = error.get("fieldName")
    if kind == "incorrect-label" and expected:
        return _('Column "{column}": the data dictionary expects "{expected}" here.').format(
            column=column, expected=expected
        )
    if kind == "blank-label":
        letter = column_letter(error.get("fieldNumber"))
        if expected:  # the dictionary's column at this place (no dictionary: no name)
            return _('Column {letter} has no name; the data dictionary expects "{expected}" '
                     "here.").format(letter=letter, expected=expected)  # fmt: skip
        return _("Column {letter} has no name.").format(letter=letter)
    if kind == "extra-label":
        return _('Column "{column}" is not described in the data dictionary: add it as a '
                 "variable, or remove the column.").format(column=column)  # fmt: skip
    if kind == "missing-label":
        return _('The data dictionary describes "{column}", but the file has no such '
                 "column.").format(column=column)  # fmt: skip
    if kind in LABEL_ERRORS:
        return _('Column "{column}".').format(column=column)
    if type_explanation(kind):
        return type_explanation(kind)
    if note:  # a finding we have no sentence for: its title, and frictionless's note
        return _("{title} ({note})").format(title=type_title(kind), note=note)
    return type_title(kind)


def _allowed_codes(limit: str, labels: dict[str, str], shown: int = 12) -> str:
    """The codes of an enum note, with labels when known: "64.72.01 (Palaran), ..."."""
    try:
        codes = ast.literal_eval(limit)
    except (ValueError, SyntaxError):
        return limit[:300]
    if not isinstance(codes, list):
        return limit[:300]
    parts = [
        f"{code} ({labels[str(code)]})" if str(code) in labels else str(code) for code in codes
    ]
    text = ", ".join(parts[:shown])
    if len(parts) > shown:
        text += ", … " + _("({count} codes in all)").format(count=len(parts))
    return text


def notice_message(notice: dict[str, Any]) -> str:
    code = notice.get("code")
    if code == "header-row":
        return _("The header is row {row}; the title rows above it were ignored.").format(
            row=notice.get("row")
        )
    if code == "notes-ignored":
        return _("Rows {first} to {last} below the table look like notes and were ignored.").format(
            first=notice.get("first"), last=notice.get("last")
        )
    if code == "blank-rows-ignored":
        return _("Empty rows {first} to {last} at the end of the table were ignored.").format(
            first=notice.get("first"), last=notice.get("last")
        )
    if code == "several-sheets":
        return _(
            'The workbook has {count} sheets; sheet "{sheet}" was checked. Choose another '
            'sheet with "sheet" in the validation options.'
        ).format(count=len(notice.get("sheets") or []), sheet=notice.get("sheet"))
    if code == "encoding":
        return _(
            "The file is not in UTF-8; it was read as {encoding}. Save it as UTF-8 to be safe."
        ).format(encoding=notice.get("encoding"))
    if code == "format-differs":
        return _(
            "The file is declared as {declared} but is {actual}; it was read as {actual}."
        ).format(
            declared=str(notice.get("declared", "")).upper(),
            actual=str(notice.get("actual", "")).upper(),
        )
    if code == "number-format-detected":
        return _(
            'Column "{field}" uses Indonesian numbers (1.234,56) and was read so. Declare '
            'decimalChar "," and groupChar "." in the data dictionary.'
        ).format(field=notice.get("field"))
    if code == "integer-groups-detected":
        return _(
            'Column "{field}" writes whole numbers with thousands dots (61.234) and was read '
            'so. Declare groupChar "." in the data dictionary.'
        ).format(field=notice.get("field"))
    if code == "no-dictionary":
        return _(
            "This resource has no data dictionary yet: only the structure of the table was "
            "checked. Propose a dictionary from the data below."
        )
    if code == "no-data-rows":
        return _("The table has a header but no data rows.")
    if code == "option-ignored":
        return _("A validation option was not used: {problem}").format(
            problem=option_problem(
                OptionProblem(
                    notice.get("option", ""),
                    notice.get("option") or "not-object",
                    notice.get("value"),
                )  # fmt: skip
            )
        )
    return str(code)


def option_problem(problem: OptionProblem) -> str:
    """Why a validation option (resource field `validation_options`) cannot be used."""
    value = str(problem.value)[:100]
    texts = {
        "not-object": _(
            'The validation options must be a JSON object such as {{"delimiter": ";", '
            '"header_row": 3}}, not {value}.'
        ),
        "unknown": _(
            'The validation option "{option}" does not exist; the options are sheet, '
            "header_row, encoding and delimiter."
        ),
        "sheet": _(
            'The validation option "sheet" is the name of a sheet (at most {limit} '
            "characters) or its number (1 for the first), not {value}."
        ),
        "header_row": _(
            'The validation option "header_row" is the number of the header row, from 1 to '
            "{limit}, not {value}."
        ),
        "encoding": _(
            'The validation option "encoding" is a text encoding such as utf-8, cp1252, '
            "iso-8859-1 or utf-16, not {value}."
        ),
        "delimiter": _(
            'The validation option "delimiter" is one of "," ";" "|" or "\\t" (tab), not {value}.'
        ),
    }
    limits = {"sheet": SHEET_NAME_MAX, "header_row": HEADER_SCAN_ROWS}
    return texts[problem.code].format(
        option=problem.option, value=value, limit=limits.get(problem.code, "")
    )


def reason_message(reason: dict[str, Any] | None) -> str:
    """Why a run could not check the table (status error)."""
    if not reason:
        return ""
    code = reason.get("code")
    texts = {
        "too-large": _("The file is larger than the limit of {limit} bytes."),
        "row-limit": _(
            "The table has more rows than the limit of {limit}; only those were checked."
        ),
        "zip-too-large": _(
            "The workbook would unpack to more than {limit} bytes (a possible zip bomb); it was "
            "refused."
        ),
        "empty-file": _("The file is empty."),
        "binary-file": _("The file is not a table (it contains binary data: {kind})."),
        "corrupt-file": _("The file is damaged or not a spreadsheet: {detail}"),
        "sheet-not-found": _('The workbook has no sheet "{sheet}".'),
        "header-row-missing": _("The chosen header row {row} is not among the first rows."),
        "file-missing": _("The file of this resource could not be found in the portal's storage."),
        "url-timeout": _("Downloading the linked file took longer than {limit} seconds."),
        "url-unreachable": _("The linked file could not be downloaded: {detail}"),
        "url-status": _("The server of the linked file answered with HTTP status {status}."),
        "url-scheme": _("Only http and https links can be validated."),
        "url-private": _(
            "The link points to a private or local network address ({host}), which this portal "
            "does not fetch."
        ),
        "job-timeout": _("Validation took longer than {limit} seconds and was stopped."),
        "job-failed": _("The validation job failed: {detail}"),
        "worker-lost": _("The validation job stopped without finishing (its worker ended)."),
        "internal-error": _("Validation failed unexpectedly: {detail}"),
        "dictionary-not-json": _("The data dictionary is not valid JSON: {detail}"),
        "dictionary-not-object": _("The data dictionary must be a JSON object with fields."),
        "dictionary-fields": _("The fields of the data dictionary must be a list of objects."),
        "field-without-name": _("Field {position} of the data dictionary has no name."),
        "codelist-reference": _('The code list of field "{field}" is not written correctly.'),
        "codelist-unknown": _(
            'Field "{field}" refers to code list "{codelist}", which does not exist.'
        ),
        "codelist-empty": _(
            'The code list "{codelist}" of field "{field}" has no code matching its filter.'
        ),
        "primary-key-unknown": _("The primary key names fields that do not exist: {fields}"),
        "dictionary-invalid": _("The data dictionary cannot be used: {detail}"),
        "pattern-refused": _('The pattern of field "{field}" cannot be used: {detail}'),
        "pattern-timeout": _(
            'Checking the pattern of column "{field}" took longer than {seconds} seconds on '
            "row {row}; from there on the pattern was not checked. Simplify the pattern in the "
            "data dictionary."
        ),
    }
    params = {k: v for k, v in reason.items() if k != "code"}
    if code == "dictionary-invalid":
        params["detail"] = metadata.schema_error_message(str(params.get("detail", "")))
    if code == "pattern-refused":
        params["detail"] = patterns.message(
            patterns.Problem(
                str(params.get("problem")), str(params.get("pattern")), str(params.get("detail"))
            )
        )
    if "sheets" in params:
        params["sheets"] = ", ".join(params["sheets"])
    if "fields" in params and isinstance(params["fields"], list):
        params["fields"] = ", ".join(params["fields"])
    text = texts.get(str(code))
    if text is None:
        return str(code)
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text


def summary(report: dict[str, Any]) -> str:
    """A few lines for a form error: what is wrong and where, with the first examples."""
    if report.get("status") == "error":
        return _("The table could not be validated: {reason}").format(
            reason=reason_message(report.get("reason"))
        )
    counts = report.get("error_counts") or {}
    total = sum(counts.values())
    parts = ", ".join(f"{type_title(kind)}: {count}" for kind, count in counts.items())
    text = _("The table does not match its data dictionary: {total} errors ({parts}).").format(
        total=total, parts=parts
    )
    examples = []
    for error in (report.get("errors") or [])[:3]:
        where = []
        if error.get("rowNumber"):
            where.append(_("row {row}").format(row=error["rowNumber"]))
        if column_title(error):
            where.append(_('column "{column}"').format(column=column_title(error)))
        examples.append(f"{', '.join(where)}: {error_message(error)}")
    if examples:
        text += " " + _("For example: {examples}").format(examples="; ".join(examples))
    return text
