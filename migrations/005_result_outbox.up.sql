-- The result outbox: a job's result event is stored (result_event) before it is published, and
-- result_published_at is set once NATS confirmed the publish. The relay publishes the stored
-- results that have none yet (NATS was down), oldest first; every save of a new result event
-- clears it again.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS result_published_at TIMESTAMPTZ;

-- Existing results were published (or are past help): the relay does not resend them.
UPDATE jobs SET result_published_at = updated_at
WHERE result_event IS NOT NULL AND result_published_at IS NULL;

-- The relay's query: unpublished results, oldest first. Small: only rows waiting for NATS.
CREATE INDEX IF NOT EXISTS jobs_unpublished_results_idx ON jobs (updated_at)
WHERE result_event IS NOT NULL AND result_published_at IS NULL;
