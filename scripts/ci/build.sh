#!/usr/bin/env bash
# Builds the production image from the repository's Dockerfile and tags it.
# Usage: scripts/ci/build.sh [--image NAME] [--version VERSION] [--tag TAG]... [--push]
#   --version  the release version (1.2.3): the jar's Implementation-Version, /health's "version"
#              and the image label org.opencontainers.image.version. Default: `git describe`
#              without its leading "v".
#   --tag      image tags. Default: v<version>, the convention every claim uses (the release
#              workflow passes v<version> and sha-<commit>).
#   --dry-run  print the docker commands instead of running them (no Docker engine needed).
#   Defaults: --image ghcr.io/arun4infra/agent-executor.
# Exit: 0 built (and pushed), 2 usage error, 3 no Docker engine reachable, else the failing step's code.
set -euo pipefail
cd "$(dirname "$0")/../.."

image="ghcr.io/arun4infra/agent-executor"
version=""
tags=()
push=false
dry_run=false
while [ $# -gt 0 ]; do
  case "$1" in
    --image) image="${2:?--image needs a value}"; shift 2 ;;
    --version) version="${2:?--version needs a value}"; shift 2 ;;
    --tag) tags+=("${2:?--tag needs a value}"); shift 2 ;;
    --push) push=true; shift ;;
    --dry-run) dry_run=true; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$version" ]; then
  version="$(git describe --tags --always --dirty 2>/dev/null || true)"
  version="${version#v}"
  version="${version:-0.1.0-SNAPSHOT}"
fi
if [ ${#tags[@]} -eq 0 ]; then
  tags=("v$version")
fi

for required in migrations scripts/ci/run-migrations.sh; do
  [ -e "$required" ] || { echo "build.sh: $required is missing; the image must contain it" >&2; exit 2; }
done
args=()
for t in "${tags[@]}"; do args+=(--tag "$image:$t"); done
commit="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
# The Dockerfile writes both into the jar's manifest and the image's OCI labels.
build=(docker build "${args[@]}" --build-arg "VERSION=$version" --build-arg "GIT_COMMIT=$commit" .)
if $dry_run; then
  echo "${build[*]}"
  if $push; then for t in "${tags[@]}"; do echo "docker push $image:$t"; done; fi
  exit 0
fi

if ! command -v docker >/dev/null 2>&1; then
  echo "build.sh: docker is not installed; install Docker (or run in CI) to build the image" >&2
  exit 3
fi
if ! docker info >/dev/null 2>&1; then
  echo "build.sh: no Docker engine is reachable (is the daemon running, DOCKER_HOST set?)" >&2
  exit 3
fi
"${build[@]}"
if $push; then
  for t in "${tags[@]}"; do docker push "$image:$t"; done
fi
echo "built ${tags[*]/#/$image:}"
