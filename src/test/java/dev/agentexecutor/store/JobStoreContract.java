package dev.agentexecutor.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.checkpoint.SampleRun;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.util.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

  private static JobRecord parked(Instant parkedAt) {
    ObjectNode source = Json.object().put("job_id", "j").put("trace_id", "t");
    source.putObject("input_payload").put("task", "deploy");
    ArrayNode interrupts = Json.MAPPER.createArrayNode();
    interrupts.addObject().put("id", "|call_1").put("tool", "deploy");
    return running(parkedAt)
        .withJob("thread-" + UUID.randomUUID(), source)
        .interrupted(
            interrupts,
            new Usage(120, 30, 10, 0),
            Json.object().put("type", "dev.my-platform.agent.interrupted"),
            parkedAt);
  }

  @Test
  void aParkedJobKeepsWhatItsResumeNeeds() {
    JobRecord parked = parked(NOW);
    jobStore().save(parked);

    JobRecord found = jobStore().find(parked.jobId()).orElseThrow();
    assertThat(found).isEqualTo(parked);
    assertThat(found.status()).isEqualTo(JobStatus.INTERRUPTED);
    assertThat(found.threadId()).startsWith("thread-");
    assertThat(found.job().path("input_payload").path("task").asText()).isEqualTo("deploy");
    assertThat(found.interrupts().get(0).path("id").asText()).isEqualTo("|call_1");
    assertThat(found.usage()).isEqualTo(new Usage(120, 30, 10, 0));
    assertThat(found.parkedAt()).isEqualTo(NOW);
  }

  @Test
  void aJobWithoutAThreadIsOnItsOwn() {
    JobRecord job = running(NOW);
    jobStore().save(job);

    assertThat(jobStore().find(job.jobId()).orElseThrow().threadId()).isEqualTo(job.jobId());
  }

  @Test
  void aTransitionHappensOnlyFromTheExpectedStatus() {
    JobRecord parked = parked(NOW);
    jobStore().save(parked);
    ObjectNode decisions = Json.object();
    decisions.putObject("|call_1").put("type", "approve");
    JobRecord resumed = parked.resumed(decisions, NOW.plusSeconds(5));

    assertThat(jobStore().transition(parked.jobId(), JobStatus.INTERRUPTED, resumed)).isTrue();
    assertThat(jobStore().transition(parked.jobId(), JobStatus.INTERRUPTED, resumed)).isFalse();
    JobRecord neverSaved = parked(NOW);
    assertThat(
            jobStore()
                .transition(
                    neverSaved.jobId(),
                    JobStatus.INTERRUPTED,
                    neverSaved.resumed(decisions, NOW.plusSeconds(5))))
        .isFalse();
    assertThat(jobStore().find(neverSaved.jobId())).isEmpty();

    JobRecord found = jobStore().find(parked.jobId()).orElseThrow();
    assertThat(found).isEqualTo(resumed);
    assertThat(found.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(found.interrupts()).isNull();
    assertThat(found.decisions().path("|call_1").path("type").asText()).isEqualTo("approve");
    assertThat(found.job()).isEqualTo(parked.job());
  }

  @Test
  void ofConcurrentTransitionsFromOneStatusExactlyOneWins() throws Exception {
    JobRecord parked = parked(NOW);
    jobStore().save(parked);
    int contenders = 8;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(contenders)) {
      for (int i = 0; i < contenders; i++) {
        ObjectNode decisions = Json.object();
        decisions.putObject("|call_1").put("type", "reject").put("message", "no " + i);
        JobRecord next = parked.resumed(decisions, NOW.plusSeconds(1));
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return jobStore().transition(parked.jobId(), JobStatus.INTERRUPTED, next);
                }));
      }
      go.countDown();
      int won = 0;
      for (Future<Boolean> result : results) if (result.get(10, TimeUnit.SECONDS)) won++;
      assertThat(won).isEqualTo(1);
    }
    assertThat(jobStore().find(parked.jobId()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void interruptedBeforeListsOnlyJobsParkedBeforeTheCutoffOldestFirst() {
    JobRecord oldest = parked(NOW.minus(Duration.ofDays(9)));
    JobRecord old = parked(NOW.minus(Duration.ofDays(8)));
    JobRecord recent = parked(NOW.minus(Duration.ofDays(1)));
    JobRecord finished =
        parked(NOW.minus(Duration.ofDays(10)))
            .finish(JobStatus.COMPLETED, Json.object(), null, NOW.minus(Duration.ofDays(9)));
    for (JobRecord job : List.of(recent, old, finished, oldest)) jobStore().save(job);

    List<JobRecord> expired = jobStore().interruptedBefore(NOW.minus(Duration.ofDays(7)), 1000);

    assertThat(expired)
        .extracting(JobRecord::jobId)
        .containsSubsequence(oldest.jobId(), old.jobId());
    assertThat(expired)
        .extracting(JobRecord::jobId)
        .doesNotContain(recent.jobId(), finished.jobId());
    assertThat(jobStore().interruptedBefore(NOW.minus(Duration.ofDays(7)), 1)).hasSize(1);
  }

  @Test
  void theRetentionSweepNeverRemovesQueuedOrParkedJobs() {
    Instant longAgo = NOW.minus(Duration.ofDays(30));
    JobRecord parked = saveWithCheckpoint(parked(longAgo));
    JobRecord queued =
        saveWithCheckpoint(
            new JobRecord(
                "job-" + UUID.randomUUID(), "t", JobStatus.QUEUED, longAgo, longAgo, null, null));

    jobStore().deleteFinishedBefore(NOW);

    assertThat(jobStore().find(parked.jobId())).contains(parked);
    assertThat(jobStore().find(queued.jobId())).contains(queued);
    assertThat(checkpointer().latest(parked.jobId(), "")).isPresent();
  }

  private JobRecord saveWithCheckpoint(JobRecord job) {
    jobStore().save(job);
    SampleRun run = SampleRun.started(checkpointer(), job.jobId());
    run.step();
    return job;
  }
}
