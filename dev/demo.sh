#!/usr/bin/env bash
# `make demo`: a SiPessut portal with demo data at http://127.0.0.1:5000,
# served the way a portal is.
#
#   dev/demo.sh              CKAN 2.12 (CKAN=2.11 dev/demo.sh for the other line)
#
# Installs what is missing, starts the services, creates and migrates the demo
# database, creates a sysadmin (credentials kept in .work/demo/credentials and
# printed), then starts, each in a process group of its own (see start_group
# in dev/lib.sh):
#
#   - a mail sink on 127.0.0.1 (dev/mailsink.py) that CKAN's smtp.server points
#     at: every email the portal sends lands in .work/demo/mail/, one .eml (and a
#     readable .txt) each;
#   - CKAN with `sipessut` and `scheming_datasets` under gunicorn
#     (dev/gunicorn.conf.py: 2 x cores + 1 sync workers, a request timeout,
#     graceful stop), through dev/wsgi.py;
#   - a job worker for the queues `default` (review emails) and `sipessut`
#     (validation).
#
# Then it syncs the default OPD registry (`ckan sipessut opd sync`) and loads
# the demo content through the API. Running it again reuses everything and
# duplicates nothing; `make stop` stops what it started, process groups whole.

# shellcheck source=dev/services.sh
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
# shellcheck source=dev/venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"

line=${CKAN:-2.12}
DEMO=$WORK/demo
INI=$DEMO/ckan.ini
URL=http://127.0.0.1:$CKAN_PORT
ADMIN=admin
MAIL=$DEMO/mail
# Uploads up to the size validation handles (ckanext.sipessut.validation.max_bytes,
# 100 MiB; CKAN counts this option in MiB too). CKAN's default is 10.
DEMO_MAX_RESOURCE_MB=100

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
if ! pid_of mailsink >/dev/null; then require_free_port "$DEMO_SMTP_PORT" "the demo's mail sink"; fi

record=$(mktemp)
trap 'status=$?; [ $status = 0 ] || stop_recorded "$record"; rm -f "$record"' EXIT
start_services "$record"

ensure_database "$DEMO_DB"
ensure_datastore "$(datastore_db_name "$DEMO_DB")" "$DEMO_DB" "$venv"
ensure_solr_core "$DEMO_SOLR_CORE" "$(ckan_solr_schema "$venv")"

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
  "ckan.plugins=sipessut scheming_datasets scheming_organizations activity datastore datatables_view dcat structured_data" \
  "ckan.datastore.write_url=$(db_url "$(datastore_db_name "$DEMO_DB")")" \
  "ckan.datastore.read_url=$(datastore_read_url "$(datastore_db_name "$DEMO_DB")")" \
  "ckanext.dcat.rdf.profiles=euro_dcat_ap_3 sipessut_satudata" \
  "ckanext.dcat.structured_data.profiles=schemaorg sipessut_schemaorg" \
  "ckan.storage_path=$DEMO/storage" \
  "ckan.locale_default=id" \
  "ckan.locale_order=id en" \
  "ckan.locales_offered=id en" \
  "ckan.auth.user_create_organizations=false" \
  "ckan.auth.create_unowned_dataset=false" \
  "ckan.search.show_all_types=true" \
  "ckan.gravatar_default=disabled" \
  "smtp.server=127.0.0.1:$DEMO_SMTP_PORT" \
  "smtp.mail_from=sipessut-demo@localhost" \
  "ckan.max_resource_size=$DEMO_MAX_RESOURCE_MB" >/dev/null

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

# (Re)start the mail sink, the web server and the worker, so that they run the
# package just installed.
stop_pid ckan-worker >/dev/null
stop_pid ckan >/dev/null
stop_pid mailsink >/dev/null

start_group mailsink "$LOGS/mailsink.log" \
  "$venv/bin/python" "$ROOT/dev/mailsink.py" --port "$DEMO_SMTP_PORT" --dir "$MAIL"
echo mailsink >>"$record"
wait_until 15 "the mail sink" port_in_use "$DEMO_SMTP_PORT" \
  || { show_log_tail "$LOGS/mailsink.log"; die "the mail sink did not listen on 127.0.0.1:$DEMO_SMTP_PORT"; }

# What `ckan run` does before serving, and a production server does not: the
# JavaScript translations (ours included) and the web assets, built once here
# rather than by the first requests of every worker.
ckan translation js >>"$LOGS/demo-assets.log" 2>&1 \
  || { show_log_tail "$LOGS/demo-assets.log"; die "ckan translation js failed"; }
ckan asset build >>"$LOGS/demo-assets.log" 2>&1 \
  || { show_log_tail "$LOGS/demo-assets.log"; die "ckan asset build failed"; }

say "starting CKAN $(ckan_release "$line") at $URL (gunicorn)"
start_group ckan "$LOGS/ckan-demo.log" env CKAN_INI="$INI" \
  "$venv/bin/gunicorn" --config "$ROOT/dev/gunicorn.conf.py" --pythonpath "$ROOT/dev" \
  --bind "127.0.0.1:$CKAN_PORT" --access-logfile "$LOGS/ckan-demo-access.log" wsgi:application
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
# The background worker: validation of uploads (queue `sipessut`) and review
# emails (`default`).
start_group ckan-worker "$LOGS/ckan-worker.log" "$venv/bin/ckan" -c "$INI" jobs worker default sipessut
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
  emails it sent:        $MAIL/ (one .eml and one readable .txt a message; mail sink on 127.0.0.1:$DEMO_SMTP_PORT)
  logs:                  $LOGS/ckan-demo.log (gunicorn and CKAN), $LOGS/ckan-demo-access.log,
                         $LOGS/ckan-worker.log (validation and email jobs), $LOGS/mailsink.log
  stop everything:       make stop

EOF
