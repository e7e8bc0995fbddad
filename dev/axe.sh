# shellcheck shell=bash
# axe-core, the accessibility rules the browser tests run in Chromium, from the npm
# registry into $WORK/node (not in git). Sourced by dev/test.sh.

AXE_CORE_VERSION=4.14.1
AXE_JS=$WORK/node/node_modules/axe-core/axe.min.js

ensure_axe_core() { # ensure_axe_core -> installs axe-core $AXE_CORE_VERSION and exports SIPESSUT_AXE_JS
  local installed=
  [ -f "$WORK/node/node_modules/axe-core/package.json" ] \
    && installed=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$WORK/node/node_modules/axe-core/package.json" | head -n1)
  if [ "$installed" != "$AXE_CORE_VERSION" ]; then
    command -v npm >/dev/null || apt_install npm
    say "installing axe-core $AXE_CORE_VERSION from the npm registry into $WORK/node"
    mkdir -p "$WORK/node"
    timeout 300 npm install --prefix "$WORK/node" --no-audit --no-fund --no-package-lock --no-save \
      "axe-core@$AXE_CORE_VERSION" >"$LOGS/npm-axe.log" 2>&1 \
      || { show_log_tail "$LOGS/npm-axe.log"; die "npm could not install axe-core (see $LOGS/npm-axe.log)"; }
  fi
  [ -f "$AXE_JS" ] || die "axe-core installed without $AXE_JS"
  export SIPESSUT_AXE_JS=$AXE_JS
}
