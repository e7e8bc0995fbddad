"""The WSGI application of a CKAN portal, for a production server such as gunicorn.

    CKAN_INI=/etc/ckan/default/ckan.ini gunicorn --pythonpath dev wsgi:application

CKAN's wheel ships no WSGI module (its source tree has a wsgi.py that the
deployment docs copy to /etc/ckan/default/). This one does what CKAN's own
`ckan run` does, on CKAN 2.11 and 2.12 alike: `ckan.cli.load_config` reads the
ini file (and its `use = config:...` chain) and configures logging from it,
then `ckan.config.middleware.make_app` loads the plugins and builds the app.
Each gunicorn worker imports it on its own (no preloading), so no database
connection, Redis pool or thread is shared across a fork.
"""

from __future__ import annotations

import logging
import os

from ckan.cli import load_config
from ckan.config.middleware import make_app

if not os.environ.get("CKAN_INI"):
    raise RuntimeError("set CKAN_INI to the portal's ini file")

application = make_app(load_config(os.environ["CKAN_INI"]))

# The ini file's logging sections are applied with logging.config.fileConfig,
# which disables every logger that existed before: gunicorn's access and error
# logs among them. They are the server's, not the portal's: switch them back on.
for name, logger in logging.root.manager.loggerDict.items():
    if name.startswith("gunicorn") and isinstance(logger, logging.Logger):
        logger.disabled = False
