"""Monitoring: the Walidata's control room. Release calendar (Jadwal Rilis) and its
iCalendar feeds, releases recorded and their punctuality, monitoring per OPD, reminders of
due releases, data requests from the public (Permintaan Data), EPSS evidence.

- schedule.py         when a release is due, whether it came on time (the one rule)
- releases.py         the release event (approval; a new table file on a published dataset)
- index.py            what it adds to the search index (next release, completeness, codes)
- queries.py          bulk SQL and Solr reads; measures.py the figures per OPD
- release_calendar.py, ical.py   the calendar and its feeds
- reminders.py, data_requests.py, mail.py, epss.py (+ epss_indicators.yaml)
- model.py            its tables; actions.py, auth.py, views.py, helpers.py, cli.py

This module is the domain's published face: the other domains and plugin.py use only
the names below.

- `upcoming_releases(limit)`: the next public releases, earliest first (for the home page);
- `menu_items()`: the main-menu entries (route, label) for `h.build_nav_main`, also the
  template helper `sipessut_monitoring_menu_items`;
- the CKAN hooks plugin.py hands over: `before_dataset_index`, `signal_subscriptions()`
  (ISignal: releases recorded on approval and on a new validated file);
- the dicts of actions, auth functions, helpers, blueprints and CLI commands it merges.
"""

from __future__ import annotations

from ckanext.sipessut.monitoring import actions, auth, releases
from ckanext.sipessut.monitoring.cli import CLI_COMMANDS
from ckanext.sipessut.monitoring.helpers import HELPERS, menu_items, upcoming_releases
from ckanext.sipessut.monitoring.index import before_dataset_index
from ckanext.sipessut.monitoring.views import blueprint

ACTIONS = {
    "sipessut_release_calendar_show": actions.release_calendar_show,
    "sipessut_release_history": actions.release_history,
    "sipessut_monitoring_show": actions.monitoring_show,
    "sipessut_monitoring_datasets": actions.monitoring_datasets,
    "sipessut_reminder_run": actions.reminder_run,
    "sipessut_data_request_create": actions.data_request_create,
    "sipessut_data_request_status": actions.data_request_status,
    "sipessut_data_request_list": actions.data_request_list,
    "sipessut_data_request_show": actions.data_request_show,
    "sipessut_data_request_assign": actions.data_request_assign,
    "sipessut_data_request_answer": actions.data_request_answer,
    "sipessut_epss_evidence": actions.epss_evidence,
}
AUTH_FUNCTIONS = {
    "sipessut_release_calendar_show": auth.public,
    "sipessut_release_history": auth.public,  # the action asks package_show's auth
    "sipessut_monitoring_show": auth.monitoring_show,
    "sipessut_monitoring_datasets": auth.monitoring_show,
    "sipessut_reminder_run": auth.reminder_run,
    "sipessut_data_request_create": auth.public,
    "sipessut_data_request_status": auth.public,  # the unguessable token is the key
    "sipessut_data_request_list": auth.request_list,
    "sipessut_data_request_show": auth.request_show,
    "sipessut_data_request_assign": auth.request_assign,
    "sipessut_data_request_answer": auth.request_answer,
    "sipessut_epss_evidence": auth.walidata_only,
}
BLUEPRINTS = [blueprint]

signal_subscriptions = releases.signal_subscriptions

__all__ = [
    "ACTIONS",
    "AUTH_FUNCTIONS",
    "BLUEPRINTS",
    "CLI_COMMANDS",
    "HELPERS",
    "before_dataset_index",
    "menu_items",
    "signal_subscriptions",
    "upcoming_releases",
]
