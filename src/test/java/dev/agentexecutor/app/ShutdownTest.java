package dev.agentexecutor.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.config.Settings;
import dev.agentexecutor.job.JobParser;
import dev.agentexecutor.runner.JobRunner;
import dev.agentexecutor.testkit.TestJobs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service stops in order: intake first, then running jobs get one deadline, what still runs is
 * abandoned and joined, and only then are backends closed, in reverse order of opening.
 */
class ShutdownTest {
  private final Application app =
      Application.offline(Settings.from(Map.of("LLM_PROVIDER", "scripted")));
  private final JobRunner runner = app.runner();
  private final List<String> steps = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    app.close();
  }

  /** A backend that records, when it is closed, whether any job was still running. */
  private AutoCloseable backend(String name) {
    return () -> steps.add("close " + name + (runner.runningCount() == 0 ? "" : " while running"));
  }

  private void startSlowJob(int steps, int delayMs) throws InterruptedException {
    String jobId = TestJobs.newJobId();
    assertThat(
            runner.start(
                JobParser.fromJobNode(TestJobs.slowScripted(jobId, steps, delayMs)), () -> {}))
        .isTrue();
    while (app.backends().checkpointer().latest(jobId, "").isEmpty()) Thread.sleep(5);
  }

  private Shutdown shutdown(Duration drain) {
    Resources resources = new Resources();
    resources.add("postgresql", backend("postgresql"));
    resources.add("redis", backend("redis"));
    resources.add("http", backend("http"));
    return new Shutdown(
        List.of(() -> steps.add("stop intake " + runner.runningCount())),
        runner,
        drain,
        () -> steps.add("settle " + runner.runningCount()),
        resources);
  }

  @Test
  void intakeStopsFirstAndBackendsCloseInReverseOnceTheJobsAreDone() throws Exception {
    startSlowJob(3, 100);

    shutdown(Duration.ofSeconds(20)).run();

    assertThat(steps)
        .containsExactly(
            "stop intake 1", "settle 0", "close http", "close redis", "close postgresql");
  }

  @Test
  void aJobOverTheDeadlineIsAbandonedAndJoinedBeforeAnyBackendCloses() throws Exception {
    startSlowJob(200, 100);
    long started = System.nanoTime();

    shutdown(Duration.ofMillis(200)).run();

    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(3_000);
    assertThat(steps)
        .containsExactly(
            "stop intake 1", "settle 0", "close http", "close redis", "close postgresql");
  }
}
