#!/usr/bin/env bash
# Applies examples/minimal-claim.yaml into $NAMESPACE and checks the four workload resources.
source "$(dirname "$0")/lib.sh"
require_cluster
claim="$EXAMPLES/minimal-claim.yaml"; name="$(claim_name "$claim")"
apply_claim "$claim"
for kind in deployment service serviceaccount scaledobject.keda.sh; do
  obj="$name"; [ "$kind" = scaledobject.keda.sh ] && obj="$name-scaler"
  wait_for "$kind/$obj" kubectl -n "$NAMESPACE" get "$kind" "$obj"
  pass "$kind/$obj exists"
done
expect "$(jp deployment "$name" '{.spec.template.spec.containers[0].image}')" "$(awk '/image:/{print $2; exit}' "$claim")" image
expect "$(jp service "$name" '{.spec.ports[0].port}')" 8080 "service port"
expect "$(jp scaledobject.keda.sh "$name-scaler" '{.spec.scaleTargetRef.name}')" "$name" "scale target"
expect "$(jp deployment "$name" '{.metadata.labels.app\.kubernetes\.io/managed-by}')" crossplane "managed-by label"
