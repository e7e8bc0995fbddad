#!/usr/bin/env bash
# `make assets`: the JavaScript libraries the extension ships, fetched from the npm
# registry at a pinned version and copied into the package (committed: a portal never
# downloads them at run time, and no page loads them from a CDN).
#
#   dev/assets.sh     Apache ECharts (the charts of the public-data domain)
#
# To update: change ECHARTS_VERSION, run `make assets`, look at the charts, commit.

# shellcheck source=dev/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ECHARTS_VERSION=6.0.0
# The "common" build: bar, line, pie and scatter charts, the SVG and canvas renderers,
# tooltip, legend, toolbox and aria (about 700 KB, against 1.1 MB for the full build).
ECHARTS_FILE=echarts.common.min.js
TARGET=$ROOT/ckanext/sipessut/publicdata/assets/vendor/echarts

command -v npm >/dev/null || die "npm is needed to fetch the assets (Debian package npm)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
say "fetching echarts@$ECHARTS_VERSION from the npm registry"
(cd "$tmp" && npm pack --silent "echarts@$ECHARTS_VERSION" >/dev/null) \
  || die "npm pack echarts@$ECHARTS_VERSION failed"
tar -xzf "$tmp/echarts-$ECHARTS_VERSION.tgz" -C "$tmp"
mkdir -p "$TARGET"
cp "$tmp/package/dist/$ECHARTS_FILE" "$TARGET/$ECHARTS_FILE"
cp "$tmp/package/LICENSE" "$TARGET/LICENSE.txt"
cp "$tmp/package/NOTICE" "$TARGET/NOTICE.txt"
{
  echo "Apache ECharts $ECHARTS_VERSION (npm package echarts), file dist/$ECHARTS_FILE"
  echo "Licence: Apache-2.0 (LICENSE.txt, NOTICE.txt)"
  echo "sha256: $(sha256sum "$TARGET/$ECHARTS_FILE" | cut -d' ' -f1)"
  echo "Fetched by dev/assets.sh (make assets)."
} >"$TARGET/VERSION.txt"
echo "$TARGET/$ECHARTS_FILE (echarts $ECHARTS_VERSION)" >&2
