"""A helpful empty search: spelling suggestions from Solr.

Each dataset's title and keywords are indexed, word by word, under `vocab_sipessut_kata`
(a dynamic field of CKAN's schema). When a search finds nothing, Solr's spellcheck
component (configured in our solrconfig.xml, see README "Search") proposes corrected
queries and tries each against the public catalogue: only a correction that finds public
datasets is shown, so words of private drafts never leak through a suggestion. A Solr
without the component simply gives no suggestion.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import ckan.plugins.toolkit as tk
import pysolr
from ckan.lib.search.common import make_connection

log = logging.getLogger(__name__)

WORDS_FIELD = "vocab_sipessut_kata"
_WORD = re.compile(r"[^\W\d_]{3,}")
MAX_WORDS = 200  # per dataset
MAX_QUERY = 200  # characters of a search we look for suggestions of
MAX_SUGGESTIONS = 3


def words_of(pkg_dict: dict[str, Any]) -> list[str]:
    """Distinct lowercase words (3 letters or more) of the title and keywords, in order."""
    texts = [str(pkg_dict.get("title") or "")]
    tags = pkg_dict.get("tags") or []
    texts += [str(tag.get("name", "")) if isinstance(tag, dict) else str(tag) for tag in tags]
    found = dict.fromkeys(word.lower() for text in texts for word in _WORD.findall(text))
    return list(found)[:MAX_WORDS]


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    words = words_of(pkg_dict)
    if words:
        pkg_dict[WORDS_FIELD] = words
    return pkg_dict


def suggestions(query: str) -> list[dict[str, Any]]:
    """Corrected searches that find public datasets: [{"q": text, "count": n}]."""
    query = " ".join(query.split())
    if not query or len(query) > MAX_QUERY or not _WORD.search(query):
        return []
    site = str(tk.config.get("ckan.site_id") or "").replace('"', "")
    params = {
        "defType": "edismax",
        "qf": "text",
        "q.op": "AND",
        "rows": 0,
        "fq": f'+site_id:"{site}" +state:active +capacity:public',
        # the words are taken from q (Solr's query converter); spellcheck.q would be read
        # as one phrase by the analyzer and find nothing to correct in two words
        "spellcheck": "true",
        "spellcheck.count": 5,
        "spellcheck.collate": "true",
        "spellcheck.maxCollations": MAX_SUGGESTIONS,
        "spellcheck.maxCollationTries": 10,
        "spellcheck.collateExtendedResults": "true",
        "json.nl": "arrarr",
    }
    try:
        result = make_connection().search(query, **params)
    except pysolr.SolrError as error:
        log.warning("spellcheck failed: %s", str(error)[:300])
        return []
    return _collations(getattr(result, "spellcheck", None) or {}, query)


def _collations(spellcheck: dict[str, Any], query: str) -> list[dict[str, Any]]:
    found = []
    for entry in spellcheck.get("collations") or []:
        # json.nl=arrarr gives [["collation", {...}], ...]
        detail = entry[1] if isinstance(entry, list) and len(entry) == 2 else entry
        if not isinstance(detail, dict):
            continue
        text = str(detail.get("collationQuery") or "")
        hits = int(detail.get("hits") or 0)
        if text and hits and text.lower() != query.lower():
            found.append({"q": text, "count": hits})
    return found[:MAX_SUGGESTIONS]
