package dev.agentexecutor.store;

import java.time.Instant;
import java.util.Optional;

/** Status and final result of each job: the source of idempotency and of GET /state. */
public interface JobStore {
  Optional<JobRecord> find(String jobId);

  /** Inserts or replaces the record (status running when a job starts, final when it ends). */
  void save(JobRecord record);

  /** Removes the job's record; false when there was none. */
  boolean delete(String jobId);

  /**
   * Removes finished jobs last updated before the cutoff, with their checkpoints, and returns how
   * many jobs were removed.
   */
  int deleteFinishedBefore(Instant cutoff);
}
