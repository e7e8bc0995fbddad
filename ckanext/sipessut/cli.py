"""The `ckan sipessut` command group: one sub-group per domain that has commands."""

from __future__ import annotations

import click


@click.group(short_help="ckanext-sipessut commands")
def sipessut() -> None:
    """Commands of ckanext-sipessut (Satu Data portal)."""


def build(domains) -> list[click.Command]:
    for domain in domains:
        for command in getattr(domain, "CLI_COMMANDS", []):
            sipessut.add_command(command)
    return [sipessut]
