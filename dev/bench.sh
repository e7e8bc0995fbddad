#!/usr/bin/env bash
# `make bench`: the benchmarks in benchmarks/, on the real stack, on a fresh database.
#
#   dev/bench.sh                       every benchmarks/*.py
#   BENCH=opd_sync dev/bench.sh        one of them
#   CKAN=2.11 dev/bench.sh             on the other CKAN line
#
# Each benchmark gets an empty `ckan_bench` database (dropped and recreated)
# and the `ckan_bench` Solr core, runs with test.ini pointed at them, and
# writes its numbers to benchmarks/results/NAME.json. Services this script
# started are stopped at the end.

# shellcheck source=dev/services.sh
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
# shellcheck source=dev/venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"

line=${CKAN:-2.12}
BENCH_DB=ckan_bench
BENCH_SOLR_CORE=ckan_bench

started=$(mktemp)
trap 'stop_recorded "$started" >/dev/null; rm -f "$started"' EXIT

ensure_system_packages
venv=$(ensure_venv "$line")
start_services "$started"
ensure_solr_core "$BENCH_SOLR_CORE" "$("$venv/bin/python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))')"

export CKAN_SQLALCHEMY_URL CKAN_SOLR_URL CKAN_REDIS_URL
CKAN_SQLALCHEMY_URL=$(db_url "$BENCH_DB")
CKAN_SOLR_URL=$(solr_url "$BENCH_SOLR_CORE")
CKAN_REDIS_URL=$(redis_url "$TEST_REDIS_DB")

names=${BENCH:-$(cd "$ROOT/benchmarks" && ls ./*.py | sed 's|^\./||; s|\.py$||')}
failed=0
for name in $names; do
  [ -f "$ROOT/benchmarks/$name.py" ] || die "no benchmark benchmarks/$name.py"
  say "fresh database $BENCH_DB for $name"
  psql_admin -c "DROP DATABASE IF EXISTS $BENCH_DB" >/dev/null 2>&1
  ensure_database "$BENCH_DB"
  "$venv/bin/ckan" -c "$ROOT/test.ini" db upgrade >"$LOGS/bench-db.log" 2>&1 \
    || { show_log_tail "$LOGS/bench-db.log"; die "ckan db upgrade failed"; }
  curl -sf -m 30 "$CKAN_SOLR_URL/update?commit=true" -H 'Content-Type: text/xml' \
    --data-binary '<delete><query>*:*</query></delete>' >/dev/null \
    || die "could not empty the Solr core $BENCH_SOLR_CORE"
  say "benchmark $name on CKAN $(ckan_release "$line")"
  (cd "$WORK" && "$venv/bin/python" "$ROOT/benchmarks/$name.py" --ini "$ROOT/test.ini") || failed=1
done
exit "$failed"
