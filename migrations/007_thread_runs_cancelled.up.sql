-- A queued run can be cancelled before its turn (issue 12, cancel from anywhere): its row is kept,
-- marked 'cancelled', until the job asks for its turn again and ends as cancelled without running.
ALTER TABLE thread_runs DROP CONSTRAINT IF EXISTS thread_runs_status_check;
ALTER TABLE thread_runs ADD CONSTRAINT thread_runs_status_check
    CHECK (status IN ('queued', 'running', 'cancelled'));
