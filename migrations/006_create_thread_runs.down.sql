-- Reverts 006: drops the turns of runs on threads (queued jobs then start when asked again).
DROP TABLE IF EXISTS thread_runs;
