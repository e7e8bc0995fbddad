"""The portal: the region's home page, the menu, and the public's and the officer's pages
that belong to no one domain (search results, the about page, the dashboard's returned
datasets, a draft's checklist), with the portal's look, licences, dates and numbers.

- home.py      headline figures, tiles and latest releases from Solr facets, cached briefly
- featured.py  the datasets the Walidata features (kept in CKAN's system_info)
- wilayah.py   the wilayah facet (`vocab_wilayah`): kecamatan / kelurahan a dataset covers
- search.py    words for Solr's spellcheck (`vocab_sipessut_kata`) and its suggestions
- helpers.py   template helpers; views.py the Walidata's page of featured datasets

This module is the domain's published face: the other domains and plugin.py use only
the names below.

- `update_config(config)`: the portal's defaults for CKAN options (display time zone,
  licence list), called from plugin.py's IConfigurer;
- the search hooks `before_dataset_index`, `dataset_facets`, `label_facet_items` and
  `forget_home_page()` (an index change clears the home page's figures); HIDDEN_FACETS,
  CKAN's facets the search page leaves out (groups: the portal sorts data by sektor);
- `upcoming_releases(limit)`: the next releases, read from the monitoring domain's face
  (an empty list when the calendar fails: the home page stays up);
- WILAYAH_FIELD (`vocab_wilayah`) and `wilayah_coverage(pkg)`;
- the dicts of actions, auth functions, helpers and blueprints plugin.py merges.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytz

from ckanext.sipessut import settings as portal_wide
from ckanext.sipessut.portal import actions, auth, home, search, wilayah
from ckanext.sipessut.portal.helpers import HELPERS, upcoming_releases
from ckanext.sipessut.portal.views import blueprint

WILAYAH_FIELD = wilayah.INDEX_FIELD
HIDDEN_FACETS = ("groups",)
wilayah_coverage = wilayah.coverage
forget_home_page = home.forget
LICENSES_FILE = Path(__file__).with_name("licenses.json")

ACTIONS = {
    "sipessut_portal_featured_show": actions.featured_show,
    "sipessut_portal_featured_update": actions.featured_update,
}
AUTH_FUNCTIONS = {
    "sipessut_portal_featured_show": auth.featured_show,
    "sipessut_portal_featured_update": auth.featured_update,
}
BLUEPRINTS = [blueprint]


def update_config(config: Any) -> None:
    """Our defaults for options CKAN declares itself (a portal's own values win):

    - `ckan.display_timezone`: the portal's time zone (WITA) unless set to another zone
      than CKAN's default UTC;
    - `licenses_group_url`: the licence list shipped with the package (CC BY 4.0, CC0,
      ODbL) unless the portal names its own file.
    """
    zone = portal_wide.timezone_name(config)
    if zone in pytz.all_timezones and config.get("ckan.display_timezone") in (None, "", "UTC"):
        config["ckan.display_timezone"] = zone
    if not config.get("licenses_group_url"):
        config["licenses_group_url"] = LICENSES_FILE.as_uri()


def before_dataset_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    home.forget()
    pkg_dict = wilayah.before_dataset_index(pkg_dict)
    return search.before_dataset_index(pkg_dict)


def dataset_facets(facets: dict[str, str]) -> dict[str, str]:
    """Adds the wilayah facet (after the sectoral-statistics ones)."""
    facets[wilayah.INDEX_FIELD] = wilayah.facet_title()
    return facets


def label_facet_items(search_facets: dict[str, Any]) -> None:
    wilayah.label_facet_items(search_facets)


__all__ = [
    "ACTIONS",
    "AUTH_FUNCTIONS",
    "BLUEPRINTS",
    "HELPERS",
    "HIDDEN_FACETS",
    "WILAYAH_FIELD",
    "before_dataset_index",
    "dataset_facets",
    "forget_home_page",
    "label_facet_items",
    "update_config",
    "upcoming_releases",
    "wilayah_coverage",
]
