"""Data dictionary `pattern`s: which are refused, and how a cell is matched without a hang.

A Table Schema `pattern` is a regular expression that each cell of a text column must match
as a whole. Python's `re` (and frictionless, which uses it) backtracks: some patterns take
time that grows exponentially with the length of a cell ("(a+)+" on 27 a's and a "!" takes
about ten seconds, one more "a" twice as long). So:

- when a dictionary is saved, `problem()` refuses patterns that are too long or that repeat
  a part which can itself match the same text in several ways (nested repetition such as
  "(a+)+" or "(\\d+\\.)+", alternatives of a repeated choice that start alike such as
  "(a|ab)+", a repeated part that can be empty such as "(a?)*"). `message()` says why in
  the user's language;
- during validation, `Matcher` matches a cell directly when the pattern's worst case on a
  cell of that length is small (the usual patterns, "64\\.72\\.\\d{2}" or "[A-Z]{2}\\d+",
  on any cell), and otherwise with the `regex` package and a time limit: a cell that takes
  too long raises `PatternTimeout` instead of holding the worker.

The matching is frictionless's own: the pattern is anchored as `^pattern$` and matched from
the start of the cell (so `$` also accepts a final line break), with `regex` in its
`re`-compatible mode.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

try:  # Python 3.11 and later
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_parse as _sre_parse  # type: ignore[no-redef]

import re

MAX_LENGTH = 500  # characters of a pattern
# A repetition is "many" beyond this count: "(\d{2}\.){3}" is fine, "(a|a){40}" is not.
MANY = 10
# Backtracking steps (an upper bound) below which a cell is matched without a time limit.
DIRECT_STEPS = 100_000
_UNBOUNDED = _sre_parse.MAXREPEAT
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


@dataclass(frozen=True)
class Problem:
    """Why a pattern is refused: `code` (too-long, not-text, invalid, nested-repetition,
    overlapping-alternatives, empty-repetition), the pattern, and a detail (the limit)."""

    code: str
    pattern: str
    detail: str = ""


class PatternTimeout(Exception):
    """A cell took longer than the time limit to match."""


def problem(pattern: Any) -> Problem | None:
    """Why this pattern may not be used, or None when it may."""
    if not isinstance(pattern, str):
        return Problem("not-text", str(pattern)[:100])
    if len(pattern) > MAX_LENGTH:
        return Problem("too-long", pattern[:100] + "…", detail=str(MAX_LENGTH))
    try:
        parsed = _sre_parse.parse(pattern)
        re.compile(f"^{pattern}$")  # as frictionless compiles it: "(?i)x" fails there
    except (re.error, RecursionError, OverflowError) as error:
        return Problem("invalid", pattern, detail=str(error))
    return _Danger(pattern).find(list(parsed))


def message(found: Problem) -> str:
    """Why the pattern is refused, in the user's language (Indonesian by default)."""
    import ckan.plugins.toolkit as tk

    texts = {
        "not-text": tk._("the pattern must be text"),
        "too-long": tk._("the pattern is longer than {limit} characters"),
        "invalid": tk._("the pattern {pattern} is not a valid regular expression"),
        "nested-repetition": tk._(
            "the pattern {pattern} repeats a part that itself repeats (such as (a+)+): on "
            "some values checking it would take practically forever. Repeat single "
            'characters or fixed pieces instead, e.g. "[0-9.]+" rather than "([0-9]+\\.)+"'
        ),
        "overlapping-alternatives": tk._(
            "the pattern {pattern} repeats a choice whose options can begin with the same "
            "character (such as (a|ab)+): on some values checking it would take practically "
            "forever. Make each option begin with a different character"
        ),
        "empty-repetition": tk._(
            "the pattern {pattern} repeats a part that can be empty (such as (a?)*): on some "
            "values checking it would take practically forever"
        ),
    }
    return texts[found.code].format(pattern=found.pattern, limit=found.detail)


# --- refusing: repetitions of ambiguous parts ---------------------------------------------


class _Danger:
    """Finds a repetition (unbounded, or more than MANY times) of a part that can match the
    same text in several ways: the shape behind exponential backtracking."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.alphabet = _alphabet(pattern)

    def find(self, sequence: list[Any], times: float = 1) -> Problem | None:
        """`times`: how often the enclosing repetitions may repeat the sequence."""
        for op, value in sequence:
            name = op.name
            if name in _REPEATS:
                low, high, body = value
                body = list(body)
                inner = times * (float("inf") if high is _UNBOUNDED else high)
                if inner > MANY:  # "((a|a){10}){10}" repeats (a|a) a hundred times
                    found = self._ambiguous(body)
                    if found:
                        return found
                found = self.find(body, inner)
            else:
                found = self._inside(name, value, times)
            if found:
                return found
        return None

    def _inside(self, name: str, value: Any, times: float) -> Problem | None:
        for child in _children(name, value):
            found = self.find(child, times)
            if found:
                return found
        return None

    def _ambiguous(self, body: list[Any]) -> Problem | None:
        if _nullable(body):
            return Problem("empty-repetition", self.pattern)
        for op, value in _walk(body):
            name = op.name
            if name in _REPEATS and value[0] != value[1]:
                return Problem("nested-repetition", self.pattern)
            if name == "BRANCH":
                branches = [list(branch) for branch in value[1]]
                seen: set[str] = set()
                for branch in branches:
                    starts = _first(branch, self.alphabet)
                    if starts & seen or _nullable(branch):
                        return Problem("overlapping-alternatives", self.pattern)
                    seen |= starts
        return None


def _children(name: str, value: Any) -> list[list[Any]]:
    """The sub-sequences of a node, whatever its kind."""
    if name == "SUBPATTERN":
        return [list(value[-1])]
    if name == "ATOMIC_GROUP":
        return [list(value)]
    if name == "BRANCH":
        return [list(branch) for branch in value[1]]
    if name in ("ASSERT", "ASSERT_NOT"):
        return [list(value[1])]
    if name == "GROUPREF_EXISTS":
        return [list(branch) for branch in value[1:] if branch is not None]
    if name in _REPEATS:
        return [list(value[2])]
    return []


def _walk(sequence: list[Any]):
    """Every node of a sequence, depth first."""
    for op, value in sequence:
        yield op, value
        for child in _children(op.name, value):
            yield from _walk(child)


def _nullable(sequence: list[Any]) -> bool:
    """Whether the sequence can match the empty text."""
    return all(_item_nullable(op.name, value) for op, value in sequence)


def _item_nullable(name: str, value: Any) -> bool:
    if name in ("LITERAL", "NOT_LITERAL", "IN", "ANY", "CATEGORY"):
        return False
    if name in _REPEATS:
        return value[0] == 0 or _nullable(list(value[2]))
    if name in ("SUBPATTERN", "ATOMIC_GROUP"):
        return _nullable(_children(name, value)[0])
    if name == "BRANCH":
        return any(_nullable(list(branch)) for branch in value[1])
    if name == "GROUPREF_EXISTS":
        return any(_nullable(branch) for branch in _children(name, value)) or value[2] is None
    return True  # anchors, look-arounds, back references


def _first(sequence: list[Any], alphabet: str) -> set[str]:
    """The characters (of `alphabet`) a match of the sequence can begin with."""
    found: set[str] = set()
    for op, value in sequence:
        name = op.name
        if name in ("LITERAL", "NOT_LITERAL", "IN", "ANY", "CATEGORY"):
            found |= {char for char in alphabet if _matches(name, value, char)}
        else:
            for child in _children(name, value):
                if name not in ("ASSERT", "ASSERT_NOT"):
                    found |= _first(child, alphabet)
        if not _item_nullable(name, value):
            break
    return found


def _matches(name: str, value: Any, char: str) -> bool:
    """Whether one character matches a single-character node."""
    if name == "LITERAL":
        return ord(char) == value
    if name == "NOT_LITERAL":
        return ord(char) != value
    if name == "ANY":
        return char != "\n"
    if name == "CATEGORY":
        return _category(value.name, char)
    # IN: a character class
    negate = False
    hit = False
    for item_op, item in value:
        kind = item_op.name
        if kind == "NEGATE":
            negate = True
        elif kind == "LITERAL":
            hit |= ord(char) == item
        elif kind == "RANGE":
            hit |= item[0] <= ord(char) <= item[1]
        elif kind == "CATEGORY":
            hit |= _category(item.name, char)
    return hit != negate


def _category(name: str, char: str) -> bool:
    tests: dict[str, Callable[[str], bool]] = {
        "DIGIT": str.isdecimal,
        "SPACE": str.isspace,
        "WORD": lambda c: c.isalnum() or c == "_",
        "LINEBREAK": lambda c: c == "\n",
    }
    base = name.replace("CATEGORY_", "").replace("UNI_", "").replace("LOC_", "")
    negated = base.startswith("NOT_")
    test = tests.get(base.removeprefix("NOT_"))
    if test is None:
        return True  # unknown: assume it may match
    return test(char) != negated


def _alphabet(pattern: str) -> str:
    """Characters to test classes with: printable ASCII, a few others, and the pattern's."""
    ascii_chars = "".join(chr(code) for code in range(32, 127))
    return "".join(dict.fromkeys(ascii_chars + "\t\n\u00a0éñßΩд中٣" + pattern))


# --- matching: directly when cheap, with a time limit otherwise --------------------------


class Matcher:
    """Matches cells against one pattern as frictionless does (`^pattern$`, from the start),
    directly when the worst case on a cell of that length is small, else with a time limit."""

    def __init__(self, pattern: str, timeout: float) -> None:
        import regex

        self.pattern = pattern
        self.timeout = timeout
        self.direct = re.compile(f"^{pattern}$").match
        self.direct_length = _direct_length(list(_sre_parse.parse(pattern)))
        try:
            self.timed = regex.compile(f"^{pattern}$", flags=regex.VERSION0).match
        except regex.error:
            self.timed = None  # a long cell cannot be matched safely: it times out

    def __call__(self, text: str) -> bool:
        if len(text) <= self.direct_length:
            return self.direct(text) is not None
        try:
            if self.timed is None:
                raise TimeoutError
            return self.timed(text, timeout=self.timeout) is not None
        except TimeoutError as error:
            raise PatternTimeout(self.pattern) from error


def _direct_length(sequence: list[Any]) -> int:
    """The longest cell whose worst case stays under DIRECT_STEPS (-1: none)."""
    if _steps(sequence, 1) > DIRECT_STEPS:
        return -1
    low, high = 1, 1
    while high < 1 << 24 and _steps(sequence, high) <= DIRECT_STEPS:
        low, high = high, high * 2
    if high >= 1 << 24:
        return high
    while low + 1 < high:  # the last length within the budget, between low and high
        middle = (low + high) // 2
        if _steps(sequence, middle) <= DIRECT_STEPS:
            low = middle
        else:
            high = middle
    return low


def _steps(sequence: list[Any], length: int) -> float:
    """An upper bound of the ways a backtracking matcher can try the sequence on a text of
    `length` characters: the product of the choices of its parts."""
    total = 1.0
    for op, value in sequence:
        total *= _item_steps(op.name, value, length)
        if total > DIRECT_STEPS * 1e6:
            return total
    return total


def _item_steps(name: str, value: Any, length: int) -> float:
    if name in _REPEATS:
        low, high, body = value
        body = list(body)
        most = length if high is _UNBOUNDED else min(high, length)
        counts = max(1, most - low + 1)
        inner = _steps(body, length)
        if inner <= 1:
            return counts
        return (inner + 1) ** max(most, 1)
    if name == "BRANCH":
        return sum(_steps(list(branch), length) for branch in value[1])
    if name in ("ASSERT", "ASSERT_NOT"):
        return _steps(list(value[1]), length) * length
    children = _children(name, value)
    if children:
        return sum(_steps(child, length) for child in children)
    return 1.0
