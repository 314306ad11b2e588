-- The tenant each job belongs to (API_TOKENS `token=tenant`, or a NATS job's `tenant` CloudEvent
-- attribute); other tenants get 404 for it. Rows written before this migration belong to the
-- default tenant. While a job runs, its checkpoints' metadata carry the tenant instead.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS tenant TEXT NOT NULL DEFAULT 'default';
