-- Reverts 004: jobs that are queued or parked cannot be represented before it, so they become
-- failed (their result events were never published; a redelivery republishes nothing).
UPDATE jobs
SET status = 'failed',
    error = 'the job was ' || status || ' when migration 004 was reverted',
    updated_at = now()
WHERE status IN ('queued', 'interrupted');

DROP INDEX IF EXISTS jobs_parked_at_idx;
DROP INDEX IF EXISTS jobs_tenant_created_at_idx;
DROP INDEX IF EXISTS jobs_thread_id_created_at_idx;

ALTER TABLE jobs
    DROP COLUMN IF EXISTS parked_at,
    DROP COLUMN IF EXISTS usage,
    DROP COLUMN IF EXISTS decisions,
    DROP COLUMN IF EXISTS interrupts,
    DROP COLUMN IF EXISTS job,
    DROP COLUMN IF EXISTS thread_id;

ALTER TABLE jobs DROP CONSTRAINT IF EXISTS jobs_status_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_status_check
    CHECK (status IN ('running', 'completed', 'failed', 'cancelled'));
