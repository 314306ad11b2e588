#!/usr/bin/env bash
# Profiles the engine benchmark (in process, pinned to one core) and the durable benchmark (the
# service process) with JDK Flight Recorder, then prints their hot spots. Recordings and summaries
# go to bench/results/profile/ (engine.jfr, durable-service.jfr, *.md). About two minutes.
#
#   bench/profile.sh                 both
#   bench/profile.sh engine|durable  one of them
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/java.sh

which=${1:-all}
out=bench/results/profile
mkdir -p "$out"
scripts/dev/ensure-servers.sh >/dev/null
mvn -B -ntp -q -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >&2
classpath="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
java=("$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -cp "$classpath")
jfr="settings=profile,jdk.ExecutionSample#period=1ms,dumponexit=true"
scratch=$(mktemp -d -t bench-profile-XXXXXX)
trap 'rm -rf "$scratch"' EXIT

if [ "$which" = all ] || [ "$which" = engine ]; then
  pin=(); command -v taskset >/dev/null && pin=(taskset -c 0)
  "${pin[@]}" "${java[@]}" -Xms1g -Xmx1g -XX:StartFlightRecording="filename=$out/engine.jfr,$jfr" \
    dev.agentexecutor.bench.BenchMain run full "$scratch/engine.json" engine
  "${java[@]}" dev.agentexecutor.bench.BenchMain jfr-top "$out/engine.jfr" 20 | tee "$out/engine.md"
fi
if [ "$which" = all ] || [ "$which" = durable ]; then
  "${java[@]}" -Xmx2g -Dbench.jar="$PWD/target/agent-executor.jar" \
    -Dbench.service.jvm.flags="-XX:StartFlightRecording=filename=$PWD/$out/durable-service.jfr,$jfr" \
    dev.agentexecutor.bench.BenchMain run quick "$scratch/durable.json" durable
  "${java[@]}" dev.agentexecutor.bench.BenchMain jfr-top "$out/durable-service.jfr" 20 | tee "$out/durable.md"
fi
echo "recordings in $out (open with JDK Mission Control, or: jfr print --events jdk.ExecutionSample FILE | less)"
