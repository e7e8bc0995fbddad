#!/usr/bin/env bash
# `make test`: the whole suite on the real stack, on every supported CKAN line.
#
#   dev/test.sh                  ruff, then pytest on CKAN 2.12 and on 2.11
#   CKAN=2.11 dev/test.sh        one line only
#   dev/test.sh -k resolver -x   extra arguments go to pytest
#
# Installs what is missing (Debian packages, Solr's jars, a virtualenv per
# CKAN line), starts the services that are not running yet, and stops those
# it started when it ends, whatever the outcome. Exits non-zero if ruff or
# any pytest run failed, or if a run executed no test.

# shellcheck source=dev/services.sh
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
# shellcheck source=dev/venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"

lines=${CKAN:-$CKAN_LINES_ALL}
for line in $lines; do ckan_release "$line" >/dev/null; done

started=$(mktemp)
summaries=$(mktemp)
finish() {
  local status=$?
  stop_recorded "$started" >/dev/null
  rm -f "$started" "$summaries"
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

ensure_system_packages browser

venvs=()
for line in $lines; do
  venv=$(ensure_venv "$line")
  venvs+=("$venv")
done

start_services "$started"

failed=0
say "ruff"
if "${venvs[0]}/bin/ruff" check "$ROOT" && "${venvs[0]}/bin/ruff" format --check "$ROOT"; then
  echo "ruff: clean" >>"$summaries"
else
  echo "ruff: FAILED" >>"$summaries"
  failed=1
fi

i=0
for line in $lines; do
  venv=${venvs[$i]}
  i=$((i + 1))
  db=$(test_db_name "$line")
  ensure_database "$db"
  schema_xml=$("$venv/bin/python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))')
  ensure_solr_core "$TEST_SOLR_CORE" "$schema_xml"
  harvest_env=$(ensure_harvest_portal "$line" "$schema_xml")
  say "pytest on CKAN $(ckan_release "$line")"
  log=$LOGS/pytest-$line.log
  set +e
  # Run from the work directory with --pyargs: the tests import the installed
  # package, never the source tree.
  (
    cd "$WORK"
    CKAN_SQLALCHEMY_URL=$(db_url "$db") \
    CKAN_SOLR_URL=$(solr_url "$TEST_SOLR_CORE") \
    CKAN_REDIS_URL=$(redis_url "$TEST_REDIS_DB") \
    CKAN_SITE_URL=http://127.0.0.1:$TEST_CKAN_PORT \
    env $harvest_env \
      "$venv/bin/pytest" -c "$ROOT/pyproject.toml" --rootdir "$ROOT" \
      --ckan-ini "$ROOT/test.ini" -p no:cacheprovider \
      --pyargs ckanext.sipessut "$@"
  ) 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  set -e
  summary=$(grep -E '^=+ .*(passed|failed|error|no tests ran).* =+$' "$log" | tail -n1 | sed -E 's/^=+ //; s/ =+$//' || true)
  # Exit 5 means pytest collected no test: a run that tests nothing fails.
  if [ "$status" = 5 ]; then summary="no tests ran"; fi
  echo "CKAN $(ckan_release "$line"): ${summary:-pytest exited with $status}" >>"$summaries"
  [ "$status" = 0 ] || failed=1
done

# The benchmarks' smoke mode (tiny sizes): proves `make bench` still works.
# Skipped when pytest arguments select part of the suite.
if [ $# -gt 0 ]; then
  echo "benchmarks (smoke): skipped (pytest arguments given)" >>"$summaries"
elif say "benchmarks (smoke)" && bash "$ROOT/benchmarks/run.sh" --smoke >"$LOGS/bench-smoke.log" 2>&1; then
  echo "benchmarks (smoke): ok" >>"$summaries"
else
  show_log_tail "$LOGS/bench-smoke.log"
  echo "benchmarks (smoke): FAILED (see $LOGS/bench-smoke.log)" >>"$summaries"
  failed=1
fi

echo
say "summary"
cat "$summaries"
exit "$failed"
