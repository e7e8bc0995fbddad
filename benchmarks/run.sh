#!/usr/bin/env bash
# `make bench`: the benchmarks on the real stack, each side by side with what a
# portal would use otherwise; writes benchmarks/results/NAME.json and combines
# them into benchmarks/results/latest.md and latest.json.
#
#   bash benchmarks/run.sh                      every benchmark (tens of minutes)
#   bash benchmarks/run.sh opd_sync             some of them (make bench BENCH=opd_sync)
#   bash benchmarks/run.sh --smoke              tiny sizes, about a minute: `make test` runs it
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
  for name in request_overhead validation opd_sync interop; do
    [ -f "$ROOT/benchmarks/$name.py" ] && names+=("$name")
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

ensure_system_packages
venv=$(ensure_venv "$line")
record=$(mktemp)
trap 'stop_recorded "$record" >/dev/null; rm -f "$record"' EXIT
start_services "$record"
rm -rf "$BENCH"
mkdir -p "$BENCH/storage" "$out"
schema=$("$venv/bin/python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))')

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
    "ckan.redis.url=$(redis_url 2)" "ckan.site_url=http://127.0.0.1:$port" \
    "ckan.plugins=$plugins" "ckan.storage_path=$BENCH/storage" \
    "ckan.locale_default=id" "ckan.search.show_all_types=true" "$@" >/dev/null
  "$venv/bin/ckan" -c "$ini" db upgrade >"$BENCH/$flavour-db.log" 2>&1 \
    || { show_log_tail "$BENCH/$flavour-db.log"; die "migrating the $flavour benchmark portal failed"; }
  echo "$ini"
}

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
  elif [ "$name" = interop ]; then
    # Our portal (with ckanext-dcat) and the plain CKAN that harvests it.
    for port in "$PORT_SIPESSUT" "$PORT_PLAIN"; do require_free_port "$port" "a benchmark portal"; done
    ini=$(portal interop "$PORT_SIPESSUT" "sipessut scheming_datasets scheming_organizations activity dcat structured_data" \
      "ckanext.dcat.rdf.profiles=euro_dcat_ap_3 sipessut_satudata")
    fresh_store ckan_bench_harvest bench_harvest
    "$venv/bin/python" interop.py --ini "$ini" --port "$PORT_SIPESSUT" \
      --harvest-db "$(db_url ckan_bench_harvest)" --harvest-solr "$(solr_url bench_harvest)" \
      --harvest-redis "$(redis_url 3)" --harvest-port "$PORT_PLAIN" --workdir "$BENCH" \
      --out "$out/$name.json" $smoke || failed=1
  else
    # Single-portal benchmarks run with test.ini pointed at a fresh database.
    fresh_store ckan_bench ckan_bench
    (
      export CKAN_SQLALCHEMY_URL CKAN_SOLR_URL CKAN_REDIS_URL
      CKAN_SQLALCHEMY_URL=$(db_url ckan_bench)
      CKAN_SOLR_URL=$(solr_url ckan_bench)
      CKAN_REDIS_URL=$(redis_url 2)
      "$venv/bin/ckan" -c "$ROOT/test.ini" db upgrade >"$BENCH/$name-db.log" 2>&1 \
        || { show_log_tail "$BENCH/$name-db.log"; die "migrating the benchmark database failed"; }
      "$venv/bin/python" "$name.py" --ini "$ROOT/test.ini" --out "$out/$name.json" $smoke
    ) || failed=1
  fi
done

"$venv/bin/python" "$ROOT/benchmarks/report.py" "$out" >/dev/null
say "results: $out/latest.md"
exit "$failed"
