package dev.agentexecutor.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The status and result of each job: the source of idempotency, of GET /state and of the lifecycle
 * (docs/job-lifecycle.md). A finished job's record is written once, when it ends; a parked job's
 * record holds what its resume needs. Moves that must happen once across replicas (resume, expiry,
 * cancel of a parked job) go through {@link #transition}.
 */
public interface JobStore {
  Optional<JobRecord> find(String jobId);

  /**
   * Inserts or replaces the job's record (its final status and result event). The result is then
   * unpublished (in the outbox) until {@link #markPublished} records its publication.
   */
  void save(JobRecord record);

  /**
   * Replaces the job's record with {@code next} only if its stored status is {@code expected}, as
   * one atomic step (compare-and-set): of two replicas moving the same job, one wins. False when
   * there is no record or its status is another.
   */
  boolean transition(String jobId, JobStatus expected, JobRecord next);

  /** Up to {@code limit} interrupted jobs that parked before {@code cutoff}, oldest first. */
  List<JobRecord> interruptedBefore(Instant cutoff, int limit);

  /**
   * The result outbox: records whose result event is stored but not confirmed published, last
   * updated before {@code before}, oldest first, at most {@code limit}. A store without an outbox
   * has none.
   */
  default List<JobRecord> unpublishedResults(Instant before, int limit) {
    return List.of();
  }

  /**
   * Records that these results were published (confirmed by the publisher). A job whose stored
   * result is another event by now stays in the outbox.
   */
  default void markPublished(List<PublishedResult> published) {}

  /** Removes the job's record; false when there was none. */
  boolean delete(String jobId);

  /**
   * Removes finished jobs last updated before the cutoff, with their checkpoints, and returns how
   * many jobs were removed. Queued, running and interrupted jobs are never removed.
   */
  int deleteFinishedBefore(Instant cutoff);

  /**
   * The records the query asks for, newest first (created_at, then job_id, descending), at most
   * {@code query.limit()} of them.
   */
  List<JobRecord> list(JobQuery query);
}
