-- Reverts 005: drops the result outbox's column and index (unpublished results stay unpublished).
DROP INDEX IF EXISTS jobs_unpublished_results_idx;
ALTER TABLE jobs DROP COLUMN IF EXISTS result_published_at;
