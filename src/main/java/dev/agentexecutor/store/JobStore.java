package dev.agentexecutor.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The final status and result of each job: the source of idempotency and of GET /state. A record is
 * written once, when the job ends; there is no "running" record (a running job is known by its
 * checkpoints, see docs/decisions.md).
 */
public interface JobStore {
  Optional<JobRecord> find(String jobId);

  /** Inserts or replaces the job's record (its final status and result event). */
  void save(JobRecord record);

  /** Removes the job's record; false when there was none. */
  boolean delete(String jobId);

  /**
   * Removes finished jobs last updated before the cutoff, with their checkpoints, and returns how
   * many jobs were removed.
   */
  int deleteFinishedBefore(Instant cutoff);

  /**
   * The records the query asks for, newest first (created_at, then job_id, descending), at most
   * {@code query.limit()} of them.
   */
  List<JobRecord> list(JobQuery query);
}
