package dev.agentexecutor.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.app.Application;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.job.Job;
import dev.agentexecutor.job.JobParser;
import dev.agentexecutor.model.ModelClient;
import dev.agentexecutor.model.provider.ModelRouter;
import dev.agentexecutor.observability.Metrics;
import dev.agentexecutor.observability.Redactor;
import dev.agentexecutor.observability.Tracing;
import dev.agentexecutor.publish.MemoryResultPublisher;
import dev.agentexecutor.store.JobStatus;
import dev.agentexecutor.stream.StreamedEvent;
import dev.agentexecutor.testkit.TestJobs;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runner's shutdown, as Temporal's worker: intake closes, running jobs get one deadline, what
 * still runs is abandoned through its run control (never finished as failed or cancelled) and
 * joined before the call returns.
 */
class RunnerShutdownTest {
  private final Settings settings = Settings.from(Map.of("LLM_PROVIDER", "scripted"));
  private final Application app = Application.offline(settings);
  private final JobRunner runner = app.runner();

  @AfterEach
  void close() {
    app.close();
  }

  private static Job slowJob(String jobId, int steps, int delayMs) {
    return JobParser.fromJobNode(TestJobs.slowScripted(jobId, steps, delayMs));
  }

  private long published(String jobId) {
    return ((MemoryResultPublisher) app.backends().results())
        .published().stream().filter(e -> jobId.equals(e.getSubject())).count();
  }

  private void awaitFirstCheckpoint(String jobId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (app.backends().checkpointer().latest(jobId, "").isEmpty()) {
      assertThat(System.nanoTime()).as("the job started").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void aRunningJobFinishesWithinTheDeadline() throws Exception {
    String jobId = TestJobs.newJobId();
    assertThat(runner.start(slowJob(jobId, 4, 100), () -> {})).isTrue();
    awaitFirstCheckpoint(jobId);

    assertThat(runner.shutdown(Duration.ofSeconds(20))).isTrue();

    assertThat(runner.isRunning(jobId)).isFalse();
    assertThat(app.backends().jobs().find(jobId).orElseThrow().status())
        .isEqualTo(JobStatus.COMPLETED);
    assertThat(published(jobId)).isEqualTo(1);
  }

  @Test
  void aJobOverTheDeadlineIsAbandonedAndJoinedAndResumesLater() throws Exception {
    String jobId = TestJobs.newJobId();
    CountDownLatch ended = new CountDownLatch(1);
    assertThat(runner.start(slowJob(jobId, 100, 100), ended::countDown)).isTrue();
    awaitFirstCheckpoint(jobId);
    long started = System.nanoTime();

    boolean drained = runner.shutdown(Duration.ofMillis(300));

    long tookMillis = (System.nanoTime() - started) / 1_000_000;
    assertThat(drained).isFalse();
    assertThat(tookMillis).as("one deadline, then a step at most").isLessThan(3_000);
    assertThat(runner.isRunning(jobId)).as("joined").isFalse();
    assertThat(ended.await(5, TimeUnit.SECONDS)).isTrue();
    // Not finished: no record, no result, no end event; its checkpoints are where it resumes.
    assertThat(app.backends().jobs().find(jobId)).isEmpty();
    assertThat(published(jobId)).isZero();
    Optional<StreamedEvent> last = app.backends().events().last(jobId);
    assertThat(last.map(e -> e.event().isEnd())).isNotEqualTo(Optional.of(true));
    Checkpoint abandonedAt = app.backends().checkpointer().latest(jobId, "").orElseThrow();
    assertThat(abandonedAt.next()).isNotEqualTo(Checkpoint.Next.DONE);

    ModelRouter router = new ModelRouter(settings.model(), new Metrics());
    AtomicInteger modelCalls = new AtomicInteger();
    ModelClient counting =
        (request, tokens) -> {
          modelCalls.incrementAndGet();
          return router.chat(request, tokens);
        };
    JobRunner next =
        new JobRunner(
            app.backends(),
            counting,
            settings,
            new Metrics(),
            new Redactor(),
            Tracing.disabled(),
            Clock.systemUTC());
    Outcome resumed = next.execute(slowJob(jobId, 100, 1));
    assertThat(resumed).isInstanceOf(Outcome.Completed.class);
    assertThat(modelCalls.get())
        .as("resumed from its checkpoints: fewer than the job's 101 model calls")
        .isBetween(1, 100);
  }

  @Test
  void noJobRunsOnceShutdownBegan() {
    runner.shutdownNow();
    String jobId = TestJobs.newJobId();

    assertThat(runner.accepting()).isFalse();
    assertThat(runner.execute(slowJob(jobId, 1, 0))).isInstanceOf(Outcome.Retry.class);
    assertThat(runner.start(slowJob(jobId, 1, 0), () -> {})).isFalse();
    assertThat(app.backends().checkpointer().latest(jobId, "")).isEmpty();
    assertThat(published(jobId)).isZero();
  }
}
