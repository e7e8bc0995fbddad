# shellcheck shell=bash
# Shared settings and helpers of the development stack. Sourced by the other
# scripts in dev/; never run on its own.
#
# Everything the stack creates lives under $WORK (default: .work/ in the
# project), except the PostgreSQL cluster when the project sits where the
# `postgres` user cannot reach (see pg_data_dir).

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${SIPESSUT_WORK:-$ROOT/.work}
RUN=$WORK/run
LOGS=$WORK/log

# Local overrides of the settings below (ports, mostly), e.g. to run a second
# checkout's stack beside this one: one VAR=value per line.
# shellcheck disable=SC1091
[ -f "$WORK/local.env" ] && source "$WORK/local.env"

# Ports: every server listens on 127.0.0.1 only.
PG_PORT=${PG_PORT:-5433}
REDIS_PORT=${REDIS_PORT:-6380}
SOLR_PORT=${SOLR_PORT:-8983}
CKAN_PORT=${CKAN_PORT:-5000}
# Port of the CKAN server the browser tests start with test.ini.
TEST_CKAN_PORT=${TEST_CKAN_PORT:-5050}
# Port of the second, plain CKAN the harvest tests start (tests/interop/test_harvest.py).
HARVEST_CKAN_PORT=${HARVEST_CKAN_PORT:-5051}

PYTHON=${PYTHON:-python3.11}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

# Seconds each service may take to come up before we give up.
PG_START_TIMEOUT=${PG_START_TIMEOUT:-30}
REDIS_START_TIMEOUT=${REDIS_START_TIMEOUT:-15}
SOLR_START_TIMEOUT=${SOLR_START_TIMEOUT:-120}
CKAN_START_TIMEOUT=${CKAN_START_TIMEOUT:-90}

# The CKAN lines we support, newest first, and the release of each we pin.
CKAN_LINES_ALL="2.12 2.11"
ckan_release() {
  case "$1" in
    2.12) echo 2.12.0 ;;
    2.11) echo 2.11.6 ;;
    *) die "unknown CKAN line '$1' (choose from: $CKAN_LINES_ALL)" ;;
  esac
}

PG_USER=ckan
PG_PASSWORD=ckan
db_url() { echo "postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$1"; }
redis_url() { echo "redis://127.0.0.1:$REDIS_PORT/$1"; }
solr_url() { echo "http://127.0.0.1:$SOLR_PORT/solr/$1"; }

# Test and demo data never share a database, a Solr core or a Redis db:
# the test fixtures wipe all three.
test_db_name() { echo "ckan_test_${1//./_}"; }
DEMO_DB=ckan_demo
DEMO_SOLR_CORE=ckan
TEST_SOLR_CORE=ckan_test
DEMO_REDIS_DB=0
TEST_REDIS_DB=1

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
warn() { printf 'sipessut: %s\n' "$*" >&2; }
die() { printf 'sipessut: error: %s\n' "$*" >&2; exit 1; }

venv_dir() { echo "$WORK/venv/ckan-$1"; }

# --- processes ---------------------------------------------------------------

pid_of() { # pid_of NAME -> prints the PID recorded for NAME if it is alive
  local file=$RUN/$1.pid pid
  [ -f "$file" ] || return 1
  pid=$(head -n1 "$file")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

port_in_use() { # port_in_use PORT -> true when something listens on it
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

port_owner() { # best effort description of who listens on PORT
  ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -n1
}

require_free_port() { # require_free_port PORT WHAT
  if port_in_use "$1"; then
    local who
    who=$(port_owner "$1")
    die "port $1 (for $2) is already taken${who:+ by $who}; stop that process or choose another port (see dev/lib.sh)"
  fi
}

wait_until() { # wait_until TIMEOUT DESCRIPTION COMMAND... -> 0 when COMMAND succeeds in time
  local timeout=$1 what=$2 start=$SECONDS
  shift 2
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS - start >= timeout )); then
      warn "$what did not come up within ${timeout}s"
      return 1
    fi
    sleep 0.3
  done
}

stop_pid() { # stop_pid NAME [SECONDS] -> SIGTERM, then SIGKILL after SECONDS
  local name=$1 grace=${2:-20} pid
  pid=$(pid_of "$name") || { rm -f "$RUN/$name.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  local start=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS - start >= grace )); then
      warn "$name (pid $pid) ignored SIGTERM for ${grace}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$RUN/$name.pid"
  echo "stopped $name (pid $pid)"
}

show_log_tail() { # show_log_tail FILE -> last lines, to explain a failure
  [ -f "$1" ] && { warn "last lines of $1:"; tail -n 25 "$1" >&2; }
  return 0
}

# --- system packages -----------------------------------------------------------

APT_UPDATED=
apt_install() { # apt_install PACKAGE... (root only; apt-get update once per run)
  if [ "$(id -u)" != 0 ]; then
    die "missing system packages: $*; install them with: sudo apt-get install $*"
  fi
  say "installing Debian packages: $*"
  if [ -z "$APT_UPDATED" ]; then
    apt-get update -q >"$LOGS/apt.log" 2>&1 || { show_log_tail "$LOGS/apt.log"; die "apt-get update failed"; }
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >>"$LOGS/apt.log" 2>&1 \
    || { show_log_tail "$LOGS/apt.log"; die "apt-get install $* failed"; }
}

ensure_system_packages() { # ensure_system_packages [browser] -> installs what is missing
  local missing=()
  [ -x "$PG_BIN/initdb" ] || missing+=(postgresql-15)
  command -v redis-server >/dev/null || missing+=(redis-server)
  # psycopg2 builds from source: it needs libpq's headers, not just a pg_config.
  [ -f "$(pg_config --includedir 2>/dev/null)/libpq-fe.h" ] || missing+=(libpq-dev)
  command -v gcc >/dev/null || missing+=(gcc)
  command -v mvn >/dev/null || missing+=(maven)
  if ! java_ok; then missing+=(openjdk-17-jdk-headless); fi
  if [ "${1:-}" = browser ] && ! command -v chromium >/dev/null; then missing+=(chromium); fi
  command -v "$PYTHON" >/dev/null || die "$PYTHON is not on PATH; CKAN 2.11 and 2.12 are tested on Python 3.11 (set PYTHON=... to use another)"
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
  java_ok || die "Java 11 or newer with javac is needed for Solr; found: $(java -version 2>&1 | head -n1)"
}

java_ok() { # Solr 9 needs Java 11+; we also compile dev/solr/SolrServer.java
  command -v java >/dev/null && command -v javac >/dev/null || return 1
  local major
  major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ -n "$major" ] && [ "${major%%.*}" -ge 11 ]
}

mkdir -p "$RUN" "$LOGS"
