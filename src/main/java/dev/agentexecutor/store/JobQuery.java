package dev.agentexecutor.store;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Which job records a list asks for, newest first (created_at, then job_id, both descending): one
 * tenant's or every tenant's, some statuses or all, one thread's or all, at most {@code limit}, and
 * only those after {@code after} in that order (keyset paging).
 *
 * @param tenant the owner whose jobs are listed; empty lists every tenant's (open mode)
 * @param statuses the statuses listed; empty lists every status
 * @param threadId the thread whose jobs are listed; empty lists every thread's
 * @param after the last record of the previous page; empty starts with the newest
 * @param limit how many records at most, 1 or more
 */
public record JobQuery(
    Optional<String> tenant,
    Set<JobStatus> statuses,
    Optional<String> threadId,
    Optional<Position> after,
    int limit) {

  /** A place in the list order: a record's creation time and job id. */
  public record Position(Instant createdAt, String jobId) {
    public static Position of(JobRecord record) {
      return new Position(record.createdAt(), record.jobId());
    }

    /**
     * Whether {@code record} comes after this position in the list (older, or as old and a lower
     * id).
     */
    public boolean precedes(JobRecord record) {
      int byTime = record.createdAt().compareTo(createdAt);
      return byTime < 0 || (byTime == 0 && record.jobId().compareTo(jobId) < 0);
    }
  }

  public JobQuery {
    statuses = Set.copyOf(statuses);
    if (limit < 1) throw new IllegalArgumentException("limit must be 1 or more: " + limit);
  }

  /** Whether the record is one this query lists, wherever it is in the order. */
  public boolean matches(JobRecord record) {
    return tenant.map(record.tenant()::equals).orElse(true)
        && (statuses.isEmpty() || statuses.contains(record.status()))
        && threadId.map(JobQuery.threadOf(record)::equals).orElse(true)
        && after.map(position -> position.precedes(record)).orElse(true);
  }

  /** The thread a job ran on (its own id when it named none). */
  public static String threadOf(JobRecord record) {
    return record.threadId();
  }
}
