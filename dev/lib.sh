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
# Ports of the CKAN servers the browser tests start with test.ini, one per CKAN
# line (both lines run at the same time).
TEST_CKAN_PORT=${TEST_CKAN_PORT:-5050}
TEST_CKAN_PORT_2_11=${TEST_CKAN_PORT_2_11:-$((TEST_CKAN_PORT + 1))}
# The demo's mail sink (dev/mailsink.py): CKAN's smtp.server points at it.
DEMO_SMTP_PORT=${DEMO_SMTP_PORT:-2525}
# Ports of the second, plain CKAN the harvest tests start (tests/interop/test_harvest.py),
# one per CKAN line (both lines run at the same time).
HARVEST_CKAN_PORT=${HARVEST_CKAN_PORT:-5052}
HARVEST_CKAN_PORT_2_11=${HARVEST_CKAN_PORT_2_11:-$((HARVEST_CKAN_PORT + 1))}

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

# Test and demo data never share a database, a Solr core or a Redis db: the
# test fixtures wipe all three. Each CKAN line's tests have their own of each,
# and their own browser-test port and storage path, so that `make test` runs
# both lines at the same time without one wiping what the other uses.
DEMO_DB=ckan_demo
DEMO_SOLR_CORE=ckan
DEMO_REDIS_DB=0
BENCH_REDIS_DB=2
BENCH_HARVEST_REDIS_DB=7  # the plain CKAN of the interop benchmark
SCRIPTS_TEST_REDIS_DB=4  # the tests of the dev scripts themselves (dev/tests)
test_db_name() { echo "ckan_test_${1//./_}"; }
test_solr_core() { echo "ckan_test_${1//./_}"; }
test_redis_db() { # 1 for the newest line, 3 for the next (0 is the demo's, 2 the benchmarks')
  case "$1" in
    2.12) echo 1 ;;
    2.11) echo 3 ;;
    *) die "no Redis db for CKAN line '$1'" ;;
  esac
}
test_ckan_port() { # port of the CKAN server the browser tests of LINE start
  case "$1" in
    2.12) echo "$TEST_CKAN_PORT" ;;
    2.11) echo "$TEST_CKAN_PORT_2_11" ;;
    *) die "no browser-test port for CKAN line '$1'" ;;
  esac
}
test_storage_path() { echo "$WORK/test-storage-$1"; }

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
warn() { printf 'sipessut: %s\n' "$*" >&2; }
die() { printf 'sipessut: error: %s\n' "$*" >&2; exit 1; }

venv_dir() { echo "$WORK/venv/ckan-$1"; }

# --- processes ---------------------------------------------------------------

# Every long-running process the scripts start runs in a session and process
# group of its own (setsid) and carries a tag in its environment
# (SIPESSUT_PROCESS), which whatever it forks inherits: gunicorn's workers,
# RQ's scheduler, and RQ's work horse, which leaves the group (RQ calls setsid
# in it). So everything a process started can be found and stopped, even after
# the process itself died. $RUN/NAME.pid holds "PID START TAG": the process, its
# start time in clock ticks since boot (so that a PID the kernel has since
# given to another process is never taken for ours), and the tag.

proc_start() { # proc_start PID -> start time of a living (not zombie) process; fails if there is none
  local stat fields
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  # Field 2, the command name, may hold spaces and parentheses: read after its end.
  read -ra fields <<<"${stat##*) }"
  [ "${fields[0]}" != Z ] && [ "${fields[0]}" != X ] || return 1
  echo "${fields[19]}"
}

tagged() { # tagged TAG -> PIDs of the living processes that carry TAG, one a line
  local file pid
  [ -n "$1" ] || return 0
  for file in $(grep -lzx "SIPESSUT_PROCESS=$1" /proc/[0-9]*/environ 2>/dev/null); do
    pid=${file#/proc/}
    pid=${pid%/environ}
    proc_start "$pid" >/dev/null && echo "$pid"
  done
  return 0
}

record_pid() { # record_pid NAME PID [TAG] -> writes $RUN/NAME.pid
  local start
  start=$(proc_start "$2") || { rm -f "$RUN/$1.pid"; return 1; }
  echo "$2 $start${3:+ $3}" >"$RUN/$1.pid"
}

pid_of() { # pid_of NAME -> prints the PID recorded for NAME while it, or what it forked, lives; else removes the file
  local file=$RUN/$1.pid pid start tag now
  [ -f "$file" ] || return 1
  read -r pid start tag _ <"$file" || true
  if [[ "$pid" =~ ^[0-9]+$ ]]; then
    if now=$(proc_start "$pid"); then
      # A file without a start time was written by the service itself (Redis).
      if [ -z "$start" ] || [ "$now" = "$start" ]; then echo "$pid"; return 0; fi
    elif [ -n "$(tagged "$tag")" ]; then
      echo "$pid"  # it died, but what it forked lives on
      return 0
    fi
  fi
  rm -f "$file"
  return 1
}

start_group() { # start_group NAME LOG COMMAND... -> COMMAND in a new session and process group, recorded as NAME
  local name=$1 log=$2 tag pid i
  shift 2
  tag=$name.$(date +%s%N).$$
  # setsid execs COMMAND in the same process (a background job of a script does
  # not lead a process group, so setsid needs no fork): $! is the group's id.
  SIPESSUT_PROCESS=$tag setsid "$@" </dev/null >>"$log" 2>&1 &
  pid=$!
  record_pid "$name" "$pid" "$tag" || { show_log_tail "$log"; die "$name exited at once (see $log)"; }
  for i in $(seq 50); do
    [ "$(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ')" = "$pid" ] && return 0
    proc_start "$pid" >/dev/null || break
    sleep 0.05
  done
  stop_pid "$name" 5 >/dev/null
  die "$name did not start in a process group of its own (see $log)"
}

wait_gone() { # wait_gone SECONDS TEST... -> 0 once TEST fails, 1 if it still holds after SECONDS
  local deadline=$((SECONDS + $1))
  shift
  while "$@"; do
    (( SECONDS < deadline )) || return 1
    sleep 0.2
  done
}

_is_running() { [ "$(proc_start "$1")" = "$2" ]; }
_has_tagged() { [ -n "$(tagged "$1")" ]; }

stop_pid() { # stop_pid NAME [GRACE] -> stops the process recorded for NAME and everything it forked
  local name=$1 grace=${2:-20} pid start tag now
  pid=$(pid_of "$name") || return 0
  read -r _ start tag _ <"$RUN/$name.pid" || true
  # First the process alone, for a graceful stop: gunicorn's master lets its
  # workers finish their requests, RQ's worker its current job.
  if now=$(proc_start "$pid"); then
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_gone "$grace" _is_running "$pid" "$now"; then
      warn "$name (pid $pid) ignored SIGTERM for ${grace}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      wait_gone 5 _is_running "$pid" "$now" || true
    fi
  fi
  # Then whatever it left behind (a work horse or a scheduler whose worker was
  # killed): SIGTERM, then SIGKILL.
  if _has_tagged "$tag"; then
    # shellcheck disable=SC2046
    kill -TERM $(tagged "$tag") 2>/dev/null || true
    if ! wait_gone 10 _has_tagged "$tag"; then
      warn "what $name left behind ignored SIGTERM for 10s; killing it"
      # shellcheck disable=SC2046
      kill -KILL $(tagged "$tag") 2>/dev/null || true
      wait_gone 5 _has_tagged "$tag" || warn "processes of $name survived SIGKILL: $(tagged "$tag" | tr '\n' ' ')"
    fi
  fi
  rm -f "$RUN/$name.pid"
  echo "stopped $name (pid $pid)"
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
