#!/usr/bin/env bash
# Applies the SQL migrations of MIGRATION_DIR to POSTGRES_SCHEMA with psql, the same way as the
# jar's `migrate` command (dev.agentexecutor.postgres.PostgresMigrator): the two share the
# record table, the checksums and the lock, so either may run after the other.
#
# Usage: run-migrations.sh [up | down [N] | status]
#   up        apply every NNN_name.up.sql that is not recorded yet, in version order (default)
#   down [N]  revert the N most recently applied versions with their .down.sql (default N=1)
#   status    list the migrations and whether each is applied
#
# Environment:
#   DATABASE_URL       postgres[ql]://user:password@host:port/db[?params]; wins over POSTGRES_*.
#                      A "jdbc:" prefix is dropped (JDBC-only query parameters are not understood).
#   POSTGRES_HOST      server host (required without DATABASE_URL)
#   POSTGRES_PORT      server port (default 5432)
#   POSTGRES_DB        database (required without DATABASE_URL)
#   POSTGRES_USER      login role (required without DATABASE_URL)
#   POSTGRES_PASSWORD  password (optional; handed to psql through PGPASSWORD, never printed)
#   POSTGRES_SCHEMA    schema that holds the tables (default agent_executor; created if absent)
#   MIGRATION_DIR      directory of NNN_name.up.sql / NNN_name.down.sql (default /app/migrations)
#
# How: one psql session per run takes pg_advisory_lock(hashtext('agent-executor:migrations:' ||
# lower(schema))), so several pods may run this at once: the first applies, the others wait and
# then find nothing to do. Each migration runs in one transaction together with its row in
# <schema>.schema_migrations(version, name, checksum = sha256 of the file, applied_at). A recorded
# migration whose file has changed since is reported, not re-applied.
#
# Exit codes:
#   0  success (also when there was nothing to do)
#   1  a migration failed; its transaction was rolled back and later ones were not attempted
#   2  bad configuration or usage (missing variables, bad schema name, no MIGRATION_DIR, ...)
#   3  the database is unreachable or refused the login
set -uo pipefail

readonly EXIT_MIGRATION_FAILED=1 EXIT_USAGE=2 EXIT_UNREACHABLE=3

fail() { # $1 exit code, $2 message
  echo "run-migrations: $2" >&2
  exit "$1"
}

usage_error() {
  fail "$EXIT_USAGE" "$1 (usage: run-migrations.sh [up | down [N] | status])"
}

parse_arguments() {
  COMMAND=${1:-up}
  DOWN_COUNT=1
  case "$COMMAND" in
    up | status) [ $# -le 1 ] || usage_error "'$COMMAND' takes no argument" ;;
    down)
      [ $# -le 2 ] || usage_error "'down' takes at most one argument"
      DOWN_COUNT=${2:-1}
      [[ "$DOWN_COUNT" =~ ^[1-9][0-9]*$ ]] || usage_error "N must be a positive integer, not '$DOWN_COUNT'"
      ;;
    *) usage_error "unknown command '$COMMAND'" ;;
  esac
}

percent_decode() {
  local encoded=${1//+/ }
  printf '%b' "${encoded//%/\\x}"
}

# Sets the libpq environment (PG*) from DATABASE_URL or POSTGRES_*; the password travels only in
# PGPASSWORD so that it is neither printed nor visible in the process list.
configure_connection() {
  export PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-5} PGAPPNAME=run-migrations
  if [ -n "${DATABASE_URL:-}" ]; then
    local url=${DATABASE_URL#jdbc:}
    [[ "$url" =~ ^postgres(ql)?:// ]] || fail "$EXIT_USAGE" "DATABASE_URL must start with postgresql:// or postgres://"
    if [[ "$url" =~ ^([a-z]+://)([^:@/]*):([^@/]*)@(.*)$ ]]; then
      export PGPASSWORD
      PGPASSWORD=$(percent_decode "${BASH_REMATCH[3]}")
      url="${BASH_REMATCH[1]}${BASH_REMATCH[2]}@${BASH_REMATCH[4]}"
    fi
    CONNECTION=("$url")
    return
  fi
  local name
  for name in POSTGRES_HOST POSTGRES_DB POSTGRES_USER; do
    [ -n "${!name:-}" ] || fail "$EXIT_USAGE" "set DATABASE_URL, or $name (with POSTGRES_HOST, POSTGRES_DB, POSTGRES_USER)"
  done
  local port=${POSTGRES_PORT:-5432}
  [[ "$port" =~ ^[0-9]+$ ]] || fail "$EXIT_USAGE" "POSTGRES_PORT must be a number, not '$port'"
  export PGHOST=$POSTGRES_HOST PGPORT=$port PGDATABASE=$POSTGRES_DB PGUSER=$POSTGRES_USER
  if [ -n "${POSTGRES_PASSWORD:-}" ]; then export PGPASSWORD=$POSTGRES_PASSWORD; fi
  CONNECTION=()
}

configure_schema_and_files() {
  SCHEMA=${POSTGRES_SCHEMA:-agent_executor}
  [[ "$SCHEMA" =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]] ||
    fail "$EXIT_USAGE" "POSTGRES_SCHEMA '$SCHEMA' is not a plain SQL identifier (letters, digits, _)"
  SCHEMA=${SCHEMA,,} # PostgreSQL folds unquoted identifiers to lower case; so do we, everywhere
  local dir=${MIGRATION_DIR:-/app/migrations}
  [ -d "$dir" ] || fail "$EXIT_USAGE" "MIGRATION_DIR '$dir' is not a directory"
  MIGRATION_DIR=$(cd "$dir" && pwd -P)
  [[ "$MIGRATION_DIR" != *\'* ]] || fail "$EXIT_USAGE" "MIGRATION_DIR must not contain a single quote"
}

# Fills VERSIONS (ascending), NAMES[version] and UP_FILES[version] from the *.up.sql files.
scan_migrations() {
  VERSIONS=()
  declare -gA NAMES=() UP_FILES=()
  local file base version
  shopt -s nullglob
  for file in "$MIGRATION_DIR"/*.up.sql; do
    base=$(basename "$file")
    [[ "$base" =~ ^([0-9]+)_([A-Za-z0-9_]+)\.up\.sql$ ]] ||
      fail "$EXIT_USAGE" "migration file '$base' is not named NNN_name.up.sql"
    version=${BASH_REMATCH[1]}
    [ -z "${UP_FILES[$version]:-}" ] || fail "$EXIT_USAGE" "two migrations have version $version"
    NAMES[$version]=${BASH_REMATCH[2]}
    UP_FILES[$version]=$file
    VERSIONS+=("$version")
  done
  shopt -u nullglob
  if [ ${#VERSIONS[@]} -gt 0 ]; then
    mapfile -t VERSIONS < <(printf '%s\n' "${VERSIONS[@]}" | sort -n)
  fi
}

checksum() {
  sha256sum "$1" | cut -d' ' -f1
}

run_psql() { # extra psql arguments; stdin may carry a script
  psql "${CONNECTION[@]}" -X -q -v ON_ERROR_STOP=1 -v schema="$SCHEMA" "$@"
}

# psql exits 2 when the connection failed or was lost and 1 or 3 when a statement failed.
exit_for_psql_status() {
  case "$1" in
    0) return 0 ;;
    2) fail "$EXIT_UNREACHABLE" "lost the connection to PostgreSQL" ;;
    *) fail "$EXIT_MIGRATION_FAILED" "migration failed (rolled back; see the error above)" ;;
  esac
}

check_reachable() {
  local error
  if ! error=$(run_psql -At -c 'SELECT 1' 2>&1 >/dev/null); then
    fail "$EXIT_UNREACHABLE" "cannot connect to PostgreSQL: ${error}"
  fi
}

# Prints "version|name|checksum|applied_at" per recorded migration (nothing before the first run).
recorded_migrations() {
  run_psql -At -F '|' <<'SQL'
SELECT to_regclass(format('%I.schema_migrations', :'schema')) IS NOT NULL AS recorded \gset
\if :recorded
SELECT version, name, checksum, applied_at FROM :"schema".schema_migrations ORDER BY version;
\endif
SQL
}

session_prelude() {
  cat <<'SQL'
SET client_min_messages TO warning;
SELECT pg_advisory_lock(hashtext('agent-executor:migrations:' || :'schema')) \g /dev/null
CREATE SCHEMA IF NOT EXISTS :"schema";
SET search_path TO :"schema";
CREATE TABLE IF NOT EXISTS schema_migrations (
    version TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
\set changed false
SQL
}

# The psql script that applies each pending migration; run under the lock, it decides per
# version whether it is still pending, so a concurrent run that got there first wins.
up_script() {
  session_prelude
  local version file sum
  for version in "${VERSIONS[@]}"; do
    file=${UP_FILES[$version]}
    sum=$(checksum "$file")
    cat <<SQL
SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = '$version') AS applied,
       EXISTS (SELECT 1 FROM schema_migrations WHERE version = '$version' AND checksum <> '$sum') AS drifted \gset
\if :applied
\if :drifted
\echo 'warning: $(basename "$file") changed after it was applied; not applying it again'
\endif
\else
\echo 'applying $(basename "$file")'
BEGIN;
\i '$file'
INSERT INTO schema_migrations (version, name, checksum) VALUES ('$version', '${NAMES[$version]}', '$sum');
COMMIT;
\set changed true
\endif
SQL
  done
  cat <<'SQL'
\if :changed
\echo 'schema' :schema 'migrated'
\else
\echo 'schema' :schema 'is up to date'
\endif
SQL
}

down_script() { # versions to revert, newest first
  session_prelude
  local version file
  for version in "$@"; do
    file=${UP_FILES[$version]%.up.sql}.down.sql
    cat <<SQL
SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = '$version') AS applied \gset
\if :applied
\echo 'reverting $(basename "$file")'
BEGIN;
\i '$file'
DELETE FROM schema_migrations WHERE version = '$version';
COMMIT;
\set changed true
\endif
SQL
  done
}

command_up() {
  up_script | run_psql
  exit_for_psql_status $?
}

command_down() {
  local recorded version targets=()
  recorded=$(recorded_migrations) || exit_for_psql_status $?
  while IFS='|' read -r version _; do
    [ -n "$version" ] && targets=("$version" "${targets[@]}")
  done <<<"$recorded"
  targets=("${targets[@]:0:$DOWN_COUNT}")
  if [ ${#targets[@]} -eq 0 ]; then
    echo "nothing to revert in schema $SCHEMA"
    return 0
  fi
  for version in "${targets[@]}"; do
    [ -n "${UP_FILES[$version]:-}" ] && [ -f "${UP_FILES[$version]%.up.sql}.down.sql" ] ||
      fail "$EXIT_USAGE" "no .down.sql for applied version $version in $MIGRATION_DIR"
  done
  down_script "${targets[@]}" | run_psql
  exit_for_psql_status $?
}

command_status() {
  local recorded version name sum applied_at
  recorded=$(recorded_migrations) || exit_for_psql_status $?
  declare -A recorded_sum=() recorded_at=()
  while IFS='|' read -r version name sum applied_at; do
    [ -n "$version" ] || continue
    recorded_sum[$version]=$sum
    recorded_at[$version]=$applied_at
    [ -n "${UP_FILES[$version]:-}" ] || printf '%s  %-40s applied %s (file missing)\n' "$version" "$name" "$applied_at"
  done <<<"$recorded"
  for version in "${VERSIONS[@]}"; do
    name=${NAMES[$version]}
    if [ -z "${recorded_sum[$version]:-}" ]; then
      printf '%s  %-40s pending\n' "$version" "$name"
    elif [ "${recorded_sum[$version]}" != "$(checksum "${UP_FILES[$version]}")" ]; then
      printf '%s  %-40s applied %s (file changed since)\n' "$version" "$name" "${recorded_at[$version]}"
    else
      printf '%s  %-40s applied %s\n' "$version" "$name" "${recorded_at[$version]}"
    fi
  done
}

main() {
  parse_arguments "$@"
  command -v psql >/dev/null 2>&1 || fail "$EXIT_USAGE" "psql is not installed"
  configure_connection
  configure_schema_and_files
  scan_migrations
  check_reachable
  case "$COMMAND" in
    up) command_up ;;
    down) command_down ;;
    status) command_status ;;
  esac
}

main "$@"
