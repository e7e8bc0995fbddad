#!/usr/bin/env bash
# `make bench`: the benchmarks on the real stack, each side by side with what a
# portal would use otherwise; writes benchmarks/results/NAME.json and combines
# them into benchmarks/results/latest.md and latest.json.
#
#   bash benchmarks/run.sh                      every benchmark (tens of minutes)
#   bash benchmarks/run.sh opd_sync             some of them (make bench BENCH=opd_sync; BENCH=load)
#   bash benchmarks/run.sh --smoke              tiny sizes, about 5 minutes: `make test` runs it
#                                               so the harness never rots; results stay in .work/
#   CKAN=2.11 bash benchmarks/run.sh            on the other CKAN line
#
# Every benchmark starts from empty databases and Solr cores, separate from the
# demo's and the tests'. Services this script started are stopped at the end.

# shellcheck source=dev/services.sh
source "$(dirname "${BASH_SOURCE[0]}")/../dev/services.sh"
# shellcheck source=dev/venv.sh
source "$ROOT/dev/venv.sh"

smoke=
names=()
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=--smoke ;;
    -*) die "usage: benchmarks/run.sh [--smoke] [NAME...]" ;;
    *) names+=("$arg") ;;
  esac
done
if [ ${#names[@]} = 0 ]; then
  # Every benchmarks/NAME.py is a benchmark (report.py combines their results).
  for file in "$ROOT"/benchmarks/*.py; do
    name=$(basename "$file" .py)
    [ "$name" = report ] || names+=("$name")
  done
fi
for name in "${names[@]}"; do
  [ -f "$ROOT/benchmarks/$name.py" ] || die "no benchmark benchmarks/$name.py"
done

line=${CKAN:-2.12}
BENCH=$WORK/bench${smoke:+-smoke}
out=$ROOT/benchmarks/results
[ -z "$smoke" ] || out=$BENCH/results
PORT_SIPESSUT=${BENCH_PORT_SIPESSUT:-5101}
PORT_PLAIN=${BENCH_PORT_PLAIN:-5102}
# The load benchmark's gunicorn and `ckan run`, serving one portal side by side.
PORT_SERVER=${BENCH_PORT_SERVER:-5103}
PORT_DEVSERVER=${BENCH_PORT_DEVSERVER:-5104}

# BENCH_VENV_READY=1: `make test` installed the virtualenv and its pytest runs from it,
# so it is used as it is (reinstalling the package under a running suite breaks it).
if [ -n "${BENCH_VENV_READY:-}" ]; then
  venv=$(venv_dir "$line")
else
  ensure_system_packages
  venv=$(ensure_venv "$line")
fi
record=$(mktemp)
trap 'stop_recorded "$record" >/dev/null; rm -f "$record"' EXIT
start_services "$record"
rm -rf "$BENCH"
mkdir -p "$BENCH/storage" "$out"
schema=$(ckan_solr_schema "$venv")

fresh_store() { # fresh_store DB CORE -> empty database and Solr core
  recreate_database "$1"
  ensure_solr_core "$2" "$schema"
  clear_solr_core "$2"
}

portal() { # portal FLAVOUR PORT PLUGINS [KEY=VALUE...] -> the ini of a fresh portal
  local flavour=$1 port=$2 plugins=$3 ini=$BENCH/$1.ini
  shift 3
  fresh_store "ckan_bench_$flavour" "bench_$flavour"
  "$venv/bin/ckan" generate config "$ini" >/dev/null
  "$venv/bin/ckan" config-tool "$ini" \
    "sqlalchemy.url=$(db_url "ckan_bench_$flavour")" "solr_url=$(solr_url "bench_$flavour")" \
    "ckan.redis.url=$(redis_url "$BENCH_REDIS_DB")" "ckan.site_url=http://127.0.0.1:$port" \
    "ckan.plugins=$plugins" "ckan.storage_path=$BENCH/storage" \
    "ckan.locale_default=id" "ckan.search.show_all_types=true" "$@" >/dev/null
  "$venv/bin/ckan" -c "$ini" db upgrade >"$BENCH/$flavour-db.log" 2>&1 \
    || { show_log_tail "$BENCH/$flavour-db.log"; die "migrating the $flavour benchmark portal failed"; }
  echo "$ini"
}

# The public-data benchmark compares with ckanext-xloader (see requirements-xloader.txt).
if [[ " ${names[*]} " == *" publicdata "* ]]; then ensure_xloader "$venv"; fi

failed=0
for name in "${names[@]}"; do
  say "benchmark $name on CKAN $(ckan_release "$line")${smoke:+ (smoke)}"
  cd "$ROOT/benchmarks"
  if [ "$name" = request_overhead ]; then
    for port in "$PORT_SIPESSUT" "$PORT_PLAIN"; do require_free_port "$port" "a benchmark portal"; done
    ini=$(portal sipessut "$PORT_SIPESSUT" "sipessut scheming_datasets scheming_organizations activity")
    ini_plain=$(portal plain "$PORT_PLAIN" "scheming_datasets activity" \
      "scheming.dataset_schemas=ckanext.scheming:ckan_dataset.yaml" \
      "scheming.presets=ckanext.scheming:presets.json")
    "$venv/bin/python" request_overhead.py measure --ini "$ini" --ini-plain "$ini_plain" \
      --port "$PORT_SIPESSUT" --port-plain "$PORT_PLAIN" --workdir "$BENCH" \
      --out "$out/$name.json" $smoke || failed=1
  elif [ "$name" = monitoring ]; then
    require_free_port "$PORT_SIPESSUT" "the monitoring benchmark portal"
    ini=$(portal monitoring "$PORT_SIPESSUT" "sipessut scheming_datasets scheming_organizations activity")
    # MONITORING_SIZES=300,3000: smaller catalogues than 1,000 and 10,000 (a busy machine)
    "$venv/bin/python" monitoring.py --ini "$ini" --port "$PORT_SIPESSUT" --workdir "$BENCH" \
      --out "$out/$name.json" $smoke ${MONITORING_SIZES:+--sizes "$MONITORING_SIZES"} || failed=1
  elif [ "$name" = load ]; then
    for port in "$PORT_SERVER" "$PORT_DEVSERVER"; do require_free_port "$port" "a benchmark portal"; done
    ini=$(portal load "$PORT_SERVER" "sipessut scheming_datasets scheming_organizations activity")
    "$venv/bin/ckan" -c "$ini" translation js >"$BENCH/load-assets.log" 2>&1 \
      && "$venv/bin/ckan" -c "$ini" asset build >>"$BENCH/load-assets.log" 2>&1 \
      || { show_log_tail "$BENCH/load-assets.log"; die "building the load portal's assets failed"; }
    "$venv/bin/python" load.py --ini "$ini" --port "$PORT_SERVER" --port-devserver "$PORT_DEVSERVER" \
      --workdir "$BENCH" --out "$out/$name.json" $smoke || failed=1
  elif [ "$name" = interop ]; then
    # Our portal (with ckanext-dcat) and the plain CKAN that harvests it.
    for port in "$PORT_SIPESSUT" "$PORT_PLAIN"; do require_free_port "$port" "a benchmark portal"; done
    ini=$(portal interop "$PORT_SIPESSUT" "sipessut scheming_datasets scheming_organizations activity dcat structured_data" \
      "ckanext.dcat.rdf.profiles=euro_dcat_ap_3 sipessut_satudata")
    fresh_store ckan_bench_harvest bench_harvest
    # shellcheck disable=SC2086 # BENCH_ARGS: extra options (--only harvest), word-split
    "$venv/bin/python" interop.py --ini "$ini" --port "$PORT_SIPESSUT" \
      --harvest-db "$(db_url ckan_bench_harvest)" --harvest-solr "$(solr_url bench_harvest)" \
      --harvest-redis "$(redis_url "$BENCH_HARVEST_REDIS_DB")" --harvest-port "$PORT_PLAIN" --workdir "$BENCH" \
      --out "$out/$name.json" $smoke ${BENCH_ARGS:-} || failed=1
  else
    # Single-portal benchmarks run with test.ini pointed at fresh databases.
    fresh_store ckan_bench ckan_bench
    recreate_database ckan_bench_datastore
    ensure_datastore ckan_bench_datastore ckan_bench "$venv"
    (
      export CKAN_SQLALCHEMY_URL CKAN_SOLR_URL CKAN_REDIS_URL CKAN_DATASTORE_WRITE_URL CKAN_DATASTORE_READ_URL
      CKAN_DATASTORE_WRITE_URL=$(db_url ckan_bench_datastore)
      CKAN_DATASTORE_READ_URL=$(datastore_read_url ckan_bench_datastore)
      CKAN_SQLALCHEMY_URL=$(db_url ckan_bench)
      CKAN_SOLR_URL=$(solr_url ckan_bench)
      CKAN_REDIS_URL=$(redis_url "$BENCH_REDIS_DB")
      "$venv/bin/ckan" -c "$ROOT/test.ini" db upgrade >"$BENCH/$name-db.log" 2>&1 \
        || { show_log_tail "$BENCH/$name-db.log"; die "migrating the benchmark database failed"; }
      # shellcheck disable=SC2086 # BENCH_ARGS: extra options of the benchmark, word-split
      "$venv/bin/python" "$name.py" --ini "$ROOT/test.ini" --out "$out/$name.json" $smoke ${BENCH_ARGS:-}
    ) || failed=1
  fi
done

"$venv/bin/python" "$ROOT/benchmarks/report.py" "$out" >/dev/null
say "results: $out/latest.md"
exit "$failed"
