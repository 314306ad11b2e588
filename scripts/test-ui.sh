#!/usr/bin/env bash
# Browser end-to-end tests of the run viewer (/ui/): starts the service from its jar on a free
# port (in-memory backends, scripted models), then runs ui-tests/test/*.test.mjs with Node's test
# runner, driving Debian's headless Chromium through playwright-core. Installs what is missing:
# Chromium (apt-get), Node (apt-get) and the npm packages of ui-tests/package-lock.json.
# UI_SCREENSHOT_DIR=docs/images refreshes the README's screenshots (default: ui-tests/test-results).
# Prints "ui: N passed, M failed" last; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/java.sh

apt_install() {
  local sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd=sudo
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
if [ ! -x /usr/bin/chromium ]; then
  echo "test-ui.sh: installing Chromium from the distribution's packages" >&2
  apt_install chromium fonts-dejavu-core || true
fi
if ! command -v node >/dev/null 2>&1; then
  echo "test-ui.sh: installing Node.js from the distribution's packages" >&2
  apt_install nodejs npm || true
fi
if [ ! -x /usr/bin/chromium ] || ! command -v node >/dev/null 2>&1; then
  echo "test-ui.sh: /usr/bin/chromium and node (20 or newer) are required" >&2
  echo "ui: 0 passed, 1 failed"
  exit 1
fi
stamp=ui-tests/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ ui-tests/package-lock.json -nt "$stamp" ]; then
  npm ci --prefix ui-tests --no-audit --no-fund --loglevel=error
fi

jar=target/agent-executor.jar
if [ ! -f "$jar" ] || [ -n "$(find src/main examples pom.xml -newer "$jar" -print -quit)" ]; then
  mvn -B -ntp -q -DskipTests package
fi

# The service under test: embedded backends whatever this shell has configured.
log="$(mktemp)"
report="$(mktemp)"
service_pid=""
cleanup() {
  [ -n "$service_pid" ] && kill "$service_pid" 2>/dev/null && wait "$service_pid" 2>/dev/null
  rm -f "$log" "$report"
}
trap cleanup EXIT
env -u DATABASE_URL -u POSTGRES_HOST -u REDIS_URL -u DRAGONFLY_HOST -u NATS_URL -u API_TOKENS \
  PORT=0 LLM_PROVIDER=scripted LOG_FORMAT=text UI_ENABLED=true \
  "$JAVA_HOME/bin/java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$jar" serve >"$log" 2>&1 &
service_pid=$!
port=""
for _ in $(seq 1 300); do
  port="$(sed -n 's/.*serving on port \([0-9]*\).*/\1/p' "$log" | head -1)"
  [ -n "$port" ] && curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
  kill -0 "$service_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ] || ! curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1; then
  echo "test-ui.sh: the service did not start:" >&2
  cat "$log" >&2
  echo "ui: 0 passed, 1 failed"
  exit 1
fi

status=0
(cd ui-tests && UI_BASE_URL="http://127.0.0.1:$port" UI_SCREENSHOT_DIR="${UI_SCREENSHOT_DIR:+$(cd .. && realpath "$UI_SCREENSHOT_DIR")}" \
  node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$report" test/*.test.mjs) || status=$?

passed="$(awk '/^# pass /{print $3}' "$report")"
failed="$(awk '/^# fail /{print $3}' "$report")"
passed="${passed:-0}"
failed="${failed:-0}"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$failed" -ne 0 ]; then
  echo "--- service log (last 60 lines) ---" >&2
  tail -60 "$log" >&2
fi
echo "ui: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
