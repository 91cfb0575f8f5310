#!/usr/bin/env bash
# Docker for the Docker integration tests (called by .ci/run, as root): installs docker.io, docker-compose and
# debootstrap when missing, starts dockerd when it does not answer, and builds the offline images the tests use
# (hone/python, hone/sklearn; hone/server from this checkout's jar and hone/postgres for the install tests) from
# Debian packages, keeping those already built by the same images/build-offline.sh (and, for hone/server, jar).
# No image registry is needed. The tests fail, not skip, when CI=true and any of this is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v docker >/dev/null || need+=(docker.io)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v docker-compose >/dev/null || need+=(docker-compose)   # ComposeTest: deploy/compose.yaml
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(printf '%s\n' "${need[@]}" | sort -u) >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  echo "docker.sh: starting dockerd (log in /var/log/hone-dockerd.log)"
  setsid dockerd >/var/log/hone-dockerd.log 2>&1 < /dev/null &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    tail -n 30 /var/log/hone-dockerd.log >&2
    echo "docker.sh: dockerd did not answer within 60 s" >&2
    exit 1
  fi
fi
docker version --format 'docker.sh: Docker {{.Server.Version}} answers (API {{.Server.APIVersion}})'

# containers an earlier run of the tests left (a run killed midway leaves serve containers, which outlive Hone on
# purpose): the tests count the containers of their projects, so they start from none
stale=$(docker ps -aq --filter label=hone.project)
if [ -n "$stale" ]; then
  echo "docker.sh: removing $(echo "$stale" | wc -l) container(s) an earlier test run left"
  docker rm -f $stale >/dev/null
fi

start=$SECONDS
images/build-offline.sh python sklearn
# hone/server holds the jar of this checkout: build it once here (the tests run later, in ./mvnw verify)
./mvnw -B -ntp -q -DskipTests package
images/build-offline.sh server postgres
echo "docker.sh: images ready in $((SECONDS - start))s"
