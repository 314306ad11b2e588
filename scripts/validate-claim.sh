#!/usr/bin/env bash
# Validates platform claims (AgentExecutor, EventDrivenService) against the published schemas.
# Usage: scripts/validate-claim.sh FILE...   Exit: 0 valid, 1 invalid, 2 usage or unreadable file.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -d "$root/platform/tests/node_modules" ]; then
  npm ci --prefix "$root/platform/tests" --no-audit --no-fund --loglevel=error >&2 || exit 2
fi
exec node "$root/platform/tests/bin/validate-claim.mjs" "$@"
