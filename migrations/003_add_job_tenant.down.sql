-- Reverts 003: drops the jobs' tenant (every job becomes visible to every caller again).
ALTER TABLE jobs DROP COLUMN IF EXISTS tenant;
