#!/usr/bin/env bash
# Makes sure PostgreSQL (127.0.0.1:5432), Redis (6379) and NATS with JetStream (4222) answer,
# starting them -- and installing them from the distribution's packages when missing -- if not.
# Idempotent; never stops anything. Used by scripts/test.sh and by people without Docker.
set -euo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { # $1 port, $2 name
  for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done
  echo "error: $2 did not come up on 127.0.0.1:$1" >&2; return 1
}
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

ensure_postgres() {
  port_open 5432 && return 0
  command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql postgresql-client
  local version; version=$(ls /etc/postgresql | sort -V | tail -1)
  if ! pg_lsclusters -h | grep -q "^$version main"; then as_root pg_createcluster "$version" main; fi
  # Trust on loopback: tests connect as postgres without a password, like the CI machines.
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! grep -q "agent-executor-tests" "$hba"; then
    as_root sh -c "printf '# agent-executor-tests\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n' | cat - '$hba' > '$hba.new' && mv '$hba.new' '$hba'"
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_port 5432 PostgreSQL
}

# The tests use the database "test" (as on the CI machines); create it when a fresh server lacks it.
ensure_test_database() {
  command -v psql >/dev/null 2>&1 || apt_install postgresql-client  # the migration script's tests need it too
  local exists
  exists=$(psql -h 127.0.0.1 -U postgres -d postgres -Atc "select 1 from pg_database where datname = 'test'" 2>/dev/null || true)
  [ "$exists" = "1" ] || psql -h 127.0.0.1 -U postgres -d postgres -qc "create database test" >/dev/null
}

ensure_redis() {
  port_open 6379 && return 0
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  mkdir -p /tmp/agent-executor-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp/agent-executor-redis --logfile /tmp/agent-executor-redis/redis.log
  wait_port 6379 Redis
}

ensure_nats() {
  port_open 4222 && return 0
  command -v nats-server >/dev/null 2>&1 || apt_install nats-server
  mkdir -p /tmp/agent-executor-nats
  nohup "$(command -v nats-server)" -a 127.0.0.1 -p 4222 -js -sd /tmp/agent-executor-nats \
    >/tmp/agent-executor-nats/nats.log 2>&1 &
  wait_port 4222 "NATS"
}

ensure_postgres
ensure_test_database
ensure_redis
ensure_nats
echo "servers ready: postgresql 127.0.0.1:5432, redis 127.0.0.1:6379, nats 127.0.0.1:4222"
