"""Numbers as the visitor's language writes them: 12.345 and 93,5 in Indonesian, 12,345 and
93.5 in English.

`formatter()` reads the locale's symbols once and returns a function that formats with one
string translation: a page with thousands of numbers (the monitoring table) would spend
some 50 microseconds on each through Babel's full formatter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import babel
import babel.numbers
import ckan.plugins.toolkit as tk
import flask_babel


def _locale() -> babel.Locale:
    try:
        found = flask_babel.get_locale()
    except RuntimeError:  # outside a request (CLI, jobs)
        found = None
    return found or babel.Locale.parse(tk.config.get("ckan.locale_default") or "en")


def formatter(decimals: int = 1) -> Callable[[Any], Any]:
    """A function writing an int with group separators and a float with `decimals` decimals
    in the current language; anything else (None, text) is returned as it is."""
    locale = _locale()
    symbols = {
        ord(","): babel.numbers.get_group_symbol(locale),
        ord("."): babel.numbers.get_decimal_symbol(locale),
    }

    def write(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return value
        text = f"{value:,}" if isinstance(value, int) else f"{value:,.{decimals}f}"
        return text.translate(symbols)

    return write
