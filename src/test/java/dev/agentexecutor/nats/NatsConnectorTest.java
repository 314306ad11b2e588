package dev.agentexecutor.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.config.Settings;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.RedisOrNatsServer;
import io.nats.client.Connection;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.StorageType;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Start-up against NATS: topology creation, verification only, and a NATS that comes later. */
@Tag("integration")
class NatsConnectorTest {

  @Test
  void createsBothStreamsAndTheDurableConsumerAsConfigured() throws Exception {
    Settings.Nats settings = NatsTestKit.settings();
    try (var connector = new NatsConnector(settings).start();
        Connection nats = NatsTestKit.connect(settings.url())) {
      assertThat(connector.awaitReady(Duration.ofSeconds(10))).as(connector.status()).isTrue();
      var management = nats.jetStreamManagement();
      var jobs = management.getStreamInfo(settings.streamName()).getConfiguration();
      assertThat(jobs.getSubjects()).containsExactly(settings.subject());
      assertThat(jobs.getStorageType()).isEqualTo(StorageType.File);
      assertThat(jobs.getMaxAge()).isEqualTo(Duration.ofHours(24));
      var results = management.getStreamInfo(settings.resultStreamName()).getConfiguration();
      assertThat(results.getSubjects()).containsExactly(settings.resultSubjectPrefix() + ".*");
      assertThat(results.getDuplicateWindow()).isGreaterThanOrEqualTo(Duration.ofMinutes(2));
      var consumer = NatsTestKit.consumerInfo(nats, settings).getConsumerConfiguration();
      assertThat(consumer.getAckPolicy()).isEqualTo(AckPolicy.Explicit);
      assertThat(consumer.getAckWait()).isEqualTo(settings.ackWait());
      assertThat(consumer.getMaxDeliver()).isEqualTo(settings.maxDeliver());
      assertThat(consumer.getFilterSubject()).isEqualTo(settings.subject());
      NatsTestKit.deleteStreams(nats, settings);
    }
  }

  @Test
  void withoutStreamCreationMissingStreamsKeepItNotReadyAndSayWhy() throws Exception {
    Settings.Nats base = NatsTestKit.settings();
    var settings =
        new Settings.Nats(
            base.url(),
            base.streamName(),
            base.subject(),
            base.consumerName(),
            base.resultStreamName(),
            base.resultSubjectPrefix(),
            false,
            base.ackWait(),
            base.maxDeliver(),
            base.nakDelay(),
            base.maxConcurrentJobs(),
            base.drainTimeout());
    try (var connector = new NatsConnector(settings).start()) {
      assertThat(connector.awaitReady(Duration.ofSeconds(1))).isFalse();
      NatsTestKit.await(
          "a reason",
          Duration.ofSeconds(5),
          () -> connector.status().contains("NATS_CREATE_STREAMS=false"));
      assertThat(connector.status()).contains(settings.streamName());
    }
  }

  @Test
  void unreachableAtStartUpIsRetriedInTheBackgroundUntilNatsIsUp() throws Exception {
    try (var server = RedisOrNatsServer.nats()) {
      server.stop();
      var settings =
          NatsTestKit.settings(
              server.natsUrl(), Duration.ofSeconds(2), 5, Duration.ofMillis(200), 1);
      try (var connector = new NatsConnector(settings).start()) {
        assertThat(connector.awaitReady(Duration.ofMillis(700))).isFalse();
        assertThat(connector.status()).contains("cannot connect");
        server.start();
        assertThat(connector.awaitReady(Duration.ofSeconds(15))).as(connector.status()).isTrue();
      }
    }
  }
}
