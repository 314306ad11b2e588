package dev.agentexecutor.store;

import dev.agentexecutor.checkpoint.Checkpointer;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Job records kept in process memory: the embedded default. */
public final class MemoryJobStore implements JobStore {
  /** The list order: newest first, then the higher job id (as PostgreSQL's "C" collation sorts). */
  static final Comparator<JobRecord> NEWEST_FIRST =
      Comparator.comparing(JobRecord::createdAt).thenComparing(JobRecord::jobId).reversed();

  private final Map<String, JobRecord> jobs = new ConcurrentHashMap<>();

  /** The id of each job's result event that was confirmed published. */
  private final Map<String, String> published = new ConcurrentHashMap<>();

  private final Checkpointer checkpoints;

  /** The checkpointer whose threads are swept together with their finished jobs. */
  public MemoryJobStore(Checkpointer checkpoints) {
    this.checkpoints = checkpoints;
  }

  @Override
  public Optional<JobRecord> find(String jobId) {
    return Optional.ofNullable(jobs.get(jobId));
  }

  @Override
  public void save(JobRecord record) {
    jobs.put(record.jobId(), record);
    published.remove(record.jobId());
  }

  @Override
  public List<JobRecord> unpublishedResults(Instant before, int limit) {
    return jobs.values().stream()
        .filter(job -> job.resultEvent() != null && job.status() != JobStatus.RUNNING)
        .filter(job -> job.updatedAt() != null && job.updatedAt().isBefore(before))
        .filter(job -> !eventId(job).equals(published.get(job.jobId())))
        .sorted(Comparator.comparing(JobRecord::updatedAt))
        .limit(limit)
        .toList();
  }

  @Override
  public void markPublished(List<PublishedResult> results) {
    for (PublishedResult result : results) {
      JobRecord job = jobs.get(result.jobId());
      if (job != null && job.resultEvent() != null && eventId(job).equals(result.eventId()))
        published.put(result.jobId(), result.eventId());
    }
  }

  private static String eventId(JobRecord job) {
    return job.resultEvent().path("id").asText();
  }

  @Override
  public boolean transition(String jobId, JobStatus expected, JobRecord next) {
    if (!next.jobId().equals(jobId))
      throw new IllegalArgumentException("a transition keeps the job id: " + next.jobId());
    boolean[] moved = {false};
    jobs.computeIfPresent(
        jobId,
        (id, current) -> {
          if (current.status() != expected) return current;
          moved[0] = true;
          return next;
        });
    return moved[0];
  }

  @Override
  public List<JobRecord> interruptedBefore(Instant cutoff, int limit) {
    return jobs.values().stream()
        .filter(job -> job.status() == JobStatus.INTERRUPTED && job.parkedAt() != null)
        .filter(job -> job.parkedAt().isBefore(cutoff))
        .sorted(Comparator.comparing(JobRecord::parkedAt))
        .limit(limit)
        .toList();
  }

  @Override
  public boolean delete(String jobId) {
    published.remove(jobId);
    return jobs.remove(jobId) != null;
  }

  @Override
  @SuppressWarnings(
      "ModifyCollectionInEnhancedForLoop") // a ConcurrentHashMap: removal while iterating is
  // defined
  public int deleteFinishedBefore(Instant cutoff) {
    int removed = 0;
    Set<String> threads = new HashSet<>();
    for (JobRecord job : jobs.values()) {
      if (job.status().finished()
          && job.updatedAt().isBefore(cutoff)
          && jobs.remove(job.jobId(), job)) {
        published.remove(job.jobId());
        threads.add(job.threadId());
        removed++;
      }
    }
    // As in PostgreSQL: a thread's checkpoints go only when no other record or newer checkpoint
    // keeps it, so an old first run never takes the conversation of the runs after it.
    for (String thread : threads) {
      boolean kept =
          jobs.values().stream().anyMatch(job -> job.threadId().equals(thread))
              || checkpoints
                  .latest(thread, "")
                  .filter(latest -> !latest.createdAt().isBefore(cutoff))
                  .isPresent();
      if (!kept) checkpoints.deleteThread(thread);
    }
    return removed;
  }

  /** A scan of every record: the embedded store holds one process's jobs, not a database's. */
  @Override
  public List<JobRecord> list(JobQuery query) {
    return jobs.values().stream()
        .filter(query::matches)
        .sorted(NEWEST_FIRST)
        .limit(query.limit())
        .toList();
  }
}
