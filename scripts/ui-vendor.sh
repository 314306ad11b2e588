#!/usr/bin/env bash
# Copies the run viewer's libraries (Preact and htm, pinned in ui-tests/package.json and
# package-lock.json) from npm into src/main/resources/ui/vendor/, so that the jar ships them and
# the service never fetches anything at run time. Run it after changing a pinned version; the
# browser tests check that the vendored files are these packages' files.
# The one change made: hooks.mjs imports "preact" by a bare name, which a browser without an
# import map cannot resolve (and an import map is an inline script, which the page's CSP forbids),
# so that import is pointed at the sibling file ./preact.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --prefix ui-tests --no-audit --no-fund --loglevel=error
modules=ui-tests/node_modules
preact_version=$(node -p "require('./$modules/preact/package.json').version")
htm_version=$(node -p "require('./$modules/htm/package.json').version")
vendor=src/main/resources/ui/vendor
rm -rf "$vendor"
mkdir -p "$vendor/preact-$preact_version" "$vendor/htm-$htm_version"

cp "$modules/preact/dist/preact.mjs" "$modules/preact/LICENSE" "$vendor/preact-$preact_version/"
sed 's/from"preact"/from".\/preact.mjs"/' "$modules/preact/hooks/dist/hooks.mjs" > "$vendor/preact-$preact_version/hooks.mjs"
grep -q 'from"./preact.mjs"' "$vendor/preact-$preact_version/hooks.mjs" || { echo "ui-vendor.sh: the hooks import was not found" >&2; exit 1; }
cp "$modules/htm/dist/htm.mjs" "$modules/htm/LICENSE" "$vendor/htm-$htm_version/"

cat > "$vendor/README.md" <<MD
# Vendored libraries of the run viewer

Copied from npm by \`scripts/ui-vendor.sh\` (versions pinned in \`ui-tests/package-lock.json\`):

| Library | Version | Files | License |
| --- | --- | --- | --- |
| preact | $preact_version | dist/preact.mjs, hooks/dist/hooks.mjs | MIT (preact-$preact_version/LICENSE) |
| htm | $htm_version | dist/htm.mjs | Apache-2.0 (htm-$htm_version/LICENSE) |

The files are the packages' own ES module builds, unchanged except for one line: hooks.mjs
imports \`"preact"\` by a bare name, rewritten to \`"./preact.mjs"\` because the page's
Content-Security-Policy forbids the inline import map a bare name would need.
MD
echo "vendored preact $preact_version and htm $htm_version into $vendor"
