#!/usr/bin/env bash
# `make demo`: a SiPessut portal with demo data at http://127.0.0.1:5000.
#
#   dev/demo.sh              CKAN 2.12 (CKAN=2.11 dev/demo.sh for the other line)
#
# Installs what is missing, starts the services, creates and migrates the demo
# database, creates a sysadmin (credentials kept in .work/demo/credentials and
# printed), serves CKAN with `sipessut` and `scheming_datasets`, starts a job
# worker (queues `default` for review emails and `sipessut` for validation),
# syncs the default OPD registry (`ckan sipessut opd sync`) and loads the demo
# content through the API. Running it again reuses everything and
# duplicates nothing; `make stop` stops what it started.

# shellcheck source=dev/services.sh
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
# shellcheck source=dev/venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"

line=${CKAN:-2.12}
DEMO=$WORK/demo
INI=$DEMO/ckan.ini
URL=http://127.0.0.1:$CKAN_PORT
ADMIN=admin

ensure_system_packages
venv=$(ensure_venv "$line")
ckan() { "$venv/bin/ckan" -c "$INI" "$@"; }

# A demo from the other CKAN line cannot share the database: its schema differs.
mkdir -p "$DEMO/storage"
if [ -f "$DEMO/ckan-line" ] && [ "$(cat "$DEMO/ckan-line")" != "$line" ]; then
  die "the demo in $DEMO was made with CKAN $(cat "$DEMO/ckan-line"); run 'make stop' and remove $DEMO to switch lines"
fi
echo "$line" >"$DEMO/ckan-line"

if ! pid_of ckan >/dev/null; then require_free_port "$CKAN_PORT" "the demo portal"; fi

record=$(mktemp)
trap 'status=$?; [ $status = 0 ] || stop_recorded "$record"; rm -f "$record"' EXIT
start_services "$record"

ensure_database "$DEMO_DB"
ensure_solr_core "$DEMO_SOLR_CORE" "$("$venv/bin/python" -c 'import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml"))')"

if [ ! -f "$INI" ]; then
  say "writing $INI"
  "$venv/bin/ckan" generate config "$INI" >/dev/null
fi
# Applied on every run, so that a changed port or plugin list takes effect.
"$venv/bin/ckan" config-tool "$INI" \
  "sqlalchemy.url=$(db_url "$DEMO_DB")" \
  "solr_url=$(solr_url "$DEMO_SOLR_CORE")" \
  "ckan.redis.url=$(redis_url "$DEMO_REDIS_DB")" \
  "ckan.site_url=$URL" \
  "ckan.site_title=SiPessut - Satu Data Kota Samarinda" \
  "ckan.site_description=Sistem Informasi Penyelenggara Statistik Sektoral Universal Terintegrasi" \
  "ckan.plugins=sipessut scheming_datasets scheming_organizations activity dcat structured_data" \
  "ckanext.dcat.rdf.profiles=euro_dcat_ap_3 sipessut_satudata" \
  "ckanext.dcat.structured_data.profiles=schemaorg sipessut_schemaorg" \
  "ckan.storage_path=$DEMO/storage" \
  "ckan.locale_default=id" \
  "ckan.locale_order=id en" \
  "ckan.locales_offered=id en" \
  "ckan.auth.user_create_organizations=false" \
  "ckan.auth.create_unowned_dataset=false" \
  "ckan.search.show_all_types=true" >/dev/null

say "migrating the demo database"
ckan db upgrade >"$LOGS/demo-db.log" 2>&1 || { show_log_tail "$LOGS/demo-db.log"; die "ckan db upgrade failed"; }

if [ ! -s "$DEMO/credentials" ]; then
  password=$("$venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(12))')
  printf 'user: %s\npassword: %s\n' "$ADMIN" "$password" >"$DEMO/credentials"
  chmod 600 "$DEMO/credentials"
fi
password=$(sed -n 's/^password: //p' "$DEMO/credentials")
if ! ckan user show "$ADMIN" 2>/dev/null | grep -q "name=$ADMIN"; then
  say "creating the sysadmin '$ADMIN'"
  ckan user add "$ADMIN" "email=admin@sipessut.localhost" "password=$password" >"$LOGS/demo-user.log" 2>&1 \
    || { show_log_tail "$LOGS/demo-user.log"; die "could not create the sysadmin"; }
  ckan sysadmin add "$ADMIN" >>"$LOGS/demo-user.log" 2>&1
fi

# (Re)start the web server so that it serves the package just installed.
stop_pid ckan >/dev/null
say "starting CKAN $(ckan_release "$line") at $URL"
(exec "$venv/bin/ckan" -c "$INI" run --host 127.0.0.1 --port "$CKAN_PORT" --disable-reloader) \
  >>"$LOGS/ckan-demo.log" 2>&1 &
echo $! >"$RUN/ckan.pid"
echo ckan >>"$record"
if ! wait_until "$CKAN_START_TIMEOUT" CKAN curl -sf -m 5 "$URL/api/3/action/status_show"; then
  show_log_tail "$LOGS/ckan-demo.log"
  die "CKAN did not answer at $URL within ${CKAN_START_TIMEOUT}s"
fi

say "syncing the OPD registry (Kota Samarinda)"
# The default registry shipped in the package; a second run changes nothing.
ckan sipessut opd sync --user "$ADMIN" >"$LOGS/demo-opd.log" 2>&1 \
  || { show_log_tail "$LOGS/demo-opd.log"
       die "ckan sipessut opd sync failed; a demo made before the OPD registry has a 'diskominfo' without its code: delete and purge that organization, or start afresh with 'make clean'"; }
tail -n1 "$LOGS/demo-opd.log" >&2
# The background worker: validation of uploads (queue `sipessut`) and review emails
# (`default`); restarted with the web server so that it runs the package just
# installed. `make stop` stops it.
stop_pid ckan-worker >/dev/null
(exec "$venv/bin/ckan" -c "$INI" jobs worker default sipessut) >>"$LOGS/ckan-worker.log" 2>&1 &
echo $! >"$RUN/ckan-worker.pid"
echo ckan-worker >>"$record"

say "loading the demo content"
# A short-lived token: the loader revokes it when it is done.
token=$(ckan user token add -q "$ADMIN" demo-loader 2>>"$LOGS/demo-user.log" | tr -d '[:space:]')
[ -n "$token" ] || die "could not create an API token for $ADMIN (see $LOGS/demo-user.log)"
SIPESSUT_URL=$URL SIPESSUT_TOKEN=$token "$venv/bin/python" "$ROOT/dev/demo_data.py" \
  || die "loading the demo content failed"

cat <<EOF

  SiPessut demo portal:  $URL
  sysadmin:              $ADMIN / $password   (also in $DEMO/credentials)
  logs:                  $LOGS/ckan-demo.log, $LOGS/ckan-worker.log (validation jobs)
  stop everything:       make stop

EOF
