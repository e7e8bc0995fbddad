#!/usr/bin/env bash
# The real services of the stack: PostgreSQL 15, Redis and Solr 9, on 127.0.0.1.
#
#   dev/services.sh start [postgres|redis|solr ...]   start (all by default)
#   dev/services.sh stop  [postgres|redis|solr ...]   stop what runs, by PID
#   dev/services.sh status
#   dev/services.sh purge                             stop, then delete all stored data
#
# Other scripts source this file for its functions. `start_services` prints
# the names of the services it started itself, so that a caller can stop
# exactly those and leave alone what was already running (a demo, say).

# shellcheck source=dev/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVICES_ALL="postgres redis solr"

# --- PostgreSQL ----------------------------------------------------------------

as_pg() { # run a PostgreSQL server command as the `postgres` user when we are root
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

pg_data_dir() {
  # PostgreSQL refuses to run as root, so as root the cluster belongs to the
  # `postgres` user, who must be able to reach it. A clone under a private
  # directory (mktemp -d, /root) is out of its reach: then the cluster lives
  # under /var/tmp, in a directory named after this work directory.
  local wanted=$WORK/pg
  if [ "$(id -u)" != 0 ] || runuser -u postgres -- test -x "$WORK" 2>/dev/null; then
    echo "$wanted"
  else
    echo "/var/tmp/sipessut-$(printf '%s' "$WORK" | sha1sum | cut -c1-12)/pg"
  fi
}

pg_socket_dir() { echo "$(dirname "$(pg_data_dir)")/pg-socket"; }
# Beside the cluster, where the server may write it.
pg_log_file() { echo "$(dirname "$(pg_data_dir)")/postgres.log"; }

psql_admin() { # psql as the cluster's superuser over the private socket
  as_pg "$PG_BIN/psql" -h "$(pg_socket_dir)" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"
}

start_postgres() {
  local data sock log
  data=$(pg_data_dir)
  sock=$(pg_socket_dir)
  log=$(pg_log_file)
  if pid_of postgres >/dev/null; then return 1; fi
  require_free_port "$PG_PORT" PostgreSQL
  if [ ! -f "$data/PG_VERSION" ]; then
    say "creating a PostgreSQL cluster in $data"
    mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown -R postgres: "$(dirname "$data")"
    as_pg "$PG_BIN/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$LOGS/postgres-initdb.log" 2>&1 \
      || { show_log_tail "$LOGS/postgres-initdb.log"; die "initdb failed"; }
  fi
  mkdir -p "$sock"
  [ "$(id -u)" = 0 ] && chown postgres: "$sock"
  touch "$log"
  [ "$(id -u)" = 0 ] && chown postgres: "$log"
  # fsync off: a throwaway cluster for tests and the demo, speed over durability.
  if ! as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t "$PG_START_TIMEOUT" \
      -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null; then
    show_log_tail "$log"
    as_pg "$PG_BIN/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    die "PostgreSQL did not start on 127.0.0.1:$PG_PORT within ${PG_START_TIMEOUT}s"
  fi
  record_pid postgres "$(head -n1 "$data/postmaster.pid")"
  if ! psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'" | grep -q 1; then
    psql_admin -c "CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD'"
  fi
  echo "PostgreSQL 15 on 127.0.0.1:$PG_PORT (data: $data)" >&2
}

stop_postgres() {
  local data
  data=$(pg_data_dir)
  pid_of postgres >/dev/null || { rm -f "$RUN/postgres.pid"; return 0; }
  as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null || stop_pid postgres
  rm -f "$RUN/postgres.pid"
  echo "stopped postgres"
}

ensure_database() { # ensure_database NAME -> creates it, owned by the ckan role, if missing
  if ! psql_admin -c "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1; then
    psql_admin -c "CREATE DATABASE $1 OWNER $PG_USER ENCODING 'UTF8'"
    echo "created database $1" >&2
  fi
}

# CKAN's DataStore: its own database beside CKAN's, written by the ckan role and read by
# a read-only role, with the permissions CKAN's `ckan datastore set-permissions` sets.
DATASTORE_RO_USER=datastore_ro
DATASTORE_RO_PASSWORD=datastore_ro
datastore_db_name() { echo "${1}_datastore"; }
datastore_read_url() { echo "postgresql://$DATASTORE_RO_USER:$DATASTORE_RO_PASSWORD@127.0.0.1:$PG_PORT/$1"; }

ensure_datastore() { # ensure_datastore DB MAIN_DB VENV -> the DataStore database DB of MAIN_DB
  local db=$1 main=$2 venv=$3
  ensure_database "$db"
  if ! psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname='$DATASTORE_RO_USER'" | grep -q 1; then
    psql_admin -c "CREATE ROLE $DATASTORE_RO_USER LOGIN PASSWORD '$DATASTORE_RO_PASSWORD'"
  fi
  # The script `ckan datastore set-permissions` prints, made by CKAN's own function
  # (without loading a CKAN app, whose datastore plugin refuses to start before it ran).
  "$venv/bin/python" -c 'import sys; from ckanext.datastore.cli import permissions_sql; print(permissions_sql(*sys.argv[1:]))' \
    "$main" "$db" "$PG_USER" "$PG_USER" "$DATASTORE_RO_USER" | psql_admin -f - >/dev/null \
    || die "setting the DataStore permissions on $db failed"
}

recreate_database() { # recreate_database NAME -> an empty database (benchmarks start from nothing)
  psql_admin -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)"
  psql_admin -c "CREATE DATABASE $1 OWNER $PG_USER ENCODING 'UTF8'"
}

# --- Redis -----------------------------------------------------------------------

start_redis() {
  if pid_of redis >/dev/null; then return 1; fi
  require_free_port "$REDIS_PORT" Redis
  mkdir -p "$WORK/redis"
  # No persistence: the job queue and caches are rebuilt on demand.
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --save '' --appendonly no --dir "$WORK/redis" \
    --daemonize yes --pidfile "$RUN/redis.pid" --logfile "$LOGS/redis.log" \
    || die "redis-server did not start"
  if ! wait_until "$REDIS_START_TIMEOUT" Redis redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping; then
    show_log_tail "$LOGS/redis.log"
    stop_pid redis 5 >/dev/null
    die "Redis did not answer on 127.0.0.1:$REDIS_PORT within ${REDIS_START_TIMEOUT}s"
  fi
  echo "Redis on 127.0.0.1:$REDIS_PORT" >&2
}

stop_redis() { stop_pid redis 10; }

# --- Solr ------------------------------------------------------------------------

SOLR_DIR=$WORK/solr

build_solr() {
  # Jars from Maven Central plus our small launcher; rebuilt only when the
  # pom or the launcher changed.
  local stamp want
  stamp=$SOLR_DIR/build.stamp
  want=$(cat "$ROOT/dev/solr/pom.xml" "$ROOT/dev/solr/SolrServer.java" | sha1sum | cut -c1-40)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  say "assembling Solr 9.10.1 from Maven Central (first run: about a minute)"
  rm -rf "$SOLR_DIR/lib" "$SOLR_DIR/classes"
  mkdir -p "$SOLR_DIR/classes"
  mvn -B -q -f "$ROOT/dev/solr/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$SOLR_DIR/lib" >"$LOGS/solr-build.log" 2>&1 \
    || { show_log_tail "$LOGS/solr-build.log"; die "Maven could not fetch Solr's jars (see $LOGS/solr-build.log)"; }
  javac -nowarn -cp "$SOLR_DIR/lib/*" -d "$SOLR_DIR/classes" "$ROOT/dev/solr/SolrServer.java" \
    >>"$LOGS/solr-build.log" 2>&1 \
    || { show_log_tail "$LOGS/solr-build.log"; die "compiling dev/solr/SolrServer.java failed"; }
  echo "$want" >"$stamp"
}

# Up means the admin API answers and no core is still loading.
solr_up() {
  local status
  status=$(curl -sf -m 5 "http://127.0.0.1:$SOLR_PORT/solr/admin/cores?action=STATUS&wt=json") || return 1
  ! grep -q '"isLoading":"true"' <<<"$status"
}

start_solr() {
  if pid_of solr >/dev/null; then return 1; fi
  require_free_port "$SOLR_PORT" Solr
  build_solr
  mkdir -p "$SOLR_DIR/home"
  cp "$ROOT/dev/solr/solr.xml" "$SOLR_DIR/home/solr.xml"
  (
    cd "$SOLR_DIR"
    start_group solr "$LOGS/solr.log" java -Xms256m -Xmx1g -Dsolr.log.dir="$LOGS" \
      -Dlog4j2.configurationFile="file:$ROOT/dev/solr/log4j2.xml" \
      -cp "$SOLR_DIR/lib/*:$SOLR_DIR/classes" SolrServer "$SOLR_DIR/home" "$SOLR_PORT"
  )
  if ! wait_until "$SOLR_START_TIMEOUT" Solr solr_up; then
    show_log_tail "$LOGS/solr.log"
    stop_pid solr 10 >/dev/null
    die "Solr did not answer on 127.0.0.1:$SOLR_PORT within ${SOLR_START_TIMEOUT}s"
  fi
  echo "Solr 9.10.1 on http://127.0.0.1:$SOLR_PORT/solr" >&2
}

stop_solr() { stop_pid solr 30; }

solr_core_listed() { # solr_core_listed NAME -> true when Solr has loaded that core
  curl -sf -m 10 "http://127.0.0.1:$SOLR_PORT/solr/admin/cores?action=STATUS&core=$1&wt=json" \
    | grep -q "\"name\":\"$1\""
}

ckan_solr_schema() { # ckan_solr_schema VENV -> the schema.xml shipped inside that virtualenv's ckan
  "$1/bin/python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))'
}

ensure_solr_core() { # ensure_solr_core NAME SCHEMA_XML -> core with CKAN's schema.xml and our solrconfig
  local name=$1 schema=$2 conf=$SOLR_DIR/home/$1/conf changed=
  [ -f "$schema" ] || die "no CKAN schema.xml at $schema"
  mkdir -p "$conf"
  for f in solrconfig.xml synonyms.txt protwords.txt; do
    cmp -s "$ROOT/dev/solr/$f" "$conf/$f" || { cp "$ROOT/dev/solr/$f" "$conf/$f"; changed=1; }
  done
  cmp -s "$schema" "$conf/schema.xml" || { cp "$schema" "$conf/schema.xml"; changed=1; }
  if ! pid_of solr >/dev/null; then
    # Discovered when Solr starts.
    [ -f "$SOLR_DIR/home/$name/core.properties" ] || echo "name=$name" >"$SOLR_DIR/home/$name/core.properties"
    return 0
  fi
  local base="http://127.0.0.1:$SOLR_PORT/solr/admin/cores"
  # Solr answers before every core is listed: cores still queued for loading
  # are missing from STATUS (and a RELOAD of one fails). Wait for ours.
  if [ -f "$SOLR_DIR/home/$name/core.properties" ]; then
    wait_until 60 "Solr core $name" solr_core_listed "$name" || true
  fi
  if ! solr_core_listed "$name"; then
    rm -f "$SOLR_DIR/home/$name/core.properties"
    curl -sf -m 60 "$base?action=CREATE&name=$name&instanceDir=$name&wt=json" >/dev/null \
      || die "Solr could not create core $name (see $LOGS/solr.log)"
    echo "created Solr core $name" >&2
  elif [ -n "$changed" ]; then
    curl -sf -m 60 "$base?action=RELOAD&core=$name&wt=json" >/dev/null \
      || die "Solr could not reload core $name (see $LOGS/solr.log)"
    echo "reloaded Solr core $name with $schema" >&2
  fi
}

clear_solr_core() { # clear_solr_core NAME -> removes every document of the core
  curl -sf -m 60 -H 'Content-Type: application/json' \
    "http://127.0.0.1:$SOLR_PORT/solr/$1/update?commit=true" \
    -d '{"delete": {"query": "*:*"}}' >/dev/null || die "could not empty Solr core $1"
}

# --- the plain CKAN of the harvest tests --------------------------------------------
# A second CKAN (no sipessut, CKAN's default schema, like the national portal) harvests
# the portal in tests/interop/test_harvest.py: its own database and Solr core, a Redis db
# of its own. The test writes its ini, resets that database and starts and stops it.

harvest_db_name() { echo "ckan_harvest_${1//./_}"; }
harvest_solr_core() { echo "ckan_harvest_${1//./_}"; }
harvest_redis_db() { # 5 for the newest line, 6 for the next (see dev/lib.sh for the others)
  case "$1" in
    2.12) echo 5 ;;
    2.11) echo 6 ;;
    *) die "no harvest Redis db for CKAN line '$1'" ;;
  esac
}
harvest_ckan_port() {
  case "$1" in
    2.12) echo "$HARVEST_CKAN_PORT" ;;
    2.11) echo "$HARVEST_CKAN_PORT_2_11" ;;
    *) die "no harvest port for CKAN line '$1'" ;;
  esac
}

ensure_harvest_portal() { # ensure_harvest_portal LINE SCHEMA_XML -> prints VAR=value lines for the test
  ensure_database "$(harvest_db_name "$1")"
  ensure_solr_core "$(harvest_solr_core "$1")" "$2"
  echo "SIPESSUT_HARVEST_DB_URL=$(db_url "$(harvest_db_name "$1")")"
  echo "SIPESSUT_HARVEST_SOLR_URL=$(solr_url "$(harvest_solr_core "$1")")"
  echo "SIPESSUT_HARVEST_REDIS_URL=$(redis_url "$(harvest_redis_db "$1")")"
  echo "SIPESSUT_HARVEST_PORT=$(harvest_ckan_port "$1")"
}

# --- all of them -----------------------------------------------------------------

start_services() { # start_services RECORD [NAME...] -> appends to RECORD each service it started
  local record=$1 name
  shift
  for name in ${*:-$SERVICES_ALL}; do
    if "start_$name"; then echo "$name" >>"$record"; fi
  done
}

stop_services() { # stop_services [NAME...] -> stops them, last started first
  local names=(${*:-solr redis postgres}) name
  for name in "${names[@]}"; do "stop_$name"; done
}

stop_recorded() { # stop_recorded RECORD -> stops the services and processes listed in RECORD, newest first
  local name
  [ -s "$1" ] || return 0
  for name in $(tac "$1"); do
    if declare -F "stop_$name" >/dev/null; then "stop_$name"; else stop_pid "$name"; fi
  done
}

status_services() {
  local name pid
  for name in $SERVICES_ALL; do
    if pid=$(pid_of "$name"); then echo "$name: running (pid $pid)"; else echo "$name: stopped"; fi
  done
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  cmd=${1:-status}
  shift || true
  case "$cmd" in
    start)
      ensure_system_packages
      record=$(mktemp)
      # On failure, stop what this call started: no orphan processes.
      trap 'status=$?; [ $status = 0 ] || stop_recorded "$record"; rm -f "$record"' EXIT
      start_services "$record" "$@"
      ;;
    stop) stop_services "$@" ;;
    status) status_services ;;
    purge)
      # Everything the stack stored: the work directory and the cluster, wherever it is.
      stop_services
      rm -rf "$(dirname "$(pg_data_dir)")/pg" "$(pg_socket_dir)" "$WORK"
      [ "$(pg_data_dir)" = "$WORK/pg" ] || rmdir "$(dirname "$(pg_data_dir)")" 2>/dev/null || true
      echo "removed $WORK"
      ;;
    *) die "usage: dev/services.sh start|stop|status|purge [postgres redis solr]" ;;
  esac
fi
