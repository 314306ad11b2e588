-- Status and final result of each job: the source of idempotency (a redelivered completed job
-- republishes result_event) and of GET /state. job_id is also the checkpoints' thread_id.

CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    trace_id TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    result_event JSONB,
    error TEXT
);

-- The retention sweep deletes finished jobs by age: WHERE status IN (finished ones) AND updated_at < $1.
CREATE INDEX IF NOT EXISTS jobs_status_updated_at_idx ON jobs (status, updated_at);
