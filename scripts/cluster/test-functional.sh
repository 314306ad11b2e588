#!/usr/bin/env bash
# Publishes one job to agent.execute.<id> and waits for its result on agent.status.*, then
# checks /health and /ready. Usage: test-functional.sh [NAMESPACE] (default intelligence-deepagents)
source "$(dirname "$0")/lib.sh"
NAMESPACE="${1:-intelligence-deepagents}"
require_cluster
job="functional-$(date +%s)"
nats() { kubectl -n nats run "nats-cli-$RANDOM" --rm -i --restart=Never --quiet --image=natsio/nats-box:0.18.0 -- nats --server nats://nats.nats.svc:4222 "$@"; }
payload='{"specversion":"1.0","type":"dev.agent.execute","source":"platform-functional-test","id":"'"$job"'","data":{"job_id":"'"$job"'","agent_definition":{"nodes":[{"id":"echo","type":"scripted","output":"ok"}]},"input":{"messages":[{"role":"user","content":"ping"}]}}}'
nats pub "agent.execute.$job" "$payload" >/dev/null
pass "published agent.execute.$job"
wait_for "result of $job on AGENT_STATUS" sh -c "kubectl -n nats run nats-get-\$RANDOM --rm -i --restart=Never --quiet --image=natsio/nats-box:0.18.0 -- nats --server nats://nats.nats.svc:4222 stream get AGENT_STATUS --last-for agent.status.completed 2>/dev/null | grep -q '$job'"
pass "completed event for $job"
for path in /health /ready; do
  kubectl -n "$NAMESPACE" exec deploy/agent-executor -- curl -fsS "http://127.0.0.1:8080$path" >/dev/null || fail "$path is not 200"
  pass "$path 200"
done
