package dev.agentexecutor.ingress.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.config.Settings;
import dev.agentexecutor.job.JobParser;
import dev.agentexecutor.nats.NatsConnector;
import dev.agentexecutor.observability.Metrics;
import dev.agentexecutor.runner.Outcome;
import dev.agentexecutor.runner.ThreadAdmin;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.util.Json;
import io.nats.client.Connection;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.impl.Headers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The worker against the shared NATS, each test with its own stream, subjects and consumer. */
@Tag("integration")
class JetStreamWorkerTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final long MAX_PAYLOAD = 64 * 1024;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final Metrics metrics = new Metrics();
  private Settings.Nats settings;
  private Connection nats;

  @BeforeEach
  void connect() throws Exception {
    nats = NatsTestKit.connect(NatsTestKit.SHARED_URL);
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (AutoCloseable closeable : toClose.reversed()) closeable.close();
    if (settings != null) NatsTestKit.deleteStreams(nats, settings);
    nats.close();
  }

  /** Connector and worker on fresh streams; the settings stay for the whole test. */
  private JetStreamWorker startWorker(Settings.Nats wanted, RecordingExecutor executor)
      throws Exception {
    settings = wanted;
    var connector = new NatsConnector(settings).start();
    toClose.add(connector);
    assertThat(connector.awaitReady(WAIT)).as(connector.status()).isTrue();
    var worker =
        new JetStreamWorker(connector, JobParser.withDefaultLimits(MAX_PAYLOAD), executor, metrics)
            .start();
    toClose.add(worker);
    return worker;
  }

  private Settings.Nats settings(Duration ackWait, int maxDeliver, Duration nakDelay, int slots) {
    return NatsTestKit.settings(NatsTestKit.SHARED_URL, ackWait, maxDeliver, nakDelay, slots);
  }

  private void publishJob(String jobId) throws Exception {
    publish(jobId, NatsTestKit.structuredEvent(NatsTestKit.jobJson(jobId)));
  }

  private void publish(String subjectToken, byte[] body) throws Exception {
    nats.jetStream().publish(NatsTestKit.jobSubject(settings, subjectToken), body);
  }

  private ConsumerInfo consumer() throws Exception {
    return NatsTestKit.consumerInfo(nats, settings);
  }

  private void awaitAllSettled() throws Exception {
    NatsTestKit.await(
        "consumer has nothing pending or unacked",
        WAIT,
        () -> consumer().getNumAckPending() == 0 && consumer().getNumPending() == 0);
  }

  private static double count(Metrics metrics, String name) {
    return metrics.registry().get(name).counter().count();
  }

  @Test
  void completedJobIsAckedAndNeverRedelivered() throws Exception {
    var executor = RecordingExecutor.completing();
    startWorker(settings(Duration.ofSeconds(1), 5, Duration.ofMillis(100), 4), executor);
    publishJob("job-1");

    NatsTestKit.await("job ran", WAIT, () -> executor.executions("job-1") == 1);
    awaitAllSettled();
    Thread.sleep(1_500); // longer than the ack wait: an unacked message would be back by now
    assertThat(executor.executions("job-1")).isEqualTo(1);
    assertThat(consumer().getRedelivered()).isZero();
    assertThat(count(metrics, "agent_executor_nats_messages_processed")).isEqualTo(1);
  }

  @Test
  void invalidMessagesAreTermedAndRejectedWithTheirJobIdAndTheNextJobStillRuns() throws Exception {
    var executor = RecordingExecutor.completing();
    startWorker(settings(Duration.ofSeconds(1), 5, Duration.ofMillis(100), 1), executor);
    var noDefinition = Json.object().put("job_id", "bad-1");
    noDefinition.putObject("input_payload");
    publish("garbage", "not json at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    publish("bad-1", NatsTestKit.structuredEvent(Json.writeBytes(noDefinition)));
    publish(
        "huge", NatsTestKit.structuredEvent(NatsTestKit.jobJson("x".repeat((int) MAX_PAYLOAD))));
    publishJob("good-1");

    NatsTestKit.await("good job ran", WAIT, () -> executor.executions("good-1") == 1);
    awaitAllSettled();
    Thread.sleep(1_500);
    assertThat(executor.rejected).extracting(e -> e.jobId()).containsExactly(null, "bad-1", null);
    assertThat(executor.rejected).extracting(e -> e.status()).containsExactly(400, 400, 413);
    assertThat(executor.executed).hasSize(1);
    assertThat(count(metrics, "agent_executor_nats_messages_failed")).isEqualTo(3);
    assertThat(count(metrics, "agent_executor_nats_messages_processed")).isEqualTo(4);
  }

  @Test
  void aCancelRequestIsHandedOverWithItsTenantAndAckedAndAMalformedOneIsTermedAndRejected()
      throws Exception {
    var executor = RecordingExecutor.completing();
    settings = settings(Duration.ofSeconds(1), 5, Duration.ofMillis(100), 1);
    var connector = new NatsConnector(settings).start();
    toClose.add(connector);
    assertThat(connector.awaitReady(WAIT)).as(connector.status()).isTrue();
    List<String> cancels = new java.util.concurrent.CopyOnWriteArrayList<>();
    toClose.add(
        new JetStreamWorker(
                connector,
                JobParser.withDefaultLimits(MAX_PAYLOAD),
                executor,
                (jobId, caller) -> {
                  cancels.add(jobId + "@" + caller.tenant() + (caller.restricted() ? "" : "*"));
                  return new ThreadAdmin.Cancel(ThreadAdmin.Cancel.Kind.CANCELLING, "running");
                },
                metrics)
            .start());
    var cancel =
        Json.object()
            .put("specversion", "1.0")
            .put("id", "c-1")
            .put("source", "/test")
            .put("type", "dev.my-platform.agent.cancel")
            .put("tenant", "acme");
    cancel.putObject("data").put("job_id", "job-9").put("trace_id", "t-9");
    var malformed = cancel.deepCopy().put("id", "c-2");
    ((com.fasterxml.jackson.databind.node.ObjectNode) malformed.get("data")).remove("trace_id");
    publish("cancel", Json.writeBytes(cancel));
    publish("cancel", Json.writeBytes(malformed));

    awaitAllSettled();
    Thread.sleep(1_500); // longer than the ack wait: an unacked message would be back by now
    assertThat(cancels).containsExactly("job-9@acme");
    assertThat(executor.executed).isEmpty();
    assertThat(executor.rejected).extracting(e -> e.jobId()).containsExactly("job-9");
    assertThat(consumer().getRedelivered()).isZero();
    assertThat(count(metrics, "agent_executor_nats_messages_processed")).isEqualTo(2);
  }

  /**
   * Each poison message beats Jackson's limits; before the fix each one leaked a job slot for good.
   */
  @Test
  void poisonMessagesBeyondTheJsonLimitsAreTermedAndNeverCostASlot() throws Exception {
    var executor = RecordingExecutor.completing();
    var worker =
        startWorker(settings(Duration.ofSeconds(1), 5, Duration.ofMillis(100), 2), executor);
    String deep = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    String longNumber = "{\"job_id\":\"p\",\"n\":" + "9".repeat(60_000) + "}";
    var structured = new Headers().add("Content-Type", "application/cloudevents+json");
    for (int n = 0; n < 3; n++) {
      nats.jetStream()
          .publish(
              NatsTestKit.jobSubject(settings, "deep-" + n),
              structured,
              NatsTestKit.structuredEvent(deep.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      nats.jetStream()
          .publish(
              NatsTestKit.jobSubject(settings, "number-" + n),
              structured,
              NatsTestKit.structuredEvent(
                  longNumber.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    publishJob("after-poison");

    NatsTestKit.await(
        "the good job after six poison messages ran",
        WAIT,
        () -> executor.executions("after-poison") == 1);
    awaitAllSettled();
    assertThat(executor.rejected)
        .hasSize(6)
        .allSatisfy(
            e -> {
              assertThat(e.status()).isEqualTo(400);
              assertThat(e.problems()).extracting(p -> p.code()).containsExactly("BODY_JSON_LIMIT");
            });
    assertThat(count(metrics, "agent_executor_nats_messages_failed")).isEqualTo(6);
    assertThat(worker.isAlive()).isTrue();
  }

  @Test
  void binaryModeJobRunsWithTheTraceOfItsHeaders() throws Exception {
    var executor = RecordingExecutor.completing();
    startWorker(settings(Duration.ofSeconds(2), 5, Duration.ofMillis(100), 1), executor);
    var headers =
        new Headers()
            .add("ce-specversion", "1.0")
            .add("ce-id", "e-1")
            .add("ce-source", "/tests")
            .add("ce-type", "dev.my-platform.agent.execute")
            .add("Content-Type", "application/json")
            .add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    nats.jetStream()
        .publish(NatsTestKit.jobSubject(settings, "bin-1"), headers, NatsTestKit.jobJson("bin-1"));

    NatsTestKit.await("binary job ran", WAIT, () -> executor.executions("bin-1") == 1);
    assertThat(executor.executed.get(0).trace().traceId())
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    awaitAllSettled();
  }

  @Test
  void retryIsRedeliveredAfterTheNakDelay() throws Exception {
    var executor =
        new RecordingExecutor(
            (job, previous) ->
                previous == 0
                    ? new Outcome.Retry(job.jobId(), "postgres down")
                    : RecordingExecutor.completed(job));
    startWorker(settings(Duration.ofSeconds(5), 5, Duration.ofMillis(400), 1), executor);
    publishJob("retry-1");

    NatsTestKit.await("second delivery", WAIT, () -> executor.finished.size() == 2);
    long gap = executor.executed.get(1).atNanos() - executor.executed.get(0).atNanos();
    assertThat(Duration.ofNanos(gap)).isBetween(Duration.ofMillis(350), Duration.ofMillis(4_000));
    awaitAllSettled();
    assertThat(executor.gaveUp).isEmpty();
  }

  @Test
  void outageRetriesWithoutADelayOfTheirOwnBackOffExponentially() throws Exception {
    var executor =
        new RecordingExecutor(
            (job, previous) ->
                previous < 2
                    ? new Outcome.Retry(job.jobId(), "postgres down")
                    : RecordingExecutor.completed(job));
    startWorker(settings(Duration.ofSeconds(5), 5, Duration.ofMillis(300), 1), executor);
    publishJob("outage-1");

    NatsTestKit.await("third delivery", WAIT, () -> executor.finished.size() == 3);
    long first = executor.executed.get(1).atNanos() - executor.executed.get(0).atNanos();
    long second = executor.executed.get(2).atNanos() - executor.executed.get(1).atNanos();
    assertThat(Duration.ofNanos(first)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    assertThat(Duration.ofNanos(second))
        .isGreaterThanOrEqualTo(Duration.ofMillis(550)); // 2 × 300 ms
    awaitAllSettled();
  }

  @Test
  void reachingMaxDeliverGivesUpOnce() throws Exception {
    var executor =
        new RecordingExecutor((job, previous) -> new Outcome.Retry(job.jobId(), "postgres down"));
    startWorker(settings(Duration.ofSeconds(5), 3, Duration.ofMillis(100), 1), executor);
    publishJob("doomed-1");

    NatsTestKit.await("given up", WAIT, () -> executor.gaveUp.size() == 1);
    awaitAllSettled();
    Thread.sleep(500);
    assertThat(executor.gaveUp).containsExactly("doomed-1");
    assertThat(executor.executions("doomed-1")).isEqualTo(3);
    assertThat(count(metrics, "agent_executor_nats_messages_failed")).isEqualTo(1);
  }

  @Test
  void jobLongerThanTheAckWaitIsKeptByInProgressAcks() throws Exception {
    var executor = RecordingExecutor.sleeping(5_000);
    startWorker(settings(Duration.ofSeconds(2), 5, Duration.ofMillis(100), 2), executor);
    publishJob("long-1");

    NatsTestKit.await("long job finished", WAIT, () -> executor.finished.size() == 1);
    awaitAllSettled();
    assertThat(executor.executions("long-1")).isEqualTo(1);
    assertThat(consumer().getRedelivered()).isZero();
  }

  @Test
  void neverRunsMoreJobsAtOnceThanItHasSlots() throws Exception {
    var executor = RecordingExecutor.sleeping(300);
    startWorker(settings(Duration.ofSeconds(5), 5, Duration.ofMillis(100), 2), executor);
    for (int n = 0; n < 8; n++) publishJob("c-" + n);

    NatsTestKit.await("all jobs ran", WAIT, () -> executor.finished.size() == 8);
    assertThat(executor.maxInFlight()).isEqualTo(2);
    awaitAllSettled();
  }

  @Test
  void drainLetsTheRunningJobFinishAndLeavesTheRestQueued() throws Exception {
    var executor = RecordingExecutor.sleeping(1_000);
    var worker =
        startWorker(settings(Duration.ofSeconds(5), 5, Duration.ofMillis(100), 1), executor);
    for (String id : List.of("d-1", "d-2", "d-3")) publishJob(id);
    NatsTestKit.await("first job started", WAIT, () -> executor.executed.size() == 1);

    assertThat(worker.drain(Duration.ofSeconds(5))).isTrue();
    assertThat(executor.finished).containsExactly("d-1");
    NatsTestKit.await(
        "first acked, others untouched",
        WAIT,
        () -> consumer().getNumAckPending() == 0 && consumer().getNumPending() == 2);
    assertThat(worker.isAlive()).isFalse();
  }

  @Test
  void drainTimeoutNaksTheUnfinishedJobSoAnotherWorkerTakesItAtOnce() throws Exception {
    var executor = RecordingExecutor.sleeping(5_000);
    var worker =
        startWorker(settings(Duration.ofSeconds(30), 5, Duration.ofMillis(100), 1), executor);
    publishJob("slow-1");
    NatsTestKit.await("job started", WAIT, () -> executor.executed.size() == 1);

    assertThat(worker.drain(Duration.ofMillis(300))).isFalse();
    var second = RecordingExecutor.completing();
    var connector = new NatsConnector(settings).start();
    toClose.add(connector);
    toClose.add(
        new JetStreamWorker(connector, JobParser.withDefaultLimits(MAX_PAYLOAD), second, metrics)
            .start());
    // Well within the 30 s ack wait: only the nak can have brought it back this fast.
    NatsTestKit.await(
        "redelivered to the second worker",
        Duration.ofSeconds(5),
        () -> second.executions("slow-1") == 1);
    awaitAllSettled();
  }

  /**
   * A pull on a deleted consumer returns nothing; before the check the worker waited for ever,
   * "alive".
   */
  @Test
  void aDeletedConsumerIsCreatedAgainAndItsJobsRun() throws Exception {
    var executor = RecordingExecutor.completing();
    startWorker(settings(Duration.ofSeconds(2), 5, Duration.ofMillis(100), 1), executor);

    nats.jetStreamManagement().deleteConsumer(settings.streamName(), settings.consumerName());
    publishJob("after-delete");

    NatsTestKit.await(
        "the job published after the deletion ran",
        Duration.ofSeconds(20),
        () -> executor.executions("after-delete") == 1);
  }

  /**
   * The consumer deleted before the worker's first subscribe: binding fails ("consumer not found")
   * and, before the check also ran without a subscription, failed for ever.
   */
  @Test
  void aConsumerDeletedBeforeTheFirstSubscribeIsCreatedAgainAndItsJobsRun() throws Exception {
    settings = settings(Duration.ofSeconds(2), 5, Duration.ofMillis(100), 1);
    var connector = new NatsConnector(settings).start();
    toClose.add(connector);
    assertThat(connector.awaitReady(WAIT)).as(connector.status()).isTrue();
    nats.jetStreamManagement().deleteConsumer(settings.streamName(), settings.consumerName());
    publishJob("deleted-before-subscribe");
    var executor = RecordingExecutor.completing();
    toClose.add(
        new JetStreamWorker(connector, JobParser.withDefaultLimits(MAX_PAYLOAD), executor, metrics)
            .start());

    NatsTestKit.await(
        "the job published while the consumer was gone ran",
        Duration.ofSeconds(20),
        () -> executor.executions("deleted-before-subscribe") == 1);
  }

  /** Without stream creation the worker cannot heal itself: it must say so through /ready. */
  @Test
  void aConsumerLoopThatKeepsFailingIsReportedNotAlive() throws Exception {
    Settings.Nats base = settings(Duration.ofSeconds(2), 5, Duration.ofMillis(100), 1);
    var worker = startWorker(base, RecordingExecutor.completing());
    var connector = new NatsConnector(withoutStreamCreation(base)).start();
    toClose.add(connector);
    assertThat(connector.awaitReady(WAIT)).isTrue();
    var second =
        new JetStreamWorker(
                connector,
                JobParser.withDefaultLimits(MAX_PAYLOAD),
                RecordingExecutor.completing(),
                metrics)
            .start();
    toClose.add(second);
    worker.close();
    assertThat(second.isAlive()).isTrue();

    nats.jetStreamManagement().deleteConsumer(settings.streamName(), settings.consumerName());

    NatsTestKit.await("loop reported not alive", Duration.ofSeconds(25), () -> !second.isAlive());
  }

  private static Settings.Nats withoutStreamCreation(Settings.Nats s) {
    return new Settings.Nats(
        s.url(),
        s.streamName(),
        s.subject(),
        s.consumerName(),
        s.resultStreamName(),
        s.resultSubjectPrefix(),
        false,
        s.ackWait(),
        s.maxDeliver(),
        s.nakDelay(),
        s.maxConcurrentJobs(),
        s.drainTimeout());
  }

  @Test
  void loopReportsLivenessWhileRunning() throws Exception {
    var worker =
        startWorker(
            settings(Duration.ofSeconds(2), 5, Duration.ofMillis(100), 1),
            RecordingExecutor.completing());
    assertThat(worker.isAlive()).isTrue();
    Thread.sleep(1_500);
    assertThat(worker.isAlive()).isTrue();
    worker.close();
    assertThat(worker.isAlive()).isFalse();
    assertThat(IntStream.of(worker.runningJobs())).containsOnly(0);
  }
}
