"""Test factories for the extension's schemas, built on CKAN's own factories."""

from __future__ import annotations

import factory
from ckan.tests import factories


class OPD(factories.Organization):
    """An organization as the OPD schema requires it (a unique kode SKPD)."""

    kode_skpd = factory.Sequence(lambda n: f"2.16.0.00.0.00.{n % 100:02d}.{n // 100:04d}")
