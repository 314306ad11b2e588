#!/usr/bin/env bash
# The benchmark suite, one command: builds the service jar and the benchmark classes, makes sure
# PostgreSQL, Redis and NATS run, runs every benchmark, and writes bench/results/<UTC>.json,
# latest.json and latest.md (the Markdown table is also printed). See bench/README.md.
#
#   bench/run.sh            full run (under 10 minutes on 2 cores)
#   bench/run.sh --quick    about a minute, fewer jobs and variants
#   bench/run.sh --only engine,streaming [--quick]    some benchmarks only
#
# "engine" also runs LangGraph4j's AgentExecutor on the same 3-step job (bench/langgraph4j, its own
# Maven project and JVM), unless --no-langgraph4j; --only langgraph4j runs that baseline alone.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/java.sh

mode=full
langgraph4j=yes
only=engine,durable,storage,startup,streaming
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick ;;
    --smoke) mode=smoke ;;
    --only) only="$2"; shift ;;
    --no-langgraph4j) langgraph4j=no ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done

scripts/dev/ensure-servers.sh
echo "[bench] building (mvn package -DskipTests)..." >&2
mvn -B -ntp -q -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >&2
classpath="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
jar="$PWD/target/agent-executor.jar"

# Lettuce's Netty uses sun.misc.Unsafe; JDK 24+ warns about it on every start.
unsafe=""
[ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ] && unsafe="--sun-misc-unsafe-memory-access=allow"

parts=$(mktemp -d -t bench-parts-XXXXXX)
trap 'rm -rf "$parts"' EXIT
bench() { # $1 = part name, then the java launcher prefix and benchmark names
  local part=$1; shift
  "$@" $unsafe -Dbench.jar="$jar" -cp "$classpath" dev.agentexecutor.bench.BenchMain run "$mode" "$parts/$part.json" "${names[@]}"
}

# One core for the whole JVM (JIT and GC included): the engine's cost on one core.
pin=(); command -v taskset >/dev/null 2>&1 && pin=(taskset -c 0)
engine_jvm=("${pin[@]}" "$JAVA_HOME/bin/java" -Xms1g -Xmx1g)

# LangGraph4j's prebuilt AgentExecutor on the engine's 3-step job: its own project and classpath
# (its langchain4j is not the service's), the engine's JVM flags and counts.
langgraph4j_bench() {
  echo "[bench] building bench/langgraph4j..." >&2
  (cd bench/langgraph4j && mvn -B -ntp -q -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt >&2)
  "${engine_jvm[@]}" -cp "bench/langgraph4j/target/classes:$(cat bench/langgraph4j/target/classpath.txt)" \
    dev.agentexecutor.bench.langgraph4j.AgentExecutorBench run "$mode" "$parts/langgraph4j.json"
}

IFS=, read -r -a wanted <<<"$only"
for name in "${wanted[@]}"; do
  names=("$name")
  case "$name" in
    engine)
      bench "$name" "${engine_jvm[@]}"
      [ "$langgraph4j" = yes ] && langgraph4j_bench ;;
    langgraph4j) langgraph4j_bench ;;
    *) bench "$name" "$JAVA_HOME/bin/java" -Xmx2g ;;
  esac
done
"$JAVA_HOME/bin/java" $unsafe -cp "$classpath" dev.agentexecutor.bench.BenchMain report bench/results "$parts"/*.json
