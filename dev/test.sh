#!/usr/bin/env bash
# `make test`: the whole suite on the real stack, on every supported CKAN line,
# the lines at the same time.
#
#   dev/test.sh                  ruff, the dev scripts' tests, then pytest on CKAN 2.12
#                                and 2.11 and the benchmarks' smoke mode, side by side
#   CKAN=2.11 dev/test.sh        one line only
#   dev/test.sh -k resolver -x   extra arguments go to pytest (of every line)
#   dev/test.sh ckanext.sipessut.tests.opd -x     one part of the suite
#
# Installs what is missing (Debian packages, Solr's jars, a virtualenv per
# CKAN line), starts the services that are not running yet, and stops those
# it started when it ends, whatever the outcome. Each line runs on a database,
# Solr core, Redis db, browser-test port and storage path of its own (see
# dev/lib.sh), writes its output to .work/log/pytest-LINE.log and reports its
# progress every 30 s; both summaries are printed at the end, with the time the
# whole command took. Exits non-zero if ruff, the dev scripts' tests or any
# pytest run or the benchmarks' smoke mode failed, or if a run executed no test.

# shellcheck source=dev/services.sh
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
# shellcheck source=dev/venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"
# shellcheck source=dev/axe.sh
source "$(dirname "${BASH_SOURCE[0]}")/axe.sh"

began=$SECONDS
lines=${CKAN:-$CKAN_LINES_ALL}
for line in $lines; do ckan_release "$line" >/dev/null; done
PROGRESS_EVERY=${PROGRESS_EVERY:-30}  # seconds between two progress lines

started=$(mktemp)
summaries=$(mktemp)
finish() {
  local status=$?
  for line in $lines; do stop_pid "pytest-$line" 10 >/dev/null; done
  stop_pid bench-smoke 10 >/dev/null
  stop_recorded "$started" >/dev/null
  rm -f "$started" "$summaries"
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

ensure_system_packages browser
ensure_axe_core

declare -A venv_of
for line in $lines; do venv_of[$line]=$(ensure_venv "$line"); done
first_venv=${venv_of[${lines%% *}]}

start_services "$started"

failed=0
say "ruff"
if "$first_venv/bin/ruff" check "$ROOT" && "$first_venv/bin/ruff" format --check "$ROOT"; then
  echo "ruff: clean" >>"$summaries"
else
  echo "ruff: FAILED" >>"$summaries"
  failed=1
fi

# pytest of LINE, in the background: the line's own database, Solr core, Redis
# db, browser-test port (ckan.site_url) and storage; its own temporary
# directory. Run from the work directory with --pyargs: the tests import the
# installed package, never the source tree.
start_line() { # start_line LINE [PYTEST ARGS...] -> starts it as the process pytest-LINE
  local line=$1 venv=${venv_of[$1]} storage arg targets=(ckanext.sipessut) harvest_env
  shift
  # The plain CKAN the harvest tests start: its database, Solr core, Redis db, port.
  mapfile -t harvest_env < <(ensure_harvest_portal "$line" "$(ckan_solr_schema "$venv")")
  # A module or package of the suite among the arguments (ckanext.sipessut.tests.x)
  # is what runs; otherwise the whole package.
  for arg in "$@"; do [[ "$arg" == ckanext.sipessut* ]] && targets=(); done
  storage=$(test_storage_path "$line")
  rm -rf "$storage" "$WORK/pytest-tmp-$line"
  mkdir -p "$storage"
  : >"$LOGS/pytest-$line.log"
  start_group "pytest-$line" "$LOGS/pytest-$line.log" env -C "$WORK" \
    CKAN_SQLALCHEMY_URL="$(db_url "$(test_db_name "$line")")" \
    CKAN_SOLR_URL="$(solr_url "$(test_solr_core "$line")")" \
    CKAN_REDIS_URL="$(redis_url "$(test_redis_db "$line")")" \
    CKAN_DATASTORE_WRITE_URL="$(db_url "$(datastore_db_name "$(test_db_name "$line")")")" \
    CKAN_DATASTORE_READ_URL="$(datastore_read_url "$(datastore_db_name "$(test_db_name "$line")")")" \
    CKAN_SITE_URL="http://127.0.0.1:$(test_ckan_port "$line")" \
    CKAN_STORAGE_PATH="$storage" \
    "${harvest_env[@]}" \
    "$venv/bin/pytest" -c "$ROOT/pyproject.toml" --rootdir "$ROOT" \
    --ckan-ini "$ROOT/test.ini" -p no:cacheprovider --basetemp "$WORK/pytest-tmp-$line" --durations=30 \
    --pyargs "${targets[@]}" "$@"
}

progress_of() { # progress_of LOG -> "37% of 597, 1 failed" from pytest's progress lines
  awk '
    /^collected [0-9]+ items/ { total = $2 }
    match($0, /\[ *[0-9]+%\]$/) {
      pct = substr($0, RSTART + 1, RLENGTH - 3) + 0
      marks = substr($0, 1, RSTART - 1)
      sub(/^[^ ]*\.py /, "", marks)
      failed += gsub(/[FE]/, "", marks)
    }
    END { printf "%d%% of %s%s", pct, total ? total : "?", failed ? ", " failed " failed" : "" }
  ' "$1" 2>/dev/null
}

line_summary() { # line_summary LINE STATUS -> pytest's last summary line, or why there is none
  local log=$LOGS/pytest-$1.log summary
  summary=$(grep -E '^=+ .*(passed|failed|error|no tests ran).* =+$' "$log" | tail -n1 | sed -E 's/^=+ //; s/ =+$//' || true)
  # Exit 5 means pytest collected no test: a run that tests nothing fails.
  if [ "$2" = 5 ]; then summary="no tests ran"; fi
  echo "CKAN $(ckan_release "$1"): ${summary:-pytest exited with $2} (log: $log)"
}

for line in $lines; do
  ensure_database "$(test_db_name "$line")"
  ensure_datastore "$(datastore_db_name "$(test_db_name "$line")")" "$(test_db_name "$line")" "${venv_of[$line]}"
  ensure_solr_core "$(test_solr_core "$line")" "$(ckan_solr_schema "${venv_of[$line]}")"
  require_free_port "$(test_ckan_port "$line")" "the browser tests of CKAN $line"
done
# The dev scripts' own tests (process groups and pid files of dev/lib.sh), on
# a Redis db of their own, once the first line's test database exists (the
# worker they start loads CKAN on it); skipped when pytest arguments select part of the suite.
if [ $# -gt 0 ]; then
  echo "dev scripts: skipped (pytest arguments given)" >>"$summaries"
else
  say "dev scripts (process groups, pid files)"
  if (
    cd "$WORK"
    CKAN_SQLALCHEMY_URL=$(db_url "$(test_db_name "${lines%% *}")") \
    CKAN_SOLR_URL=$(solr_url "$(test_solr_core "${lines%% *}")") \
    CKAN_REDIS_URL=$(redis_url "$SCRIPTS_TEST_REDIS_DB") \
      "$first_venv/bin/pytest" -c "$ROOT/pyproject.toml" --rootdir "$ROOT" -p no:cacheprovider \
      -p no:ckan -p no:ckan_fixtures -q "$ROOT/dev/tests"
  ) >"$LOGS/pytest-dev.log" 2>&1; then
    echo "dev scripts: $(tail -n1 "$LOGS/pytest-dev.log" | sed -E 's/^=+ //; s/ =+$//')" >>"$summaries"
  else
    show_log_tail "$LOGS/pytest-dev.log"
    echo "dev scripts: FAILED (see $LOGS/pytest-dev.log)" >>"$summaries"
    failed=1
  fi
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -n "$SCRIPTS_TEST_REDIS_DB" flushdb >/dev/null || true
fi

say "pytest on CKAN $(for line in $lines; do printf '%s ' "$(ckan_release "$line")"; done)at the same time; logs in $LOGS/pytest-LINE.log"
for line in $lines; do start_line "$line" "$@"; done
jobs=""
for line in $lines; do jobs+=" pytest-$line"; done

# The benchmarks' smoke mode (tiny sizes) proves `make bench` still works. It runs
# beside the suite, on databases, Solr cores, a Redis db and ports of its own, from
# the virtualenv installed above (skipped when pytest arguments select part of the suite).
if [ $# -gt 0 ]; then
  echo "benchmarks (smoke): skipped (pytest arguments given)" >>"$summaries"
else
  ensure_xloader "$first_venv"
  : >"$LOGS/bench-smoke.log"
  start_group bench-smoke "$LOGS/bench-smoke.log" env BENCH_VENV_READY=1 bash "$ROOT/benchmarks/run.sh" --smoke
  jobs+=" bench-smoke"
fi

# Progress until every job is done. Each is a child of this shell (start_group's
# setsid execs in the same process), so `wait` gives its exit status; then whatever
# it left running (a server of the browser tests) is stopped.
declare -A status_of
last=$SECONDS
while :; do
  running=0
  for job in $jobs; do
    [ -n "${status_of[$job]:-}" ] && continue
    read -r pid _ <"$RUN/$job.pid"
    if proc_start "$pid" >/dev/null; then
      running=1
    else
      set +e
      wait "$pid"
      status_of[$job]=$?
      set -e
      stop_pid "$job" 10 >/dev/null
    fi
  done
  [ "$running" = 1 ] || break
  if (( SECONDS - last >= PROGRESS_EVERY )); then
    last=$SECONDS
    report="  $(date +%H:%M:%S) +$(( (SECONDS - began) / 60 ))m"
    for line in $lines; do
      if [ -n "${status_of[pytest-$line]:-}" ]; then report+="  CKAN $line: done";
      else report+="  CKAN $line: $(progress_of "$LOGS/pytest-$line.log")"; fi
    done
    if [[ " $jobs " == *" bench-smoke "* ]]; then
      report+="  benchmarks: $([ -n "${status_of[bench-smoke]:-}" ] && echo done || echo running)"
    fi
    echo "$report" >&2
  fi
  sleep 2
done
for line in $lines; do
  line_summary "$line" "${status_of[pytest-$line]}" >>"$summaries"
  [ "${status_of[pytest-$line]}" = 0 ] || failed=1
done
if [ -n "${status_of[bench-smoke]:-}" ]; then
  if [ "${status_of[bench-smoke]}" = 0 ]; then
    echo "benchmarks (smoke): ok" >>"$summaries"
  else
    show_log_tail "$LOGS/bench-smoke.log"
    echo "benchmarks (smoke): FAILED (see $LOGS/bench-smoke.log)" >>"$summaries"
    failed=1
  fi
fi

echo
say "summary"
cat "$summaries"
elapsed=$((SECONDS - began))
printf 'make test: %d min %02d s in all (%s)\n' $((elapsed / 60)) $((elapsed % 60)) "$([ "$failed" = 0 ] && echo passed || echo FAILED)"
exit "$failed"
