#!/usr/bin/env bash
# Builds the service jar when needed and runs it. With no arguments: `serve` on $PORT (8080),
# on in-memory backends unless PostgreSQL/Redis/NATS are configured. Any arguments are passed to
# the command line instead, e.g. `scripts/run.sh run examples/research-team.json`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/java.sh

jar=target/agent-executor.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
  mvn -B -ntp -q -DskipTests package
fi
[ $# -eq 0 ] && set -- serve
exec "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -jar "$jar" "$@"
