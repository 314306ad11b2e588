#!/usr/bin/env bash
# Regenerates platform/04-apis/schemas/*.schema.json (JSON Schema 2020-12, one per XRD) from
# platform/04-apis/definitions. Usage: scripts/publish-schema.sh [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d platform/tests/node_modules ] || npm ci --prefix platform/tests --no-audit --no-fund --loglevel=error >&2
exec node platform/tests/bin/publish-schema.mjs "$@"
