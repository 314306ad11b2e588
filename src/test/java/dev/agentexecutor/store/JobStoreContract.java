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
import java.util.Optional;
import java.util.Set;
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

  @Test
  void theSweepKeepsAThreadsCheckpointsWhileAnotherRunOnItIsKeptAndTakesThemWithTheLastOne() {
    // Other tests' records may share the store: only this test's records are asserted on.
    Instant longAgo = NOW.minus(Duration.ofDays(30));
    JobRecord firstRun = running(longAgo).finish(JobStatus.COMPLETED, Json.object(), null, longAgo);
    String thread = firstRun.jobId(); // the thread's first run named none: its own id
    saveWithCheckpoint(firstRun);
    Instant later = NOW.minus(Duration.ofDays(20));
    JobRecord laterRun =
        running(later)
            .withJob(thread, Json.object())
            .finish(JobStatus.COMPLETED, Json.object(), null, later);
    jobStore().save(laterRun);

    jobStore().deleteFinishedBefore(NOW.minus(Duration.ofDays(25)));

    assertThat(jobStore().find(firstRun.jobId())).isEmpty();
    assertThat(jobStore().find(laterRun.jobId())).isPresent();
    assertThat(checkpointer().latest(thread, ""))
        .as("the later run's conversation stays")
        .isPresent();

    jobStore().deleteFinishedBefore(NOW.minus(Duration.ofDays(15)));

    assertThat(jobStore().find(laterRun.jobId())).isEmpty();
    assertThat(checkpointer().latest(thread, "")).as("the thread's last run went").isEmpty();
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

  // ---- list ----

  private static String newTenant() {
    return "t-" + UUID.randomUUID().toString().substring(0, 12);
  }

  private JobRecord saved(String jobId, String tenant, JobStatus status, Instant createdAt) {
    JobRecord record =
        new JobRecord(
            jobId, "trace", status, createdAt, createdAt.plusSeconds(1), null, null, tenant);
    jobStore().save(record);
    return record;
  }

  private static JobQuery ofTenant(String tenant, int limit) {
    return new JobQuery(Optional.of(tenant), Set.of(), Optional.empty(), Optional.empty(), limit);
  }

  private static List<String> ids(List<JobRecord> records) {
    return records.stream().map(JobRecord::jobId).toList();
  }

  @Test
  void listIsNewestFirstWithTiesInDescendingJobIdOrder() {
    String tenant = newTenant();
    String prefix = "list-" + UUID.randomUUID() + "-";
    saved(prefix + "a", tenant, JobStatus.COMPLETED, NOW.minusSeconds(30));
    saved(prefix + "B", tenant, JobStatus.COMPLETED, NOW.minusSeconds(10));
    saved(prefix + "b", tenant, JobStatus.FAILED, NOW.minusSeconds(10));
    saved(prefix + "c", tenant, JobStatus.RUNNING, NOW);

    assertThat(ids(jobStore().list(ofTenant(tenant, 50))))
        .containsExactly(prefix + "c", prefix + "b", prefix + "B", prefix + "a");
    assertThat(ids(jobStore().list(ofTenant(tenant, 2))))
        .containsExactly(prefix + "c", prefix + "b");
  }

  @Test
  void pagesAfterAPositionNeitherSkipNorRepeatARecord() {
    String tenant = newTenant();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      // three records share each second: the job id orders them
      String id = "page-" + (char) ('a' + i) + "-" + UUID.randomUUID();
      saved(id, tenant, JobStatus.COMPLETED, NOW.minusSeconds(i / 3));
    }
    expected.addAll(ids(jobStore().list(ofTenant(tenant, 50))));
    assertThat(expected).hasSize(7);

    List<String> paged = new ArrayList<>();
    Optional<JobQuery.Position> after = Optional.empty();
    for (int page = 0; page < 10; page++) {
      List<JobRecord> records =
          jobStore().list(new JobQuery(Optional.of(tenant), Set.of(), Optional.empty(), after, 3));
      paged.addAll(ids(records));
      if (records.size() < 3) break;
      after = Optional.of(JobQuery.Position.of(records.getLast()));
    }

    assertThat(paged).containsExactlyElementsOf(expected);
  }

  @Test
  void listShowsOnlyTheTenantAskedFor() {
    String acme = newTenant();
    String globex = newTenant();
    JobRecord ours = saved("ours-" + UUID.randomUUID(), acme, JobStatus.COMPLETED, NOW);
    JobRecord theirs = saved("theirs-" + UUID.randomUUID(), globex, JobStatus.COMPLETED, NOW);

    assertThat(ids(jobStore().list(ofTenant(acme, 50)))).containsExactly(ours.jobId());
    assertThat(ids(jobStore().list(ofTenant(globex, 50)))).containsExactly(theirs.jobId());
    List<JobRecord> everyone =
        jobStore()
            .list(
                new JobQuery(
                    Optional.empty(),
                    Set.of(),
                    Optional.empty(),
                    Optional.of(new JobQuery.Position(NOW.plusNanos(1000), "")),
                    200));
    assertThat(ids(everyone)).contains(ours.jobId(), theirs.jobId());
  }

  @Test
  void listFiltersByStatusAndThread() {
    String tenant = newTenant();
    JobRecord completed = saved("s-1-" + UUID.randomUUID(), tenant, JobStatus.COMPLETED, NOW);
    JobRecord failed = saved("s-2-" + UUID.randomUUID(), tenant, JobStatus.FAILED, NOW);
    JobRecord cancelled =
        saved("s-3-" + UUID.randomUUID(), tenant, JobStatus.CANCELLED, NOW.minusSeconds(1));
    saved("s-4-" + UUID.randomUUID(), tenant, JobStatus.RUNNING, NOW);

    List<JobRecord> unsuccessful =
        jobStore()
            .list(
                new JobQuery(
                    Optional.of(tenant),
                    Set.of(JobStatus.FAILED, JobStatus.CANCELLED),
                    Optional.empty(),
                    Optional.empty(),
                    50));
    assertThat(ids(unsuccessful)).containsExactly(failed.jobId(), cancelled.jobId());
    List<JobRecord> thread =
        jobStore()
            .list(
                new JobQuery(
                    Optional.of(tenant),
                    Set.of(),
                    Optional.of(JobQuery.threadOf(completed)),
                    Optional.empty(),
                    50));
    assertThat(thread).containsExactly(completed);
  }
}
