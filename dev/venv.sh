#!/usr/bin/env bash
# dev/venv.sh LINE -> a virtualenv with CKAN LINE (2.12 or 2.11), the test tools
# and ckanext-sipessut installed from the package (not in editable mode, so
# the tests see exactly what a portal would install). Prints the venv's path.
#
# CKAN and the tools are reinstalled only when the pinned versions or the
# requirement files change; the extension itself is reinstalled every time.

# shellcheck source=dev/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_venv() {
  local line=$1 release venv stamp want
  release=$(ckan_release "$line")
  venv=$(venv_dir "$line")
  stamp=$venv/.sipessut-deps
  want=$( { echo "$release"; cat "$ROOT/dev-requirements.txt"; sed -n '/install_requires/,/^\[/p' "$ROOT/setup.cfg"; } | sha1sum | cut -c1-40)
  if [ ! -x "$venv/bin/python" ]; then
    say "creating $venv (Python $("$PYTHON" -c 'import platform; print(platform.python_version())'))"
    "$PYTHON" -m venv "$venv"
  fi
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "installing CKAN $release and the test tools into $venv"
    # ckan[requirements]: a plain `ckan` install brings none of its dependencies.
    "$venv/bin/pip" install -q --disable-pip-version-check "ckan[requirements]==$release" \
      -r "$ROOT/dev-requirements.txt" >"$LOGS/pip-$line.log" 2>&1 \
      || { show_log_tail "$LOGS/pip-$line.log"; die "pip could not install CKAN $release (see $LOGS/pip-$line.log)"; }
    echo "$want" >"$stamp"
  fi
  # The extension's runtime dependencies, then the package itself. setuptools'
  # build/ keeps files deleted from the source: start from an empty one.
  rm -rf "$ROOT/build"
  "$venv/bin/pip" install -q --disable-pip-version-check --no-build-isolation "$ROOT" \
    >"$LOGS/pip-sipessut-$line.log" 2>&1 \
    || { show_log_tail "$LOGS/pip-sipessut-$line.log"; die "installing ckanext-sipessut into $venv failed"; }
  echo "$venv"
}

# ckanext-xloader, beside CKAN in VENV, for the public-data benchmark's comparison (not a
# plugin of the tests or the demo): benchmarks/requirements-xloader.txt.
ensure_xloader() { # ensure_xloader VENV
  "$1/bin/python" -c 'import ckanext.xloader.loader' 2>/dev/null && return 0
  say "installing ckanext-xloader 2.6 for the benchmarks' comparison"
  "$1/bin/pip" install -q --disable-pip-version-check --no-deps -r "$ROOT/benchmarks/requirements-xloader.txt" \
    >"$LOGS/pip-xloader.log" 2>&1 || { show_log_tail "$LOGS/pip-xloader.log"; die "installing ckanext-xloader failed"; }
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  [ $# = 1 ] || die "usage: dev/venv.sh 2.12|2.11"
  ensure_venv "$1"
fi
