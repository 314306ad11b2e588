-- The job lifecycle (issue 12): a job may wait in the queue, run, park for people's decisions
-- (interrupt_on) and be resumed on any replica, so its record now carries what a resume needs
-- without the job being sent again.
--   thread_id   the conversation the job ran on; NULL (rows of older versions) means its job_id
--   job         the job object as sent (CloudEvent data or /invoke body): a resume re-reads it
--   interrupts  the pending interrupts of an interrupted job
--   decisions   the decisions of the latest resume, by interrupt id: a resume that crashed
--               continues with them and never applies a decision twice
--   usage       the job's token usage so far (of every attempt and resume)
--   parked_at   when the job last parked (interrupted jobs expire INTERRUPT_TTL_SECONDS later)

ALTER TABLE jobs DROP CONSTRAINT IF EXISTS jobs_status_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_status_check
    CHECK (status IN ('queued', 'running', 'interrupted', 'completed', 'failed', 'cancelled'));

ALTER TABLE jobs
    ADD COLUMN IF NOT EXISTS thread_id TEXT,
    ADD COLUMN IF NOT EXISTS job JSONB,
    ADD COLUMN IF NOT EXISTS interrupts JSONB,
    ADD COLUMN IF NOT EXISTS decisions JSONB,
    ADD COLUMN IF NOT EXISTS usage JSONB,
    ADD COLUMN IF NOT EXISTS parked_at TIMESTAMPTZ;

-- Every job so far ran on its own thread; filling the column lets thread queries use the index.
UPDATE jobs SET thread_id = job_id WHERE thread_id IS NULL;

-- A thread's runs in order, and a tenant's jobs newest first (GET /jobs).
CREATE INDEX IF NOT EXISTS jobs_thread_id_created_at_idx ON jobs (thread_id, created_at);
CREATE INDEX IF NOT EXISTS jobs_tenant_created_at_idx ON jobs (tenant, created_at);
-- The expiry sweep: parked jobs by the time they parked.
CREATE INDEX IF NOT EXISTS jobs_parked_at_idx ON jobs (parked_at) WHERE status = 'interrupted';
