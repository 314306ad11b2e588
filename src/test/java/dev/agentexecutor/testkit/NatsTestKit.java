package dev.agentexecutor.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.config.Settings;
import dev.agentexecutor.util.Json;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerInfo;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * NATS for tests: settings whose streams, subjects and consumer are unique to the test, job
 * CloudEvents, a raw connection to inspect JetStream, and waiting for a condition.
 */
public final class NatsTestKit {
  public static final String SHARED_URL = "nats://127.0.0.1:4222";

  private NatsTestKit() {}

  /** Unique names; ack wait, max deliver, nak delay and slots as given; drain 5 s. */
  public static Settings.Nats settings(
      String url, Duration ackWait, int maxDeliver, Duration nakDelay, int maxConcurrentJobs) {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    return new Settings.Nats(
        url,
        "T_" + id + "_JOBS",
        "t" + id + ".execute.*",
        "workers-" + id,
        "T_" + id + "_STATUS",
        "t" + id + ".status",
        true,
        ackWait,
        maxDeliver,
        nakDelay,
        maxConcurrentJobs,
        Duration.ofSeconds(5));
  }

  public static Settings.Nats settings() {
    return settings(SHARED_URL, Duration.ofSeconds(2), 5, Duration.ofMillis(200), 4);
  }

  /** The subject of a job message: the stream's wildcard with the job id in its place. */
  public static String jobSubject(Settings.Nats settings, String jobId) {
    return settings.subject().replace("*", jobId);
  }

  /** The data of a minimal valid job. */
  public static byte[] jobJson(String jobId) {
    var job = Json.object().put("job_id", jobId).put("trace_id", "t-" + jobId);
    job.putObject("agent_definition").put("name", "test");
    job.putObject("input_payload")
        .putArray("messages")
        .addObject()
        .put("role", "user")
        .put("content", "hi");
    return Json.writeBytes(job);
  }

  /** A structured-mode dev.my-platform.agent.execute CloudEvent carrying {@code data}. */
  public static byte[] structuredEvent(byte[] data) {
    var event =
        CloudEventBuilder.v1()
            .withId(UUID.randomUUID().toString())
            .withSource(URI.create("/tests"))
            .withType("dev.my-platform.agent.execute")
            .withData("application/json", data)
            .build();
    return EventFormatProvider.getInstance()
        .resolveFormat(JsonFormat.CONTENT_TYPE)
        .serialize(event);
  }

  public static Connection connect(String url) throws IOException, InterruptedException {
    return Nats.connect(url);
  }

  public static ConsumerInfo consumerInfo(Connection nats, Settings.Nats settings)
      throws IOException, JetStreamApiException {
    return nats.jetStreamManagement()
        .getConsumerInfo(settings.streamName(), settings.consumerName());
  }

  /** Removes the test's streams (and with them its consumer); missing ones are fine. */
  public static void deleteStreams(Connection nats, Settings.Nats settings) throws IOException {
    for (String stream : new String[] {settings.streamName(), settings.resultStreamName()}) {
      try {
        nats.jetStreamManagement().deleteStream(stream);
      } catch (JetStreamApiException e) {
        // absent already
      }
    }
  }

  /** Waits until the condition holds, failing with {@code what} after the timeout. */
  public static void await(String what, Duration timeout, Callable<Boolean> condition)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!Boolean.TRUE.equals(condition.call())) {
      assertThat(System.nanoTime() < deadline).as("%s within %s", what, timeout).isTrue();
      Thread.sleep(20);
    }
  }
}
