#!/usr/bin/env bash
# Checks the EventDrivenService and AgentExecutor Compositions are installed, point at their
# XRDs, run function-patch-and-transform and hold the five resource templates.
source "$(dirname "$0")/lib.sh"
require_cluster
for pair in event-driven-service:XEventDrivenService agent-executor:XAgentExecutor; do
  name="${pair%%:*}" kind="${pair##*:}"
  kubectl get composition "$name" >/dev/null 2>&1 || fail "Composition $name is not installed"
  expect "$(kubectl get composition "$name" -o jsonpath='{.spec.compositeTypeRef.kind}')" "$kind" "$name compositeTypeRef"
  expect "$(kubectl get composition "$name" -o jsonpath='{.spec.pipeline[0].functionRef.name}')" function-patch-and-transform "$name function"
  templates="$(kubectl get composition "$name" -o jsonpath='{.spec.pipeline[0].input.resources[*].name}')"
  expect "$templates" "serviceaccount deployment service scaledobject poddisruptionbudget" "$name templates"
done
expect "$(kubectl get function function-patch-and-transform -o jsonpath='{.status.conditions[?(@.type=="Healthy")].status}')" True "function healthy"
