#!/usr/bin/env bash
# The whole test suite: service tests (unit + integration against real PostgreSQL, Redis and
# NATS JetStream, started here when absent), the platform's offline manifest tests and the run
# viewer's browser tests (headless Chromium against the service's jar).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/java.sh

scripts/dev/ensure-servers.sh

mvn -B -ntp verify "$@"

if [ -x scripts/test-platform.sh ]; then
  scripts/test-platform.sh
fi

if [ -x scripts/test-ui.sh ]; then
  scripts/test-ui.sh
fi
