-- Reverts 002: drops the job records.
DROP TABLE IF EXISTS jobs;
