-- Runs taking turns on a thread (issue 12, multitask_strategy). A job that names a thread_id holds
-- a row while it runs ('running') or waits for the thread ('queued'); the row goes when the run
-- ends. Replicas decide whose turn it is under a transaction-scoped advisory lock per thread, so
-- at most one run of a thread is running and queued runs start in the order they came.
--   updated_at  refreshed by a waiting job each time it asks again: a queued row nobody refreshes
--               (its replica died) is skipped after a while; a running row after the run timeout
CREATE TABLE IF NOT EXISTS thread_runs (
    job_id      TEXT PRIMARY KEY,
    thread_id   TEXT NOT NULL,
    tenant      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('queued', 'running')),
    jumps_queue BOOLEAN NOT NULL DEFAULT false,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS thread_runs_thread_id_created_at_idx ON thread_runs (thread_id, created_at);
