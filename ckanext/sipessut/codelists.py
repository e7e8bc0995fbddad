"""Code lists: the one place that loads, caches and looks them up.

The lists are YAML files in `codelists/` (format in codelists/README.md). A
portal adds or replaces lists by name with `ckanext.sipessut.codelists.extra`.
Form choices, validators, display labels and search facets all come from here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
import yaml

PACKAGE_LISTS = Path(__file__).with_name("codelists")
EXTRA_OPTION = "ckanext.sipessut.codelists.extra"
LABEL_LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"


class CodeListError(Exception):
    """A code-list file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Code:
    code: str
    labels: Mapping[str, str]
    attrs: Mapping[str, Any] = field(default_factory=dict)

    def label(self, lang: str | None = None) -> str:
        return self.labels.get(_base_language(lang)) or self.labels[DEFAULT_LANGUAGE]


@dataclass(frozen=True)
class CodeList:
    name: str
    labels: Mapping[str, str]
    source: str
    codes: tuple[Code, ...]
    # Whether a column of a data table may take its codes from this list (`columns: true`
    # in the YAML): the data dictionary offers only these, not the form's internal lists.
    columns: bool = False

    @functools.cached_property
    def _by_code(self) -> dict[str, Code]:
        return {code.code: code for code in self.codes}

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._by_code

    def get(self, code: str) -> Code | None:
        return self._by_code.get(code)

    def title(self, lang: str | None = None) -> str:
        return self.labels.get(_base_language(lang)) or self.labels[DEFAULT_LANGUAGE]

    def label(self, code: str, lang: str | None = None) -> str:
        """The label of `code` in `lang`; an unknown code is shown as it is."""
        found = self.get(code)
        return found.label(lang) if found else code

    def where(self, **attrs: Any) -> tuple[Code, ...]:
        """The codes whose extra attributes match, e.g. where(level="kecamatan")."""
        return tuple(
            code
            for code in self.codes
            if all(code.attrs.get(key) == value for key, value in attrs.items())
        )

    def choices(self, lang: str | None = None) -> list[dict[str, str]]:
        """Options in the form ckanext-scheming expects."""
        return [{"value": code.code, "label": code.label(lang)} for code in self.codes]


def get(name: str) -> CodeList:
    """The code list called `name`; KeyError names the lists that exist."""
    lists = all_lists()
    try:
        return lists[name]
    except KeyError:
        raise KeyError(f"no code list {name!r}; known lists: {', '.join(sorted(lists))}") from None


def all_lists() -> Mapping[str, CodeList]:
    return _load(tuple(tk.config.get(EXTRA_OPTION) or ()))


def column_lists() -> list[CodeList]:
    """The lists a column of a data table may take its codes from, by name."""
    return [codelist for _name, codelist in sorted(all_lists().items()) if codelist.columns]


@functools.lru_cache(maxsize=4)
def _load(extra: tuple[str, ...]) -> Mapping[str, CodeList]:
    lists: dict[str, CodeList] = {}
    for path in sorted(PACKAGE_LISTS.glob("*.yaml")):
        _add_file(lists, path, replace=False)
    for location in extra:
        for path in _yaml_files(Path(location)):
            _add_file(lists, path, replace=True)
    return lists


def _yaml_files(location: Path) -> Iterable[Path]:
    if location.is_dir():
        return sorted([*location.glob("*.yaml"), *location.glob("*.yml")])
    if location.is_file():
        return [location]
    raise CodeListError(f"{EXTRA_OPTION}: {location} is neither a file nor a directory")


def _add_file(lists: dict[str, CodeList], path: Path, replace: bool) -> None:
    try:
        documents = [doc for doc in yaml.safe_load_all(path.read_text("utf-8")) if doc]
    except yaml.YAMLError as error:
        raise CodeListError(f"{path}: not valid YAML: {error}") from error
    for document in documents:
        codelist = _parse(document, path)
        if codelist.name in lists and not replace:
            raise CodeListError(f"{path}: code list {codelist.name!r} is defined twice")
        lists[codelist.name] = codelist


def _parse(document: Any, path: Path) -> CodeList:
    if not isinstance(document, dict) or not isinstance(document.get("name"), str):
        raise CodeListError(f"{path}: each document needs a `name` and a list of `codes`")
    name = document["name"]
    where = f"{path}: list {name!r}"
    entries = document.get("codes")
    if not isinstance(entries, list) or not entries:
        raise CodeListError(f"{where}: `codes` must be a non-empty list")
    codes = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise CodeListError(f"{where}: entry {position} is not a mapping")
        code = entry.get("code")
        # YAML reads 1.10 as the number 1.1: codes must be written as strings.
        if not isinstance(code, str) or not code:
            raise CodeListError(f"{where}: entry {position}: code {code!r} must be a quoted string")
        if code in seen:
            raise CodeListError(f"{where}: code {code!r} appears twice")
        seen.add(code)
        labels = {lang: str(entry[lang]) for lang in LABEL_LANGUAGES if entry.get(lang)}
        if DEFAULT_LANGUAGE not in labels:
            raise CodeListError(f"{where}: code {code!r} has no Indonesian (`id`) label")
        attrs = {k: v for k, v in entry.items() if k != "code" and k not in LABEL_LANGUAGES}
        codes.append(Code(code, labels, attrs))
    labels = document.get("label") or {}
    if not isinstance(labels, dict) or DEFAULT_LANGUAGE not in labels:
        raise CodeListError(f"{where}: `label` needs at least an Indonesian (`id`) title")
    return CodeList(
        name, labels, str(document.get("source", "")), tuple(codes), document.get("columns") is True
    )


def current_language() -> str:
    """The language of the current request.

    Outside a request (CLI, background jobs) CKAN's gettext leaves strings in
    English, so labels are English too: a message never mixes two languages.
    """
    try:
        lang = tk.h.lang()
    except RuntimeError:  # outside a request
        lang = "en"
    return _base_language(lang or DEFAULT_LANGUAGE)


def _base_language(lang: str | None) -> str:
    """'en_GB' -> 'en'; no language means the current one."""
    if not lang:
        return current_language()
    return lang.split("_")[0].split("-")[0].lower()
