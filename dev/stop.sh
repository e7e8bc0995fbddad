#!/usr/bin/env bash
# `make stop`: stops what `make demo` and `make test` started, by the PIDs they
# recorded in .work/run/: each process with everything left in its process
# group (SIGTERM, then SIGKILL after a grace period). Nothing else is touched.

# shellcheck source=dev/services.sh
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"

stop_pid ckan-worker
stop_pid ckan
stop_pid mailsink
stop_services
