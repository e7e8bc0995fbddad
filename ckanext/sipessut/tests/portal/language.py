"""What is English on a page meant to be Indonesian: a word list and CKAN's untranslated
msgids, found in the text a reader meets (text, labels, titles, placeholders).

Used by the language sweep (test_language.py) and by the browser journeys.
"""

from __future__ import annotations

import functools
import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import ckan

import ckanext.sipessut

CKAN_I18N = Path(ckan.__file__).parent / "i18n"
OUR_CATALOG = Path(ckanext.sipessut.__file__).parent / "i18n/id/LC_MESSAGES/ckanext-sipessut.mo"

# Words of CKAN's and our English interface that have no place on an Indonesian page.
# Proper names (Creative Commons, Open Database License, CKAN) and words Indonesian shares
# (Data, Dataset, Edit, Format, Email, Status, Unit, Admin, OPD, Walidata) are not on it.
ENGLISH_WORDS = (
    "found", "Password", "Show more", "Show More", "Hide", "Followers", "Follow", "Field",
    "Search", "Submit", "Update", "Publish", "Finish", "Groups", "Group", "Resource",
    "Resources", "resource", "Activity", "Organization", "Organizations", "Create",
    "Delete", "Upload", "Remove",
    "Previous", "Next", "Save", "Cancel", "Views", "Explore", "Manage", "Dashboard",
    "News feed", "Log in", "Login", "Register", "About", "Draft", "Private", "Public",
    "Visibility", "Title", "Description", "Tags", "Download", "Preview", "Welcome",
    "Powered by", "required", "Required", "Unknown", "unknown", "Please", "Sorry",
    "Not found", "Filter", "Order by", "Relevance", "Last Modified", "Popular", "Changes",
    "Members", "New", "View", "Add", "the", "and", "with", "your", "this", "has been",
    "is not", "Pattern", "regular expression", "Column", "Variable", "Kind of value",
    "Definition", "Release", "releases", "Latest", "Upcoming", "Browse", "sector",
    "tables", "Statistical", "Indicators", "activities", "Checked", "Missing", "missing",
    "returned", "Returned", "Still", "Ready",
)  # fmt: skip
_WORDS = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(word) for word in ENGLISH_WORDS) + r")(?![\w-])"
)
# Text a page may carry in English on purpose: names of things, not the interface.
ALLOWED = (
    "Creative Commons", "Open Database License", "Open Data Commons", "Table Schema",
    "CKAN", "Frictionless", "Markdown", "JSON", "API", "Paper and Pencil Interviewing",
)  # fmt: skip


class _Reader(HTMLParser):
    """The text nodes and the control labels a reader meets, one string each."""

    SHOWN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "data-module-content")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template", "code", "pre"):
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in self.SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "code", "pre"):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def texts(html: str) -> list[str]:
    reader = _Reader()
    reader.feed(html)
    return [" ".join(part.split()) for part in reader.parts if part.strip()]


def _load(path: Path) -> gettext.GNUTranslations:
    with path.open("rb") as mo:
        return gettext.GNUTranslations(mo)


@functools.cache
def untranslated_msgids() -> frozenset[str]:
    """CKAN's msgids that neither CKAN's Indonesian catalog nor ours translates (two words
    or more, so that names such as "Data" or "Email" are left alone)."""
    from babel.messages.pofile import read_po

    with (CKAN_I18N / "ckan.pot").open("rb") as pot:
        template = read_po(pot)
    ckan_id = _load(CKAN_I18N / "id/LC_MESSAGES/ckan.mo")
    ours = _load(OUR_CATALOG)
    found = set()
    for message in template:
        msgid = message.id if isinstance(message.id, str) else (message.id or [""])[0]
        if not msgid or len(msgid.split()) < 2 or not re.search(r"[A-Za-z]{3}", msgid):
            continue
        if ours.gettext(msgid) == msgid and ckan_id.gettext(msgid) == msgid:
            found.add(" ".join(msgid.split()))
    return frozenset(found)


_ADDRESS = re.compile(r"(?:https?://|/)\S*")


def english_on(html: str) -> list[str]:
    """What is English on an Indonesian page: untranslated msgids and listed words, each
    with the text it was found in."""
    problems = []
    msgids = untranslated_msgids()
    for text in texts(html):
        if any(name in text for name in ALLOWED):
            text_checked = text
            for name in ALLOWED:
                text_checked = text_checked.replace(name, " ")
        else:
            text_checked = text
        if text_checked in msgids or text_checked.rstrip(":") in msgids:
            problems.append(f"untranslated: {text!r}")
            continue
        for match in _WORDS.finditer(_ADDRESS.sub(" ", text_checked)):
            problems.append(f"{match.group(0)!r} in {text[:120]!r}")
    return sorted(set(problems))
