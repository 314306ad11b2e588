package dev.agentexecutor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.checkpoint.SampleRun;
import dev.agentexecutor.util.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link JobStore} must do; each implementation's test extends this. */
public abstract class JobStoreContract {
  /** Microseconds: the finest precision every store keeps. */
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

  /** The store under test and the checkpointer whose threads it sweeps with finished jobs. */
  public record Stores(JobStore jobs, Checkpointer checkpoints) {}

  protected abstract Stores stores();

  private JobStore jobStore() {
    return stores().jobs();
  }

  private Checkpointer checkpointer() {
    return stores().checkpoints();
  }

  private static JobRecord running(Instant startedAt) {
    return new JobRecord(
        "job-" + UUID.randomUUID(),
        "trace-" + UUID.randomUUID(),
        JobStatus.RUNNING,
        startedAt,
        startedAt,
        null,
        null);
  }

  @Test
  void findReturnsWhatWasSaved() {
    JobRecord job = running(NOW);
    jobStore().save(job);

    assertThat(jobStore().find(job.jobId())).contains(job);
  }

  @Test
  void aRecordKeepsItsTenant() {
    JobRecord running = running(NOW);
    JobRecord owned =
        new JobRecord(
            running.jobId(),
            running.traceId(),
            JobStatus.COMPLETED,
            NOW,
            NOW,
            Json.object().put("id", "e-1"),
            null,
            "acme");
    jobStore().save(owned);

    assertThat(jobStore().find(owned.jobId()))
        .get()
        .extracting(JobRecord::tenant)
        .isEqualTo("acme");
    assertThat(running.tenant()).isEqualTo("default");
  }

  private static JobRecord finished(String jobId, String eventId, Instant at) {
    return new JobRecord(
        jobId,
        "trace",
        JobStatus.COMPLETED,
        at,
        at,
        Json.object().put("id", eventId).put("subject", jobId),
        null);
  }

  /** The outbox's records among {@code jobIds} (other tests may share the store). */
  private List<String> unpublished(Instant before, String... jobIds) {
    List<String> ours = List.of(jobIds);
    return jobStore().unpublishedResults(before, 1000).stream()
        .map(JobRecord::jobId)
        .filter(ours::contains)
        .toList();
  }

  @Test
  void storedResultsAreInTheOutboxOldestFirstUntilMarkedPublished() {
    String older = "job-" + UUID.randomUUID();
    String newer = "job-" + UUID.randomUUID();
    JobRecord runningJob = running(NOW.minusSeconds(20));
    jobStore().save(finished(newer, "e-new", NOW.minusSeconds(5)));
    jobStore().save(finished(older, "e-old", NOW.minusSeconds(10)));
    jobStore().save(runningJob);

    assertThat(unpublished(NOW, older, newer, runningJob.jobId()))
        .as("results without a confirmed publish, oldest first; a running job has none")
        .containsExactly(older, newer);
    assertThat(unpublished(NOW.minusSeconds(7), older, newer)).containsExactly(older);

    jobStore().markPublished(List.of(new PublishedResult(older, "e-old")));

    assertThat(unpublished(NOW, older, newer)).containsExactly(newer);
    assertThat(jobStore().find(older))
        .get()
        .extracting(JobRecord::status)
        .isEqualTo(JobStatus.COMPLETED);
  }

  @Test
  void aNewResultOfTheSameJobIsUnpublishedAgainAndAnOldMarkDoesNotCoverIt() {
    String jobId = "job-" + UUID.randomUUID();
    jobStore().save(finished(jobId, "e-1", NOW.minusSeconds(10)));
    jobStore().markPublished(List.of(new PublishedResult(jobId, "e-1")));
    assertThat(unpublished(NOW, jobId)).isEmpty();

    jobStore().save(finished(jobId, "e-2", NOW.minusSeconds(5)));
    assertThat(unpublished(NOW, jobId)).containsExactly(jobId);

    jobStore().markPublished(List.of(new PublishedResult(jobId, "e-1")));
    assertThat(unpublished(NOW, jobId)).as("the mark of the earlier event").containsExactly(jobId);
    jobStore().markPublished(List.of(new PublishedResult(jobId, "e-2")));
    assertThat(unpublished(NOW, jobId)).isEmpty();
  }

  @Test
  void findOfAnUnknownJobIsEmpty() {
    assertThat(jobStore().find("job-" + UUID.randomUUID())).isEmpty();
  }

  @Test
  void saveReplacesTheRecordOfTheSameJob() {
    JobRecord job = running(NOW);
    jobStore().save(job);
    JobRecord completed =
        job.finish(
            JobStatus.COMPLETED,
            Json.object().put("type", "agent.status.completed").put("id", job.jobId()),
            null,
            NOW.plusSeconds(2));
    jobStore().save(completed);
    JobRecord failed =
        running(NOW).finish(JobStatus.FAILED, null, "model refused", NOW.plusSeconds(1));
    jobStore().save(failed);

    assertThat(jobStore().find(job.jobId())).contains(completed);
    assertThat(jobStore().find(failed.jobId())).contains(failed);
  }

  @Test
  void deleteRemovesTheRecordAndSaysWhetherThereWasOne() {
    JobRecord job = running(NOW);
    jobStore().save(job);

    assertThat(jobStore().delete(job.jobId())).isTrue();
    assertThat(jobStore().find(job.jobId())).isEmpty();
    assertThat(jobStore().delete(job.jobId())).isFalse();
  }

  @Test
  void deleteFinishedBeforeRemovesOnlyOldFinishedJobsWithTheirCheckpoints() {
    Instant longAgo = NOW.minus(Duration.ofDays(2));
    JobRecord oldCompleted =
        saveWithCheckpoint(
            running(longAgo).finish(JobStatus.COMPLETED, Json.object(), null, longAgo));
    JobRecord oldCancelled =
        saveWithCheckpoint(
            running(longAgo).finish(JobStatus.CANCELLED, null, "cancelled", longAgo));
    JobRecord oldRunning = saveWithCheckpoint(running(longAgo));
    JobRecord recentFailed =
        saveWithCheckpoint(running(NOW).finish(JobStatus.FAILED, null, "boom", NOW));

    int removed = jobStore().deleteFinishedBefore(NOW.minus(Duration.ofDays(1)));

    assertThat(removed).isEqualTo(2);
    assertThat(jobStore().find(oldCompleted.jobId())).isEmpty();
    assertThat(jobStore().find(oldCancelled.jobId())).isEmpty();
    assertThat(checkpointer().latest(oldCompleted.jobId(), "")).isEmpty();
    assertThat(checkpointer().latest(oldCancelled.jobId(), "")).isEmpty();
    assertThat(jobStore().find(oldRunning.jobId())).contains(oldRunning);
    assertThat(jobStore().find(recentFailed.jobId())).contains(recentFailed);
    assertThat(checkpointer().latest(oldRunning.jobId(), "")).isPresent();
    assertThat(checkpointer().latest(recentFailed.jobId(), "")).isPresent();
  }

  private JobRecord saveWithCheckpoint(JobRecord job) {
    jobStore().save(job);
    SampleRun run = SampleRun.started(checkpointer(), job.jobId());
    run.step();
    return job;
  }
}
