#!/usr/bin/env bash
# PostgreSQL for the store's PostgreSQL tests (called by .ci/run, as root): installs Debian's server when missing,
# starts its cluster, and makes a login role `hone` that may create the tests' throwaway databases.
# Prints the JDBC URL the tests read from HONE_TEST_POSTGRES.
set -euo pipefail
# Only the URL goes to standard output (the caller captures it with $(...)); everything else the tools say goes to
# stderr. The setup runs with the capture pipe (fd 3) closed: a postgres server it starts would otherwise inherit the
# pipe and keep the caller waiting for as long as the server runs.
exec 3>&1 1>&2

setup() {
  if [ ! -x /usr/bin/pg_ctlcluster ] || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$version main" || pg_createcluster "$version" main >/dev/null
  port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
  if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
    pg_ctlcluster "$version" main start
  fi
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 1
  done
  pg_isready -h 127.0.0.1 -p "$port" >&2
  su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'hone'\"" | grep -q 1 \
    || su postgres -c "psql -q -p $port -c \"CREATE ROLE hone LOGIN CREATEDB PASSWORD 'hone'\""
}

port=""
setup 3>&-
echo "jdbc:postgresql://127.0.0.1:$port/postgres?user=hone&password=hone" >&3
