#!/usr/bin/env bash
# Regenerates src/test/resources/langgraph/saver-thread.json: the rows LangGraph's own PostgreSQL
# saver (the version pinned in package.json) writes for a one-node graph, in tables created by
# this service's migration 001. LangGraphSaverCompatibilityTest inserts them to prove the service
# answers a clear CHECKPOINT_INCOMPATIBLE problem for such a thread, without needing Node.
# Needs node, npm, psql and the test PostgreSQL (127.0.0.1:5432, database test, user postgres).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
schema="lg_capture_$$"
thread="langgraph-thread"
psql_() { PGOPTIONS="-c client_min_messages=warning" psql -h 127.0.0.1 -U postgres -d test -q -v ON_ERROR_STOP=1 "$@"; }
trap 'psql_ -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null' EXIT

(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
psql_ -c "CREATE SCHEMA $schema"
{ echo "SET search_path TO $schema;"; cat "$repo/migrations/001_create_checkpointer_tables.up.sql"; } | psql_
(cd "$here" && DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node write-thread.mjs "$schema" "$thread")
mkdir -p "$repo/src/test/resources/langgraph"
psql_ -At -c "
SELECT jsonb_pretty(jsonb_build_object(
  'written_by', '@langchain/langgraph-checkpoint-postgres ' || '$(node -p "require('$here/node_modules/@langchain/langgraph-checkpoint-postgres/package.json').version")',
  'checkpoints', (SELECT jsonb_agg(jsonb_build_object('checkpoint_ns', checkpoint_ns, 'checkpoint_id', checkpoint_id,
      'parent_checkpoint_id', parent_checkpoint_id, 'type', type, 'checkpoint', checkpoint, 'metadata', metadata)
      ORDER BY checkpoint_id) FROM $schema.checkpoints WHERE thread_id = '$thread'),
  'blobs', (SELECT jsonb_agg(jsonb_build_object('checkpoint_ns', checkpoint_ns, 'channel', channel, 'version', version,
      'type', type, 'blob', encode(blob, 'base64')) ORDER BY channel, version) FROM $schema.checkpoint_blobs WHERE thread_id = '$thread'),
  'writes', (SELECT jsonb_agg(jsonb_build_object('checkpoint_ns', checkpoint_ns, 'checkpoint_id', checkpoint_id,
      'task_id', task_id, 'idx', idx, 'channel', channel, 'type', type, 'blob', encode(blob, 'base64'), 'task_path', task_path)
      ORDER BY checkpoint_id, task_id, idx) FROM $schema.checkpoint_writes WHERE thread_id = '$thread')))" \
  > "$repo/src/test/resources/langgraph/saver-thread.json"
echo "wrote src/test/resources/langgraph/saver-thread.json"
