#!/usr/bin/env bash
# The platform's offline tests (no cluster): YAML, published schemas of every kind, claim
# schemas, offline rendering of the Compositions, env contract with the service, delivery files.
# Installs its Node dependencies from platform/tests/package-lock.json when they are missing or
# stale. Prints "platform: N passed, M failed" last; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

tests=platform/tests
if ! command -v node >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  echo "test-platform.sh: installing Node.js from the distribution's packages" >&2
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd=sudo
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq nodejs npm >/dev/null || true
fi
if ! command -v node >/dev/null 2>&1; then
  echo "test-platform.sh: node (20 or newer) is required" >&2
  echo "platform: 0 passed, 1 failed"
  exit 1
fi
stamp="$tests/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$tests/package-lock.json" -nt "$stamp" ]; then
  npm ci --prefix "$tests" --no-audit --no-fund --loglevel=error
fi

report="$(mktemp)"
trap 'rm -f "$report"' EXIT
status=0
(cd "$tests" && node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$report" test/*.test.mjs) || status=$?

passed="$(awk '/^# pass /{print $3}' "$report")"
failed="$(awk '/^# fail /{print $3}' "$report")"
passed="${passed:-0}"
failed="${failed:-0}"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "platform: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
