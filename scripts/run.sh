#!/usr/bin/env bash
# Builds the service jar when needed and runs it. With no arguments: `serve` on $PORT (8080),
# on in-memory backends unless PostgreSQL/Redis/NATS are configured. Any arguments are passed to
# the command line instead, e.g. `scripts/run.sh run examples/research-team.json`.
# JVM flags: JAVA_OPTS (default below); on JDK 25+ an AOT cache made at build time speeds up start-up.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/java.sh

jar=target/agent-executor.jar
cache=target/agent-executor.aot
if [ ! -f "$jar" ] || [ -n "$(find src migrations pom.xml -newer "$jar" -print -quit)" ]; then
  mvn -B -ntp -q -DskipTests package
  rm -f "$cache"
fi
aot=()
if [ "$(java_major "$JAVA_HOME/bin/java")" -ge 25 ] && command -v curl >/dev/null 2>&1; then
  if [ ! -f "$cache" ]; then
    echo "creating the AOT cache (once per build, a few seconds)..." >&2
    scripts/lib/aot-train.sh "$jar" "$cache" || { echo "AOT training failed; starting without the cache" >&2; rm -f "$cache"; }
  fi
  [ -f "$cache" ] && aot=("-XX:AOTCache=$cache" "-Xlog:aot=off" "-Xlog:cds=off")
fi
[ $# -eq 0 ] && set -- serve
# Serial GC: the smallest footprint for a service whose heap stays small; see bench/README.md.
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS:--XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError} "${aot[@]}" -jar "$jar" "$@"
