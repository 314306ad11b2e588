#!/usr/bin/env bash
# Builds the production image from the repository's Dockerfile and tags it.
# Usage: scripts/ci/build.sh [--image NAME] [--tag TAG]... [--push]
#   Defaults: --image ghcr.io/arun4infra/agent-executor, --tag from `git describe`.
# Exit: 0 built (and pushed), 2 usage error, 3 no Docker engine reachable, else the failing step's code.
set -euo pipefail
cd "$(dirname "$0")/../.."

image="ghcr.io/arun4infra/agent-executor"
tags=()
push=false
while [ $# -gt 0 ]; do
  case "$1" in
    --image) image="${2:?--image needs a value}"; shift 2 ;;
    --tag) tags+=("${2:?--tag needs a value}"); shift 2 ;;
    --push) push=true; shift ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ ${#tags[@]} -eq 0 ]; then
  tags=("$(git describe --tags --always --dirty 2>/dev/null | sed 's/^v//' || echo dev)")
fi

if ! command -v docker >/dev/null 2>&1; then
  echo "build.sh: docker is not installed; install Docker (or run in CI) to build the image" >&2
  exit 3
fi
if ! docker info >/dev/null 2>&1; then
  echo "build.sh: no Docker engine is reachable (is the daemon running, DOCKER_HOST set?)" >&2
  exit 3
fi
for required in migrations scripts/ci/run-migrations.sh; do
  [ -e "$required" ] || { echo "build.sh: $required is missing; the image must contain it" >&2; exit 2; }
done

args=()
for t in "${tags[@]}"; do args+=(--tag "$image:$t"); done
revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
docker build "${args[@]}" \
  --label "org.opencontainers.image.source=https://github.com/arun4infra/agent-executor" \
  --label "org.opencontainers.image.revision=$revision" \
  --label "org.opencontainers.image.version=${tags[0]}" \
  .
if $push; then
  for t in "${tags[@]}"; do docker push "$image:$t"; done
fi
echo "built ${tags[*]/#/$image:}"
