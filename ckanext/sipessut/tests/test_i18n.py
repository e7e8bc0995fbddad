"""The Indonesian and English catalogs ship complete and compiled."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping
from babel.messages.pofile import read_po

import ckanext.sipessut

PACKAGE = Path(ckanext.sipessut.__file__).parent
I18N = PACKAGE / "i18n"
DOMAIN = "ckanext-sipessut"


def _catalog(locale: str):
    with (I18N / locale / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as po:
        return read_po(po)


def _source_messages() -> set[str]:
    with (I18N / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping(cfg)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        PACKAGE, method_map, options_map
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_string_in_the_code_is_in_the_indonesian_catalog():
    """A string wrapped in _() but missing from the catalog shows in English to everyone."""
    catalog_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog("id") if m.id}
    missing = sorted(_source_messages() - catalog_ids)
    assert not missing, f"run `make i18n` and translate: {missing}"


def test_every_indonesian_message_is_translated():
    untranslated = [m.id for m in _catalog("id") if m.id and (not m.string or m.fuzzy)]
    assert not untranslated, f"untranslated or fuzzy in id: {untranslated}"


@pytest.mark.parametrize("locale", ["id", "en"])
def test_compiled_catalog_matches_its_source(locale):
    """The .mo a portal loads says what the .po says (`make i18n` compiles it)."""
    with (I18N / locale / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for message in _catalog(locale):
        if message.id and isinstance(message.id, str) and message.string:
            assert compiled.gettext(message.id) == message.string, message.id
