# ckanext-sipessut: the two commands a newcomer needs, and a few helpers.
#
#   make demo    portal with demo data at http://127.0.0.1:5000
#   make test    ruff + the whole suite on CKAN 2.12 and 2.11 (CKAN=2.12 for one line)
#   make stop    stop what demo and test started
#   make bench   the benchmarks in benchmarks/ (BENCH=opd_sync for one), not part of `make test`
#
# Everything is installed under .work/ on first use; see README.md.

SHELL := /bin/bash
export CKAN
ARGS ?=

.PHONY: demo test stop services status lint format i18n bench clean assets

demo:
	@bash dev/demo.sh

test:
	@bash dev/test.sh $(ARGS)

stop:
	@bash dev/stop.sh


services:
	@bash dev/services.sh start

status:
	@bash dev/services.sh status

lint:
	@venv=$$(bash dev/venv.sh 2.12) && $$venv/bin/ruff check . && $$venv/bin/ruff format --check .

format:
	@venv=$$(bash dev/venv.sh 2.12) && $$venv/bin/ruff check --fix . && $$venv/bin/ruff format .

i18n:
	@bash dev/i18n.sh

# Fetches the pinned Apache ECharts from the npm registry into the package (committed).
assets:
	@bash dev/assets.sh

# Not part of `make test` (which runs its smoke mode); writes benchmarks/results/latest.{md,json}.
bench:
	@bash benchmarks/run.sh $(BENCH)

# Stops everything, then deletes the work directory (virtualenvs, databases, Solr, logs).
clean: stop
	@bash dev/services.sh purge
	@rm -rf build *.egg-info
