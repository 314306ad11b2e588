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

  /**
   * Inserts or replaces the job's record (its final status and result event). The result is then
   * unpublished (in the outbox) until {@link #markPublished} records its publication.
   */
  void save(JobRecord record);

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
   * many jobs were removed.
   */
  int deleteFinishedBefore(Instant cutoff);
}
