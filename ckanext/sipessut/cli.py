"""The `ckan sipessut ...` command group: one sub-group per domain."""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

import click


def command_group(domains: Iterable[ModuleType]) -> click.Group:
    """`sipessut` with each domain's CLI_COMMANDS (e.g. `ckan sipessut opd sync`)."""

    @click.group(short_help="ckanext-sipessut: Satu Data commands")
    def sipessut():
        """ckanext-sipessut commands."""

    for domain in domains:
        for command in getattr(domain, "CLI_COMMANDS", []):
            sipessut.add_command(command)
    return sipessut
