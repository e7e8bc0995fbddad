"""Fixtures of the OPD registry tests: a registry written as text, synced as a sysadmin."""

from __future__ import annotations

import textwrap

import pytest
from ckan.tests import factories, helpers

from ckanext.sipessut.opd import registry


def registry_text(*entries: str, header: str = "") -> str:
    """A registry file: `format: 1` and the given OPD entries (YAML blocks)."""
    items = []
    for entry in entries:
        lines = textwrap.dedent(entry).strip("\n").splitlines()
        items.append("  - " + lines[0] + "".join("\n    " + line for line in lines[1:]))
    return "format: 1\n" + textwrap.dedent(header) + "opd:\n" + "\n".join(items) + "\n"


def entry(kode: str, name: str, title: str, bidang: str = '"2.16"', **more: str) -> str:
    """One OPD entry; keyword arguments are further YAML keys, written as given."""
    lines = [
        f'kode_skpd: "{kode}"',
        f"name: {name}",
        f"title: {title}",
        f"bidang_urusan: [{bidang}]",
    ]
    lines += [f"{key}: {value}" for key, value in more.items()]
    return "\n".join(lines)


@pytest.fixture
def sysadmin():
    return factories.Sysadmin()


@pytest.fixture
def sync(sysadmin):
    """sync(text, **options) -> the sipessut_opd_sync result, run as a sysadmin."""

    def run(text: str | None = None, **options):
        data = dict(options)
        if text is not None:
            data["registry"] = text
        return helpers.call_action("sipessut_opd_sync", {"user": sysadmin["name"]}, **data)

    return run


@pytest.fixture
def samarinda(clean_db, sync):
    """The portal after syncing the default Kota Samarinda registry (on a clean database)."""
    text, _source = registry.read_text(registry.DEFAULT_REGISTRY)
    return sync(text)
