#!/usr/bin/env bash
# 004 task 18: applies examples/agent-executor-claim.yaml (agent-executor as an EventDrivenService)
# into $NAMESPACE and checks that what it composes matches the running AgentExecutor deployment:
# image, resources, variables, probes, the migrations init container and KEDA. Differences that
# are expected between the two APIs are printed with their reason, not failed.
# Usage: test-agent-executor-migration.sh [REFERENCE_NAMESPACE]
#   REFERENCE_NAMESPACE: where the AgentExecutor claim's Deployment runs (default
#   intelligence-deepagents); without one there, the claim is checked against the expected values.
source "$(dirname "$0")/lib.sh"
[ $# -le 1 ] || { echo "usage: $0 [REFERENCE_NAMESPACE]" >&2; exit 2; }
REFERENCE_NAMESPACE="${1:-intelligence-deepagents}"
require_cluster
claim="$EXAMPLES/agent-executor-claim.yaml"; name="$(claim_name "$claim")"
apply_claim "$claim"
wait_for "deployment/$name" kubectl -n "$NAMESPACE" get deployment "$name"
wait_for "scaledobject/$name-scaler" kubectl -n "$NAMESPACE" get scaledobject.keda.sh "$name-scaler"

c='{.spec.template.spec.containers[0]'
i='{.spec.template.spec.initContainers[0]'
env_names() { kubectl -n "$1" get deployment "$2" -o jsonpath="{range $3.env[*]}{.name}{\"\\n\"}{end}" | sort; }

# The claim's own values.
expect "$(jp deployment "$name" "$c.image}")" "$(awk '/^  image:/{print $2; exit}' "$claim")" image
expect "$(jp deployment "$name" "$c.resources.requests.cpu}")" 500m "medium cpu request"
expect "$(jp deployment "$name" "$c.resources.limits.memory}")" 4Gi "medium memory limit"
expect "$(jp deployment "$name" "$c.livenessProbe.httpGet.path}")" /health "liveness probe"
expect "$(jp deployment "$name" "$c.readinessProbe.httpGet.path}")" /ready "readiness probe"
expect "$(jp deployment "$name" "$c.startupProbe.httpGet.path}")" /health "startup probe"
expect "$(jp deployment "$name" "$i.name}")" run-migrations "init container"
expect "$(jp deployment "$name" "$i.command[0]}")" /app/scripts/ci/run-migrations.sh "init container command"
for var in NATS_URL NATS_STREAM_NAME NATS_CONSUMER_GROUP POSTGRES_HOST POSTGRES_PASSWORD DRAGONFLY_HOST; do
  env_names "$NAMESPACE" "$name" "$c" | grep -qx "$var" || fail "main container lacks $var"
  env_names "$NAMESPACE" "$name" "$i" | grep -qx "$var" || fail "init container lacks $var"
done
pass "NATS, PostgreSQL and Dragonfly variables in both containers"
expect "$(jp deployment "$name" "$c.envFrom[0].secretRef.name}")" agent-executor-llm-keys "LLM keys (envFrom)"
expect "$(jp deployment "$name" "$c.envFrom[1].secretRef.name}")" agent-executor-api-tokens "API tokens (envFrom)"
m='{.spec.triggers[0].metadata'
expect "$(jp scaledobject.keda.sh "$name-scaler" "$m.natsServerMonitoringEndpoint}")" nats-headless.nats.svc.cluster.local:8222 "KEDA endpoint"
expect "$(jp scaledobject.keda.sh "$name-scaler" "$m.stream}")" AGENT_EXECUTION "KEDA stream"
expect "$(jp scaledobject.keda.sh "$name-scaler" "$m.consumer}")" agent-executor-workers "KEDA consumer"

# Field by field against the running AgentExecutor deployment, when there is one.
if ! kubectl -n "$REFERENCE_NAMESPACE" get agentexecutor "$name" >/dev/null 2>&1; then
  echo "note: no AgentExecutor $name in $REFERENCE_NAMESPACE; compared with the expected values only"
  exit 0
fi
ref() { kubectl -n "$REFERENCE_NAMESPACE" get deployment "$name" -o "jsonpath=$1"; }
for field in "$c.image}" "$c.resources}" "$c.livenessProbe.httpGet.path}" "$c.readinessProbe.httpGet.path}" \
  "$c.startupProbe.httpGet.path}" "$i.command}" '{.spec.template.spec.terminationGracePeriodSeconds}' \
  '{.spec.template.spec.securityContext}'; do
  expect "$(jp deployment "$name" "$field")" "$(ref "$field")" "same as AgentExecutor: $field"
done
missing="$(comm -23 <(env_names "$REFERENCE_NAMESPACE" "$name" "$c") <(env_names "$NAMESPACE" "$name" "$c"))"
for var in $missing; do
  case "$var" in
    PORT|LOG_LEVEL|LOG_FORMAT|MAX_CONCURRENT_JOBS|DRAIN_TIMEOUT_SECONDS|POSTGRES_SCHEMA|MIGRATE_ON_START)
      echo "difference (expected): $var is set by the AgentExecutor Composition; as an EventDrivenService it takes the service's default (src/main/resources/env-vars.json)" ;;
    OPENAI_API_KEY|ANTHROPIC_API_KEY|API_TOKENS)
      echo "difference (expected): $var comes from a whole secret (envFrom) in the EventDrivenService claim" ;;
    *) fail "the EventDrivenService deployment lacks $var, which the AgentExecutor one sets" ;;
  esac
done
pass "agent-executor migrates to EventDrivenService without losing configuration"
