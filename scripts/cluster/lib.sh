# Shared helpers of the cluster scripts (sourced, not run). Exit codes of every script:
#   0 passed, 1 a check failed, 2 usage error, 3 no cluster reachable (kubectl missing or no
#   context answering) -- so CI can tell "not run" from "failed".
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
EXAMPLES="$ROOT/platform/04-apis/examples"
NAMESPACE="${NAMESPACE:-platform-api-test}"
TIMEOUT="${TIMEOUT:-120}"

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

require_cluster() {
  if ! command -v kubectl >/dev/null 2>&1; then
    echo "no cluster: kubectl is not installed (exit 3, not a failure)" >&2
    exit 3
  fi
  if ! kubectl version --request-timeout=5s >/dev/null 2>&1; then
    echo "no cluster: kubectl cannot reach a cluster with the current context (exit 3, not a failure)" >&2
    exit 3
  fi
}

# wait_for DESCRIPTION COMMAND...: retries COMMAND every 3 s until it succeeds or TIMEOUT passes.
wait_for() {
  local what="$1"; shift
  local deadline=$((SECONDS + TIMEOUT))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "timed out after ${TIMEOUT}s waiting for $what"
    sleep 3
  done
}

# jp KIND NAME JSONPATH: one field of a namespaced object.
jp() { kubectl -n "$NAMESPACE" get "$1" "$2" -o "jsonpath=$3"; }

# expect ACTUAL EXPECTED DESCRIPTION
expect() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; pass "$3 = $2"; }

# apply_claim FILE: applies an example claim into the test namespace; deleted on exit.
apply_claim() {
  kubectl create namespace "$NAMESPACE" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  sed "s/^  namespace: .*/  namespace: $NAMESPACE/" "$1" | kubectl apply -f -
  CLAIM_FILE="$1"
  trap 'sed "s/^  namespace: .*/  namespace: $NAMESPACE/" "$CLAIM_FILE" | kubectl delete --ignore-not-found -f - >/dev/null 2>&1 || true' EXIT
}

claim_name() { awk '/^metadata:/{m=1} m && /^  name:/{print $2; exit}' "$1"; }
