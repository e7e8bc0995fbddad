"""Dictionary patterns: the static check that refuses catastrophic ones, and the matcher that
matches cells as frictionless does, without a hang."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ckanext.sipessut import patterns

# Patterns of the kind stewards write: all accepted.
ACCEPTED = [
    r"64\.72\.\d{2}",
    r"[A-Z]{2}\d{5}\.\d{2}\.\d{2}",
    r"(\d{2}\.){2}\d{2}",
    r"\d+(\.\d+)?",
    r"[0-9.]+",
    r"(ya|tidak)",
    r"(ya|tidak)+",
    r"(ab|ac)+",
    r"(\w|\d)+",  # one character class for Python's parser
    r".*",
    r"[^,]*,[^,]*",
    r"\d{4}-\d{2}-\d{2}",
    r"(?i:kecamatan) .+",
    r"(a|a){5}",  # repeated a few times only
    r"x*y*z*",
]
# Patterns that backtrack catastrophically on some cell, and why they are refused.
REFUSED = [
    ("(a+)+", "nested-repetition"),
    ("(a*)*", "empty-repetition"),
    ("(a?)+", "empty-repetition"),
    (r"(\w+\s?)+", "nested-repetition"),
    (r"(\d+\.)+", "nested-repetition"),
    ("(a{1,3})+", "nested-repetition"),
    ("(?:x+)+y", "nested-repetition"),
    ("(a?a)+", "nested-repetition"),
    ("(a|ab)+", "overlapping-alternatives"),
    ("(a|a)+", "overlapping-alternatives"),
    ("(a|a){40}", "overlapping-alternatives"),
    ("((a|a){10}){10}", "overlapping-alternatives"),  # a hundred times in all
    ("(b|a|ab)*c", "overlapping-alternatives"),
    ("^(([a-z])+.)+[A-Z]([a-z])+$", "nested-repetition"),  # the OWASP example
    ("a" * (patterns.MAX_LENGTH + 1), "too-long"),
    ("([0-9", "invalid"),
    ("(?i)kecamatan", "invalid"),  # frictionless writes ^(?i)kecamatan$: flags not first
    (5, "not-text"),
]


def test_usual_patterns_are_accepted():
    assert {pattern: patterns.problem(pattern) for pattern in ACCEPTED} == dict.fromkeys(ACCEPTED)


def test_catastrophic_patterns_are_refused_saying_why():
    found = {str(pattern): patterns.problem(pattern) for pattern, _ in REFUSED}

    assert {pattern: problem and problem.code for pattern, problem in found.items()} == {
        str(pattern): code for pattern, code in REFUSED
    }


CELLS = ["", "a", "64.72.01", "64.72.1", "ya", "yatidakya", "x y,z", "7.5", "a\n", "a" * 300 + "!"]


def test_the_matcher_matches_as_frictionless():
    # frictionless: re.compile("^{0}$".format(pattern)).match(cell)
    for pattern in ACCEPTED:
        matcher = patterns.Matcher(pattern, timeout=1.0)
        expected = [re.compile(f"^{pattern}$").match(cell) is not None for cell in CELLS]

        assert [matcher(cell) for cell in CELLS] == expected, pattern


@settings(max_examples=200, derandomize=True, database=None, deadline=None)
@given(pattern=st.sampled_from(ACCEPTED), cell=st.text(max_size=400))
def test_the_matcher_matches_as_frictionless_on_any_cell(pattern, cell):
    expected = re.compile(f"^{pattern}$").match(cell) is not None

    assert patterns.Matcher(pattern, timeout=1.0)(cell) is expected


def test_usual_patterns_match_any_cell_directly():
    # Without the time limit's cost: their worst case stays small whatever the length.
    assert patterns.Matcher(r"64\.72\.\d{2}", 1.0).direct_length >= 1 << 24
    assert patterns.Matcher(r"[A-Z]{2}\d+", 1.0).direct_length >= 10_000


def test_a_slow_pattern_on_a_long_cell_raises_instead_of_hanging():
    pattern = "(a|a){10}" * 5  # accepted, but exponential on a long enough cell
    matcher = patterns.Matcher(pattern, timeout=0.1)

    assert patterns.problem(pattern) is None
    assert matcher("a" * 50) is True  # a match is found at once
    with pytest.raises(patterns.PatternTimeout):
        matcher("a" * 49 + "!")
