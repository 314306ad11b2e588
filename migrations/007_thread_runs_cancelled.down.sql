-- Back to 006: runs cancelled in line are forgotten (their jobs then wait in line again).
DELETE FROM thread_runs WHERE status = 'cancelled';
ALTER TABLE thread_runs DROP CONSTRAINT IF EXISTS thread_runs_status_check;
ALTER TABLE thread_runs ADD CONSTRAINT thread_runs_status_check
    CHECK (status IN ('queued', 'running'));
