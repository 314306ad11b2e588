package dev.agentexecutor.publish.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.nats.NatsConnector;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.RedisOrNatsServer;
import dev.agentexecutor.util.Json;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Result events on the shared NATS, in a result stream of the test's own. */
@Tag("integration")
class NatsResultPublisherTest {
  private static final String TRACEPARENT =
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  private final Settings.Nats settings = NatsTestKit.settings();
  private NatsConnector connector;
  private NatsResultPublisher publisher;
  private Connection nats;

  @BeforeEach
  void connect() throws Exception {
    connector = new NatsConnector(settings).start();
    assertThat(connector.awaitReady(Duration.ofSeconds(10))).as(connector.status()).isTrue();
    publisher = new NatsResultPublisher(connector);
    nats = NatsTestKit.connect(settings.url());
  }

  @AfterEach
  void cleanUp() throws Exception {
    NatsTestKit.deleteStreams(nats, settings);
    nats.close();
    connector.close();
  }

  private static CloudEvent result(String type, String jobId) {
    return CloudEventBuilder.v1()
        .withId(UUID.randomUUID().toString())
        .withSource(URI.create("/agent-executor"))
        .withType(type)
        .withSubject(jobId)
        .withExtension("traceparent", TRACEPARENT)
        .withData(
            "application/json",
            ("{\"job_id\":\"" + jobId + "\",\"status\":\"completed\"}")
                .getBytes(StandardCharsets.UTF_8))
        .build();
  }

  private Message nextResult(String status) throws Exception {
    JetStreamSubscription sub =
        nats.jetStream()
            .subscribe(
                settings.resultSubjectPrefix() + "." + status,
                PullSubscribeOptions.builder().stream(settings.resultStreamName()).build());
    var messages = sub.fetch(1, Duration.ofSeconds(3));
    assertThat(messages)
        .as("a message on %s.%s", settings.resultSubjectPrefix(), status)
        .hasSize(1);
    return messages.get(0);
  }

  @Test
  void completedEventIsStoredAsStructuredCloudEventWithTraceHeader() throws Exception {
    CloudEvent sent = result(NatsResultPublisher.COMPLETED_TYPE, "job-1");
    publisher.publish("job-1", sent);

    Message message = nextResult("completed");
    assertThat(message.getHeaders().getFirst("Content-Type"))
        .isEqualTo("application/cloudevents+json");
    assertThat(message.getHeaders().getFirst("traceparent")).isEqualTo(TRACEPARENT);
    assertThat(message.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("job-1-completed");
    var envelope = Json.parse(message.getData());
    assertThat(envelope.path("specversion").asText()).isEqualTo("1.0");
    assertThat(envelope.path("id").asText()).isEqualTo(sent.getId());
    assertThat(envelope.path("type").asText()).isEqualTo(NatsResultPublisher.COMPLETED_TYPE);
    assertThat(envelope.path("subject").asText()).isEqualTo("job-1");
    assertThat(envelope.path("traceparent").asText()).isEqualTo(TRACEPARENT);
    assertThat(envelope.path("data").path("job_id").asText())
        .as("data inline as JSON")
        .isEqualTo("job-1");
  }

  @Test
  void repeatedPublishOfTheSameResultIsStoredOnce() throws Exception {
    publisher.publish("job-2", result(NatsResultPublisher.FAILED_TYPE, "job-2"));
    publisher.publish("job-2", result(NatsResultPublisher.FAILED_TYPE, "job-2"));
    assertThat(
            nats.jetStreamManagement()
                .getStreamInfo(settings.resultStreamName())
                .getStreamState()
                .getMsgCount())
        .isEqualTo(1);
    assertThat(nextResult("failed").getSubject())
        .isEqualTo(settings.resultSubjectPrefix() + ".failed");
  }

  @Test
  void aRefusalIsNeverDeduplicatedWithTheJobsOwnResult() throws Exception {
    CloudEvent refusal = result(NatsResultPublisher.FAILED_TYPE, "job-3");
    publisher.publishRefusal("job-3", refusal);
    publisher.publishRefusal("job-3", refusal); // the same refusal again: stored once
    publisher.publish("job-3", result(NatsResultPublisher.FAILED_TYPE, "job-3"));
    publisher.publishRefusal("job-3", result(NatsResultPublisher.FAILED_TYPE, "job-3"));

    assertThat(
            nats.jetStreamManagement()
                .getStreamInfo(settings.resultStreamName())
                .getStreamState()
                .getMsgCount())
        .as("the first refusal once, the job's failure, a later refusal")
        .isEqualTo(3);
  }

  @Test
  void publishAckCostsAboutAMillisecond() {
    var root =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(ch.qos.logback.classic.Level.INFO);
    for (int n = 0; n < 100; n++)
      publisher.publish("warm-" + n, result(NatsResultPublisher.COMPLETED_TYPE, "warm-" + n));
    int count = 500;
    long start = System.nanoTime();
    for (int n = 0; n < count; n++)
      publisher.publish("job-" + n, result(NatsResultPublisher.COMPLETED_TYPE, "job-" + n));
    double millis = (System.nanoTime() - start) / 1e6 / count;
    System.out.printf(
        "NatsResultPublisher.publish (with publish ack): %.3f ms per result%n", millis);
    assertThat(millis).isLessThan(20);
  }

  @Test
  void nonResultTypeIsRefused() {
    assertThatThrownBy(
            () -> publisher.publish("job-3", result("dev.my-platform.agent.execute", "job-3")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void publishWhileNatsIsDownIsABackendOutage() throws Exception {
    try (var server = RedisOrNatsServer.nats()) {
      var privateSettings =
          NatsTestKit.settings(
              server.natsUrl(), Duration.ofSeconds(2), 5, Duration.ofMillis(200), 1);
      try (var privateConnector = new NatsConnector(privateSettings).start()) {
        assertThat(privateConnector.awaitReady(Duration.ofSeconds(10))).isTrue();
        var privatePublisher = new NatsResultPublisher(privateConnector);
        server.stop();
        NatsTestKit.await(
            "disconnect noticed", Duration.ofSeconds(5), () -> !privateConnector.isReady());
        assertThatThrownBy(
                () ->
                    privatePublisher.publish(
                        "job-4", result(NatsResultPublisher.COMPLETED_TYPE, "job-4")))
            .isInstanceOfSatisfying(
                BackendUnavailableException.class, e -> assertThat(e.backend()).isEqualTo("nats"));

        server.start();
        NatsTestKit.await("reconnected", Duration.ofSeconds(15), privateConnector::isReady);
        privatePublisher.publish("job-4", result(NatsResultPublisher.COMPLETED_TYPE, "job-4"));
      }
    }
  }
}
