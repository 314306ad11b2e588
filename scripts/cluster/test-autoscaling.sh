#!/usr/bin/env bash
# Publishes 50 jobs, expects KEDA to scale agent-executor above one replica, then back to one
# once the consumer's lag drains. Usage: test-autoscaling.sh [NAMESPACE] (TIMEOUT=600 by default)
source "$(dirname "$0")/lib.sh"
NAMESPACE="${1:-intelligence-deepagents}"; TIMEOUT="${TIMEOUT:-600}"
require_cluster
replicas() { jp deployment agent-executor '{.status.replicas}'; }
expect "$(jp scaledobject.keda.sh agent-executor-scaler '{.spec.minReplicaCount}')" 1 "min replicas"
kubectl -n nats run "nats-load-$RANDOM" --rm -i --restart=Never --quiet --image=natsio/nats-box:0.18.0 -- \
  sh -c 'for i in $(seq 1 50); do nats --server nats://nats.nats.svc:4222 pub "agent.execute.load-$i" "{\"id\":\"load-$i\",\"data\":{\"job_id\":\"load-$i\"}}" >/dev/null; done'
pass "published 50 jobs"
wait_for "scale-up above 1 replica" sh -c "[ \"\$(kubectl -n $NAMESPACE get deployment agent-executor -o jsonpath='{.status.replicas}')\" -gt 1 ]"
pass "scaled up to $(replicas) replicas"
wait_for "scale-down to 1 replica" sh -c "[ \"\$(kubectl -n $NAMESPACE get deployment agent-executor -o jsonpath='{.status.replicas}')\" -eq 1 ]"
pass "scaled back to 1 replica"
