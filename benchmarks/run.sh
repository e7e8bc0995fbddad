#!/usr/bin/env bash
# `make bench`: the benchmarks on the real stack, side by side; writes
# benchmarks/results/latest.md and latest.json.
#
#   bash benchmarks/run.sh           full run (catalogues of 1,000 and 10,000 datasets)
#   bash benchmarks/run.sh --smoke   tiny sizes, under a minute: `make test` runs it so the
#                                    harness never rots; its results stay in .work/
#
# Each run starts from empty benchmark databases and Solr cores, separate from
# the demo's and the tests'.

# shellcheck source=dev/services.sh
source "$(dirname "${BASH_SOURCE[0]}")/../dev/services.sh"
# shellcheck source=dev/venv.sh
source "$ROOT/dev/venv.sh"

mode=full
out=$ROOT/benchmarks/results
case "${1:-}" in
  --smoke) mode=smoke; out=$WORK/bench-smoke/results ;;
  "") ;;
  *) die "usage: benchmarks/run.sh [--smoke]" ;;
esac
BENCH=$WORK/bench-$mode
BENCH_PORT_SIPESSUT=${BENCH_PORT_SIPESSUT:-5101}
BENCH_PORT_PLAIN=${BENCH_PORT_PLAIN:-5102}

ensure_system_packages
venv=$(ensure_venv 2.12)
record=$(mktemp)
trap 'stop_recorded "$record"; rm -f "$record"' EXIT
start_services "$record"
for port in "$BENCH_PORT_SIPESSUT" "$BENCH_PORT_PLAIN"; do require_free_port "$port" "a benchmark portal"; done

rm -rf "$BENCH"
mkdir -p "$BENCH/storage"
schema=$("$venv/bin/python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))')

portal() { # portal FLAVOUR PORT PLUGINS [KEY=VALUE...] -> an ini for a fresh benchmark portal
  local flavour=$1 port=$2 plugins=$3 db=ckan_bench_${mode}_$1 core=bench_$1 ini=$BENCH/$1.ini
  shift 3
  recreate_database "$db"
  ensure_solr_core "$core" "$schema"
  clear_solr_core "$core"
  "$venv/bin/ckan" generate config "$ini" >/dev/null
  "$venv/bin/ckan" config-tool "$ini" \
    "sqlalchemy.url=$(db_url "$db")" "solr_url=$(solr_url "$core")" \
    "ckan.redis.url=$(redis_url 2)" "ckan.site_url=http://127.0.0.1:$port" \
    "ckan.plugins=$plugins" "ckan.storage_path=$BENCH/storage" \
    "ckan.locale_default=id" "ckan.search.show_all_types=true" "$@" >/dev/null
  "$venv/bin/ckan" -c "$ini" db upgrade >"$BENCH/$flavour-db.log" 2>&1 \
    || { show_log_tail "$BENCH/$flavour-db.log"; die "migrating the $flavour benchmark portal failed"; }
  echo "$ini"
}

say "preparing the benchmark portals ($mode)"
ini_sipessut=$(portal sipessut "$BENCH_PORT_SIPESSUT" "sipessut scheming_datasets scheming_organizations activity")
ini_plain=$(portal plain "$BENCH_PORT_PLAIN" "scheming_datasets activity" \
  "scheming.dataset_schemas=ckanext.scheming:ckan_dataset.yaml" \
  "scheming.presets=ckanext.scheming:presets.json")

say "running the benchmarks ($mode)"
cd "$ROOT/benchmarks"
"$venv/bin/python" run.py --mode "$mode" --workdir "$BENCH" \
  --ini-sipessut "$ini_sipessut" --ini-plain "$ini_plain" \
  --port-sipessut "$BENCH_PORT_SIPESSUT" --port-plain "$BENCH_PORT_PLAIN" --out "$out"
