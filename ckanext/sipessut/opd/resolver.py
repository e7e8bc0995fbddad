"""From whatever name a sender used to one OPD of this portal's region.

    Resolver().resolve("Dinkes Kota Samarinda")   -> the Dinas Kesehatan
    Resolver().resolve("Kec. Sei Kunjang")        -> Kecamatan Sungai Kunjang
    Resolver().resolve("Dinas Kesehatan Kota Balikpapan") -> not found: another region

Matching, strictest first; the first step that finds exactly one OPD wins:
  1. a kode SKPD (current, or a former one: `kode_skpd_lama`, renames, merges);
  2. the whole text against every name an OPD goes by: title, URL name,
     singkatan, aliases and former titles or URL names, compared after
     folding case, accents, punctuation, spacing, "&"/"dan", and common
     abbreviations (Kec. = Kecamatan, Kel. = Kelurahan, Sei = Sungai ...);
  3. the same without mentions of this region ("Kota Samarinda", "Pemkot
     Samarinda", a trailing "Samarinda"); a text that names another region
     ("Kota Balikpapan", "Kab. Kutai Kartanegara", "Provinsi ...") stops here;
  4. a kecamatan or kelurahan by its bare name ("Palaran");
  5. one wrong, missing, extra or swapped letter, for names of 6 letters or more.
Two OPDs equally good is "ambiguous", never a guess. OPDs whose kode wilayah
lies outside the portal's region are never matched nor proposed.

Build one Resolver for many lookups (an import): it reads the OPDs once.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.sipessut import settings as portal_settings
from ckanext.sipessut.opd import identity, model, queries

MAX_QUERY = 300  # characters
MAX_CANDIDATES = 20
MIN_TYPO_LENGTH = 6
CANDIDATE_MIN_SCORE = 0.45

REGION_KINDS = ("kota", "kabupaten", "provinsi")
_EXPANSIONS = {
    "kec": ["kecamatan"],
    "kel": ["kelurahan"],
    "kab": ["kabupaten"],
    "prov": ["provinsi"],
    "propinsi": ["provinsi"],
    "pemkot": ["pemerintah", "kota"],
    "pemkab": ["pemerintah", "kabupaten"],
    "pemprov": ["pemerintah", "provinsi"],
    "sei": ["sungai"],
}
_IGNORED = {"dan"}
_UNIT_PREFIXES = ("kecamatan", "kelurahan")

MATCH_KODE = "kode_skpd"
MATCH_FORMER_KODE = "former_kode_skpd"
MATCH_NAME = "name"
MATCH_FORMER_NAME = "former_name"
MATCH_UNIT = "unit_name"
MATCH_TYPO = "typo"

NO_MATCH = "no_match"
AMBIGUOUS = "ambiguous"
OTHER_REGION = "other_region"


@dataclass
class Resolution:
    query: str
    found: bool
    organization: dict[str, str] | None = None
    match: str | None = None
    reason: str | None = None
    message: str = ""
    candidates: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "found": self.found,
            "organization": self.organization,
            "match": self.match,
            "reason": self.reason,
            "message": self.message,
            "candidates": self.candidates,
        }


def tokens(text: str) -> list[str]:
    """Lowercase ASCII words, abbreviations expanded."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = folded.replace("&", " dan ")
    words: list[str] = []
    for word in re.findall(r"[a-z0-9]+", folded):
        words.extend(_EXPANSIONS.get(word, [word]))
    return words


def key(words: Iterable[str]) -> str:
    """What two spellings of one name have in common: "Dis Kominfo" = "DISKOMINFO"."""
    return "".join(word for word in words if word not in _IGNORED)


def within_one_edit(a: str, b: str) -> bool:
    """True when one substitution, insertion, deletion or swap of two
    neighbouring letters turns a into b."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    for i, letter in enumerate(short):
        if letter != long_[i]:
            return short[i:] == long_[i + 1 :]
    return True


class Resolver:
    """The OPDs of the region, indexed by every name they go by."""

    def __init__(self, region_code: str | None = None, region_name: str | None = None):
        self.region_code = region_code or portal_settings.region_code()
        self.region_name = region_name or portal_settings.region_name()
        self.region_kind, self.region_words = _split_region(self.region_name)
        self.orgs = {org.id: org for org in queries.organizations() if self._ours(org)}
        self.names: dict[str, set[str]] = defaultdict(set)
        self.former_names: dict[str, set[str]] = defaultdict(set)
        self.units: dict[str, set[str]] = defaultdict(set)
        self.codes: dict[str, str] = {}
        self.former_codes: dict[str, str] = {}
        self.keys_of: dict[str, set[str]] = defaultdict(set)
        for org in self.orgs.values():
            self._index(org)
        self._index_history()

    # -- building ------------------------------------------------------------------------

    def _ours(self, org: queries.OrgRecord) -> bool:
        wilayah = org.value("kode_wilayah")
        return (
            not wilayah or wilayah == self.region_code or wilayah.startswith(self.region_code + ".")
        )

    def _index(self, org: queries.OrgRecord) -> None:
        if org.kode_skpd:
            self.codes[org.kode_skpd] = org.id
        for code in org.value("kode_skpd_lama"):
            self.former_codes.setdefault(code, org.id)
        for text in (org.title, org.name.replace("-", " "), org.value("singkatan")):
            self._add_name(self.names, text, org.id)
        for alias in org.value("alias"):
            self._add_name(self.names, alias, org.id)

    def _add_name(self, table: dict[str, set[str]], text: str, org_id: str) -> None:
        if not text:
            return
        words = tokens(text)
        stripped, _other = self._without_region(words)
        for variant in {key(words), key(stripped)}:
            if variant:
                table[variant].add(org_id)
                self.keys_of[org_id].add(variant)
        if stripped and stripped[0] in _UNIT_PREFIXES and len(stripped) > 1:
            unit = key(stripped[1:])
            self.units[unit].add(org_id)
            self.keys_of[org_id].add(unit)

    def _index_history(self) -> None:
        events = list(reversed(model.events()))  # oldest first: newer events win
        merged_into = {
            event["source_organization_id"]: event["organization_id"]
            for event in events
            if event["kind"] == model.MERGE
        }
        for event in events:
            target = self._follow(event["organization_id"], merged_into)
            if target is None:
                continue
            if event.get("old_kode_skpd"):
                self.former_codes[event["old_kode_skpd"]] = target
            for text in (event.get("old_title"), (event.get("old_name") or "").replace("-", " ")):
                if text:
                    self._add_name(self.former_names, text, target)

    def _follow(self, org_id: str, merged_into: dict[str, str]) -> str | None:
        """The active OPD of the region an identity ended up in (through merges)."""
        seen = set()
        while org_id not in self.orgs:
            if org_id in seen or org_id not in merged_into:
                return None
            seen.add(org_id)
            org_id = merged_into[org_id]
        return org_id

    # -- resolving -----------------------------------------------------------------------

    def resolve(self, text: str, limit: int = 5) -> Resolution:
        query = text.strip()
        found = self._by_code(query)
        if found:
            return found
        words = tokens(query)
        whole = key(words)
        for table, match in ((self.names, MATCH_NAME), (self.former_names, MATCH_FORMER_NAME)):
            result = self._unique(query, table.get(whole, set()), match)
            if result:
                return result
        stripped, other_region = self._without_region(words)
        if other_region:
            return Resolution(
                query,
                False,
                reason=OTHER_REGION,
                message=tk._(
                    "{query} names another region ({region}); the OPDs of this portal belong "
                    "to {ours}."
                ).format(query=query, region=other_region, ours=self.region_name),
            )
        variants = [variant for variant in self._variants(stripped) if variant]
        for table, match in (
            (self.names, MATCH_NAME),
            (self.former_names, MATCH_FORMER_NAME),
            (self.units, MATCH_UNIT),
        ):
            for variant in variants:
                result = self._unique(query, table.get(variant, set()), match)
                if result:
                    return result
        for variant in variants:
            result = self._unique(query, self._typos(variant), MATCH_TYPO)
            if result:
                return result
        return self._not_found(query, variants or [whole], limit)

    def _by_code(self, query: str) -> Resolution | None:
        if not re.fullmatch(r"[\d.\s]+", query) or query.count(".") < 7:
            return None
        try:
            code = identity.normalise_kode_skpd(query)
        except identity.RuleError:
            return None
        if code in self.codes:
            return self._found(query, self.codes[code], MATCH_KODE)
        if code in self.former_codes:
            return self._found(query, self.former_codes[code], MATCH_FORMER_KODE)
        return None

    def _unique(self, query: str, org_ids: set[str], match: str) -> Resolution | None:
        if len(org_ids) == 1:
            return self._found(query, next(iter(org_ids)), match)
        if len(org_ids) > 1:
            orgs = sorted((self.orgs[org_id] for org_id in org_ids), key=lambda org: org.name)
            return Resolution(
                query,
                False,
                reason=AMBIGUOUS,
                message=tk._("{query} matches several OPDs: {names}.").format(
                    query=query, names=", ".join(org.title for org in orgs)
                ),
                candidates=[{**org.summary(), "score": 1.0} for org in orgs],
            )
        return None

    def _found(self, query: str, org_id: str, match: str) -> Resolution:
        return Resolution(query, True, organization=self.orgs[org_id].summary(), match=match)

    def _typos(self, variant: str) -> set[str]:
        if len(variant) < MIN_TYPO_LENGTH:
            return set()
        found: set[str] = set()
        for table in (self.names, self.former_names, self.units):
            for name_key, org_ids in table.items():
                if len(name_key) >= MIN_TYPO_LENGTH and within_one_edit(variant, name_key):
                    found |= org_ids
        return found

    def _not_found(self, query: str, variants: list[str], limit: int) -> Resolution:
        scored = []
        for org_id, org_keys in self.keys_of.items():
            score = max(
                _similarity(variant, org_key) for variant in variants for org_key in org_keys
            )
            if score >= CANDIDATE_MIN_SCORE:
                scored.append((score, self.orgs[org_id].name, org_id))
        scored.sort(key=lambda item: (-item[0], item[1]))
        candidates = [
            {**self.orgs[org_id].summary(), "score": round(score, 2)}
            for score, _name, org_id in scored[:limit]
        ]
        return Resolution(
            query,
            False,
            reason=NO_MATCH,
            message=tk._("No OPD of {region} matches {query}.").format(
                region=self.region_name, query=query
            ),
            candidates=candidates,
        )

    # -- the region's own name -----------------------------------------------------------

    def _without_region(self, words: list[str]) -> tuple[list[str], str | None]:
        """The words without mentions of this region, and the first mention of
        another region (None if there is none)."""
        kept: list[str] = []
        i = 0
        own = self.region_words
        while i < len(words):
            word = words[i]
            following = words[i + 1 :]
            if word == "pemerintah" and following and following[0] in REGION_KINDS:
                i += 1
                continue
            if (
                word in REGION_KINDS
                and following
                and following[0] not in _IGNORED
                and following[0] not in REGION_KINDS
            ):
                if word == self.region_kind and following[: len(own)] == own:
                    i += 1 + len(own)
                    continue
                return kept, " ".join(words[i : i + 4])
            kept.append(word)
            i += 1
        return kept, None

    def _variants(self, words: list[str]) -> list[str]:
        """The text as given, then without a bare leading or trailing region name
        ("Diskominfo Samarinda")."""
        variants = [key(words)]
        own = self.region_words
        if own and len(words) > len(own):
            if words[-len(own) :] == own:
                variants.append(key(words[: -len(own)]))
            if words[: len(own)] == own:
                variants.append(key(words[len(own) :]))
        return list(dict.fromkeys(variants))


def _similarity(a: str, b: str) -> float:
    """How close two name keys are, 0 to 1; a name inside the other ("Dinas
    Pendidikan" in "Dinas Pendidikan dan Kebudayaan") counts as close."""
    score = difflib.SequenceMatcher(None, a, b).ratio()
    shorter, longer = sorted((a, b), key=len)
    if shorter and shorter in longer:
        score = max(score, 0.8 + 0.2 * len(shorter) / len(longer))
    return score


def _split_region(region_name: str) -> tuple[str | None, list[str]]:
    words = tokens(region_name)
    if words and words[0] in REGION_KINDS:
        return words[0], words[1:]
    return None, words


def resolve(text: str, limit: int = 5) -> Resolution:
    """One lookup (see Resolver for many)."""
    return Resolver().resolve(text, limit)
