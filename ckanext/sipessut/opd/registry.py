"""The OPD registry file: parse it and check all of it before anything happens.

Format (documented for users in registries/README.md):

    format: 1
    wilayah: "64.72"               # Kemendagri code of the region (default: the portal's)
    opd:
      - kode_skpd: "2.16.2.20.2.21.01.0000"
        title: Dinas Komunikasi dan Informatika
        name: diskominfo
        bidang_urusan: ["2.16", "2.20", "2.21"]
        ...

Every problem is reported with its line, and a file with any problem is
refused as a whole: RegistryError carries the list.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
import yaml

from ckanext.sipessut import codelists, formats
from ckanext.sipessut import settings as portal_settings
from ckanext.sipessut.opd import identity, settings
from ckanext.sipessut.opd.settings import DEFAULT_REGISTRY  # noqa: F401 (the shipped registry, for callers)

FORMAT_VERSION = 1
PACKAGE_REGISTRIES = Path(__file__).with_name("registries")
MAX_ENTRIES = 5000

TOP_KEYS = ("format", "wilayah", "nama_wilayah", "sumber", "catatan", "opd")
# Keys of an entry, in the order `export` writes them. They are the
# organization schema's field names.
ENTRY_KEYS = (
    "kode_skpd",
    "kode_skpd_status",
    "kode_skpd_lama",
    "name",
    "title",
    "singkatan",
    "alias",
    "bidang_urusan",
    "peran",
    "kode_wilayah",
    "induk",
    "description",
    "alamat",
    "telepon",
    "email",
    "website",
    "image_url",
    "sumber",
)
REQUIRED_KEYS = ("kode_skpd", "title", "bidang_urusan")
# What an entry that does not say otherwise means.
DEFAULT_PERAN = "produsen_data"
DEFAULT_KODE_STATUS = "resmi"
WALIDATA = identity.WALIDATA


class RegistryError(Exception):
    """The registry cannot be used; `errors` lists every problem with its line."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Entry:
    """One OPD of the registry, its values checked and normalised."""

    line: int
    values: dict[str, Any]
    key_lines: dict[str, int] = field(default_factory=dict)
    # False when the file gives no `name` and one was derived for a new
    # organization: an existing organization then keeps its URL.
    name_given: bool = True

    @property
    def kode_skpd(self) -> str:
        return self.values["kode_skpd"]

    @property
    def former_codes(self) -> list[str]:
        return self.values.get("kode_skpd_lama", [])

    @property
    def name(self) -> str:
        return self.values["name"]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def desired(self, wilayah: str) -> dict[str, Any]:
        """The organization fields this entry sets, with the registry defaults.

        Keys the entry leaves out (contacts, description...) are not managed
        by the registry: sync leaves whatever the portal has.
        """
        return {**field_defaults(wilayah), **self.values}


def field_defaults(wilayah: str) -> dict[str, str]:
    """What an OPD field means when it is empty, in the registry and on the portal."""
    return {
        "peran": DEFAULT_PERAN,
        "kode_skpd_status": DEFAULT_KODE_STATUS,
        "kode_wilayah": wilayah,
    }


@dataclass
class Registry:
    source: str
    wilayah: str
    entries: list[Entry]
    warnings: list[str]

    def by_code(self) -> dict[str, Entry]:
        return {entry.kode_skpd: entry for entry in self.entries}


# --- reading -------------------------------------------------------------------------


def default_location() -> str:
    return settings.registry_location()


def read_text(location: str) -> tuple[str, str]:
    """(text, display name) of a registry file: a path, or `package:path` of an
    installed package such as the default Samarinda registry."""
    path = _resolve(location)
    limit = settings.registry_max_bytes()
    try:
        size = path.stat().st_size
        if size > limit:
            raise RegistryError(
                [
                    tk._("{file} is {size} bytes; registries are limited to {limit}.").format(
                        file=path, size=size, limit=limit
                    )
                ]
            )
        return path.read_text("utf-8"), str(path)
    except (OSError, UnicodeDecodeError) as error:
        raise RegistryError(
            [tk._("Cannot read {file}: {error}").format(file=location, error=error)]
        ) from error


def _resolve(location: str) -> Path:
    """A path, or `package:relative/path` inside an installed package."""
    if ":" in location and not Path(location).exists():
        package, _, relative = location.partition(":")
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.submodule_search_locations:
            return Path(list(spec.submodule_search_locations)[0]) / relative
    return Path(location)


def parse(text: str, source: str = "registry") -> Registry:
    """The checked registry, or RegistryError listing every problem with its line."""
    limit = settings.registry_max_bytes()
    if len(text.encode("utf-8")) > limit:
        raise RegistryError(
            [tk._("The registry is larger than {limit} bytes.").format(limit=limit)]
        )
    try:
        document = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(error, "problem", None) or str(error)
        raise RegistryError(
            [_at(line, tk._("not valid YAML: {problem}").format(problem=problem))]
        ) from error
    return _Checker(source).check(document)


def _at(line: int, message: str) -> str:
    return tk._("line {line}: {message}").format(line=line, message=message)


class _Map(dict):
    """A YAML mapping that remembers its line and the line of each key."""

    line = 1
    key_lines: dict[str, int]
    duplicates: list[tuple[str, int]]


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> Iterator[_Map]:
    data = _Map()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    data.duplicates = []
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in data.key_lines:
            data.duplicates.append((key, key_node.start_mark.line + 1))
        data.key_lines[key] = value_node.start_mark.line + 1
        data[key] = loader.construct_object(value_node, deep=True)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)


# --- checking ------------------------------------------------------------------------


class _Checker:
    def __init__(self, source: str):
        self.source = source
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append(_at(line, message))

    def check(self, document: Any) -> Registry:
        if not isinstance(document, _Map) or not isinstance(document.get("opd"), list):
            raise RegistryError(
                [
                    _at(
                        getattr(document, "line", 1),
                        tk._("a registry is a mapping with a list of OPDs under `opd`."),
                    )
                ]
            )
        self._check_keys(document, TOP_KEYS)
        version = document.get("format", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            self.error(
                document.key_lines.get("format", 1),
                tk._("format {found} is not supported; this portal reads format {version}.").format(
                    found=version, version=FORMAT_VERSION
                ),
            )
        wilayah = self._check_wilayah(document)
        items = document["opd"]
        if len(items) > MAX_ENTRIES:
            self.error(
                document.key_lines["opd"],
                tk._("{count} OPDs; a registry holds at most {limit}.").format(
                    count=len(items), limit=MAX_ENTRIES
                ),
            )
            raise RegistryError(self.errors)
        list_line = document.key_lines["opd"]
        entries = [
            entry
            for entry in (self._entry(item, wilayah, list_line) for item in items)
            if entry is not None
        ]
        self._check_across(entries)
        if self.errors:
            raise RegistryError(self.errors)
        return Registry(self.source, wilayah, entries, self.warnings)

    def _check_keys(self, mapping: _Map, allowed: tuple[str, ...]) -> None:
        for key, line in mapping.duplicates:
            self.error(line, tk._("{key} appears twice.").format(key=key))
        for key in mapping:
            if key not in allowed:
                self.error(
                    mapping.key_lines[key],
                    tk._("unknown key {key}; known keys: {known}.").format(
                        key=key, known=", ".join(allowed)
                    ),
                )

    def _check_wilayah(self, document: _Map) -> str:
        region = portal_settings.region_code()
        wilayah = document.get("wilayah", region)
        line = document.key_lines.get("wilayah", document.line)
        if not isinstance(wilayah, str):
            self.error(line, _quote_hint("wilayah", wilayah))
            return region
        if wilayah != region:
            self.error(
                line,
                tk._(
                    "this registry is for wilayah {wilayah}, but the portal serves {region} "
                    "(ckanext.sipessut.region_code)."
                ).format(wilayah=wilayah, region=region),
            )
        return wilayah

    def _entry(self, item: Any, wilayah: str, list_line: int) -> Entry | None:
        if not isinstance(item, _Map):
            # A list item that is not a mapping has no line of its own: the
            # error names the list and the value.
            self.error(
                list_line,
                tk._("each OPD is a mapping of keys; found {value}.").format(value=item),
            )
            return None
        self._check_keys(item, ENTRY_KEYS)
        for key in REQUIRED_KEYS:
            if item.get(key) in (None, "", []):
                self.error(item.line, tk._("{key} is required.").format(key=key))
        values: dict[str, Any] = {}
        for key in ENTRY_KEYS:
            if key not in item:
                continue
            try:
                values[key] = self._value(key, item[key], wilayah)
            except identity.RuleError as error:
                self.error(item.key_lines[key], str(error))
        if "kode_skpd" not in values or "title" not in values:
            return None
        entry = Entry(item.line, values, dict(item.key_lines))
        if not values.get("name"):
            values["name"] = _derive_name(values)
            entry.name_given = False
        return entry

    def _value(self, key: str, value: Any, wilayah: str) -> Any:
        if value is None:
            value = [] if key in identity.LIST_FIELDS else ""
        if key in identity.LIST_FIELDS:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list):
                raise identity.RuleError(tk._("{key} must be a list.").format(key=key))
            for item in value:
                if not isinstance(item, str):
                    raise identity.RuleError(_quote_hint(key, item))
        elif not isinstance(value, str):
            raise identity.RuleError(_quote_hint(key, value))
        unstorable = formats.unstorable_in(value)
        if unstorable:
            raise identity.RuleError(f"{key}: {unstorable}")
        if isinstance(value, str):
            value = value.strip()
        return self._normalised(key, value, wilayah)

    def _normalised(self, key: str, value: Any, wilayah: str) -> Any:
        if key == "kode_skpd":
            return identity.normalise_kode_skpd(value)
        if key in ("kode_skpd_lama", "induk"):
            if isinstance(value, list):
                return list(dict.fromkeys(identity.normalise_kode_skpd(code) for code in value))
            return identity.normalise_kode_skpd(value) if value else ""
        if key == "name":
            return identity.check_name(value)
        if key == "bidang_urusan":
            return self._codes("bidang_urusan", value)
        if key == "peran":
            return self._codes("peran", [value])[0] if value else DEFAULT_PERAN
        if key == "kode_skpd_status":
            return self._codes("kode_skpd_status", [value])[0] if value else DEFAULT_KODE_STATUS
        if key == "kode_wilayah":
            code = self._codes("wilayah", [value])[0] if value else wilayah
            if code != wilayah and not code.startswith(wilayah + "."):
                raise identity.RuleError(
                    tk._("wilayah {code} lies outside the registry's wilayah {wilayah}.").format(
                        code=code, wilayah=wilayah
                    )
                )
            return code
        if key == "email":
            return formats.check_email(value)
        if key == "telepon":
            return formats.check_phone(value)
        if key in ("website", "image_url"):
            return formats.check_url(value) if key == "website" else formats.check_length(value)
        if key == "alias":
            if len(value) > identity.MAX_ALIASES:
                raise identity.RuleError(
                    tk._("at most {limit} aliases.").format(limit=identity.MAX_ALIASES)
                )
            return list(dict.fromkeys(formats.check_length(alias.strip()) for alias in value))
        if key == "description":
            return formats.check_length(value, identity.MAX_DESCRIPTION)
        return formats.check_length(value)

    def _codes(self, name: str, codes: list[str]) -> list[str]:
        codelist = codelists.get(name)
        codes = list(dict.fromkeys(code.strip() for code in codes if code.strip()))
        unknown = [code for code in codes if code not in codelist]
        if unknown:
            raise identity.RuleError(
                tk._("{codes} is not in the list of {list}").format(
                    codes=", ".join(unknown), list=codelist.title(codelists.current_language())
                )
            )
        return codes

    def _check_across(self, entries: list[Entry]) -> None:
        codes: dict[str, Entry] = {}
        names: dict[str, Entry] = {}
        walidata: list[Entry] = []
        for entry in entries:
            for code in [entry.kode_skpd, *entry.former_codes]:
                if code in codes:
                    self.error(
                        entry.line_of("kode_skpd"),
                        tk._("kode SKPD {code} is also used on line {line}.").format(
                            code=code, line=codes[code].line_of("kode_skpd")
                        ),
                    )
                else:
                    codes[code] = entry
            if entry.name in names:
                self.error(
                    entry.line_of("name"),
                    tk._("URL name {name} is also used on line {line}.").format(
                        name=entry.name, line=names[entry.name].line_of("name")
                    ),
                )
            else:
                names[entry.name] = entry
            if entry.values.get("peran") == WALIDATA:
                walidata.append(entry)
            bidang = entry.values.get("bidang_urusan") or []
            if bidang and identity.primary_bidang(entry.kode_skpd) != bidang[0]:
                self.warnings.append(
                    _at(
                        entry.line_of("bidang_urusan"),
                        tk._(
                            "{name}: the kode SKPD names bidang {code} first, the entry's first "
                            "bidang urusan is {first}."
                        ).format(
                            name=entry.name,
                            code=identity.primary_bidang(entry.kode_skpd),
                            first=bidang[0],
                        ),
                    )
                )
        for extra in walidata[1:]:
            self.error(
                extra.line_of("peran"),
                tk._(
                    "only one OPD can be the Walidata (Perpres 39/2019 Pasal 21(2)); "
                    "line {line} already is."
                ).format(line=walidata[0].line_of("peran")),
            )
        current = {entry.kode_skpd: entry for entry in entries}
        for entry in entries:
            parent = entry.values.get("induk")
            if not parent:
                continue
            if parent not in current:
                self.error(
                    entry.line_of("induk"),
                    tk._("induk {code} is not the kode SKPD of an OPD in this registry.").format(
                        code=parent
                    ),
                )
            elif _has_cycle(entry, current):
                self.error(
                    entry.line_of("induk"),
                    tk._("induk {code} leads back to this OPD.").format(code=parent),
                )


def _has_cycle(entry: Entry, by_code: dict[str, Entry]) -> bool:
    seen = {entry.kode_skpd}
    parent = entry.values.get("induk")
    while parent:
        if parent in seen:
            return True
        seen.add(parent)
        parent_entry = by_code.get(parent)
        parent = parent_entry.values.get("induk") if parent_entry else None
    return False


def _quote_hint(key: str, value: Any) -> str:
    if isinstance(value, float):
        return tk._(
            '{key}: YAML read {value} as a number; write codes and numbers in quotes, e.g. "2.10".'
        ).format(key=key, value=value)
    return tk._("{key}: {value} must be text (in quotes).").format(key=key, value=value)


def _derive_name(values: dict[str, Any]) -> str:
    """A URL name for an entry that gives none: from its abbreviation or title."""
    base = values.get("singkatan") or values["title"]
    slug = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")[:100]
    return slug if len(slug) >= 2 else "opd-" + values["kode_skpd"].replace(".", "-")
