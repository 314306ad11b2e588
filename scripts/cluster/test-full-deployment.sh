#!/usr/bin/env bash
# Applies examples/full-claim.yaml and checks sizing, secrets (env and envFrom), init container
# and pull secrets.
source "$(dirname "$0")/lib.sh"
require_cluster
claim="$EXAMPLES/full-claim.yaml"; name="$(claim_name "$claim")"
apply_claim "$claim"
wait_for "deployment/$name" kubectl -n "$NAMESPACE" get deployment "$name"
c='{.spec.template.spec.containers[0]'
expect "$(jp deployment "$name" "$c.resources.requests.cpu}")" 1000m "large cpu request"
expect "$(jp deployment "$name" "$c.resources.limits.memory}")" 8Gi "large memory limit"
expect "$(jp deployment "$name" "$c.imagePullPolicy}")" Always "pull policy for :latest"
expect "$(jp deployment "$name" "$c.env[3].valueFrom.secretKeyRef.key}")" endpoint "secretKeyRef env"
expect "$(jp deployment "$name" "$c.envFrom[0].secretRef.name}")" order-processor-llm-keys "envFrom"
expect "$(jp deployment "$name" '{.spec.template.spec.initContainers[0].name}')" migrate "init container"
expect "$(jp deployment "$name" '{.spec.template.spec.initContainers[0].env[3].name}')" DATABASE_HOST "init container env"
expect "$(jp deployment "$name" '{.spec.template.spec.imagePullSecrets[0].name}')" ghcr-pull-secret "imagePullSecrets"
