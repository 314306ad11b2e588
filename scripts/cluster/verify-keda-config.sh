#!/usr/bin/env bash
# Checks a ScaledObject's trigger: nats-headless endpoint, account, stream, consumer, lag, replicas.
# Usage: verify-keda-config.sh [NAMESPACE NAME]  (default: intelligence-deepagents agent-executor-scaler)
source "$(dirname "$0")/lib.sh"
[ $# -eq 0 ] || [ $# -eq 2 ] || { echo "usage: $0 [NAMESPACE NAME]" >&2; exit 2; }
NAMESPACE="${1:-intelligence-deepagents}"; so="${2:-agent-executor-scaler}"
require_cluster
m='{.spec.triggers[0].metadata'
expect "$(jp scaledobject.keda.sh "$so" '{.spec.triggers[0].type}')" nats-jetstream "trigger type"
expect "$(jp scaledobject.keda.sh "$so" "$m.natsServerMonitoringEndpoint}")" nats-headless.nats.svc.cluster.local:8222 endpoint
account="$(jp scaledobject.keda.sh "$so" "$m.account}")"
[ "$account" != '$SYS' ] || fail "account \$SYS cannot own JetStream streams"
pass "account = $account"
expect "$(jp scaledobject.keda.sh "$so" "$m.lagThreshold}")" 5 lagThreshold
expect "$(jp scaledobject.keda.sh "$so" '{.spec.minReplicaCount}')" 1 minReplicaCount
expect "$(jp scaledobject.keda.sh "$so" '{.spec.maxReplicaCount}')" 10 maxReplicaCount
expect "$(jp scaledobject.keda.sh "$so" '{.status.conditions[?(@.type=="Ready")].status}')" True "ScaledObject ready (trigger reachable)"
