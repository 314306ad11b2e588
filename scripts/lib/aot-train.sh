#!/usr/bin/env bash
# Creates the JDK 25+ AOT cache of the service (classes loaded and linked ahead of time), which
# roughly halves the time from start to /ready. A training run serves one scripted example job
# on an embedded (in-memory) service and exits; the JVM writes the cache at exit.
# Usage: aot-train.sh JAR CACHE [EXAMPLE_JOB]      Needs: java (>= 25) on PATH, curl.
set -euo pipefail
jar=$1 cache=$2 job=${3:-$(dirname "$0")/../../examples/research-team.json}
port=$(( 20000 + RANDOM % 20000 ))
env -i PATH="$PATH" HOME="${HOME:-/tmp}" PORT=$port LOG_LEVEL=WARN \
  java -XX:AOTCacheOutput="$cache" -jar "$jar" serve >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do
  curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs -X POST "http://127.0.0.1:$port/" -H 'Content-Type: application/json' \
  -H 'ce-specversion: 1.0' -H 'ce-id: aot-training' -H 'ce-source: /aot' \
  -H 'ce-type: dev.my-platform.agent.execute' --data @"$job" >/dev/null
curl -fs "http://127.0.0.1:$port/metrics" >/dev/null
kill -TERM $pid
wait $pid || true
trap - EXIT
test -s "$cache"
