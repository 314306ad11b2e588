package dev.agentexecutor.nats;

import dev.agentexecutor.config.Settings;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JetStream topology the service relies on: the job stream with its durable pull consumer and
 * the result stream. Creates what is absent (when allowed) and leaves existing streams as their
 * operators configured them.
 */
final class NatsStreams {
  private static final Logger log = LoggerFactory.getLogger(NatsStreams.class);

  /** Jobs are kept a day (design 3.2.2), like the results. */
  static final Duration MAX_AGE = Duration.ofHours(24);

  /** Longer than any retry of a result publish, so a repeated publish is always recognised. */
  static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(10);

  private static final int NOT_FOUND = 404;

  private final Settings.Nats settings;

  NatsStreams(Settings.Nats settings) {
    this.settings = settings;
  }

  /** Makes sure both streams and the consumer exist; throws with a clear message if not. */
  void ensure(JetStreamManagement management) throws IOException, JetStreamApiException {
    ensureStream(management, jobStream());
    ensureStream(management, resultStream());
    ensureConsumer(management);
  }

  StreamConfiguration jobStream() {
    return stream(settings.streamName(), settings.subject(), Duration.ofMinutes(2));
  }

  StreamConfiguration resultStream() {
    return stream(
        settings.resultStreamName(), settings.resultSubjectPrefix() + ".*", DUPLICATE_WINDOW);
  }

  private static StreamConfiguration stream(String name, String subject, Duration duplicateWindow) {
    return StreamConfiguration.builder()
        .name(name)
        .subjects(subject)
        .retentionPolicy(RetentionPolicy.Limits)
        .maxAge(MAX_AGE)
        .storageType(StorageType.File)
        .replicas(1)
        .discardPolicy(DiscardPolicy.Old)
        .duplicateWindow(duplicateWindow)
        .build();
  }

  ConsumerConfiguration consumer() {
    return ConsumerConfiguration.builder()
        .durable(settings.consumerName())
        .ackPolicy(AckPolicy.Explicit)
        .ackWait(settings.ackWait())
        .maxDeliver(settings.maxDeliver())
        .filterSubject(settings.subject())
        .build();
  }

  private void ensureStream(JetStreamManagement management, StreamConfiguration wanted)
      throws IOException, JetStreamApiException {
    try {
      var existing = management.getStreamInfo(wanted.getName()).getConfiguration();
      log.info("NATS stream {} exists with subjects {}", wanted.getName(), existing.getSubjects());
    } catch (JetStreamApiException e) {
      if (e.getErrorCode() != NOT_FOUND) throw e;
      if (!settings.createStreams()) {
        throw new IllegalStateException(
            "NATS stream %s (subjects %s) does not exist and NATS_CREATE_STREAMS=false: create it or allow its creation"
                .formatted(wanted.getName(), wanted.getSubjects()));
      }
      management.addStream(wanted);
      log.info("NATS stream {} created with subjects {}", wanted.getName(), wanted.getSubjects());
    }
  }

  /** The consumer is ours: created when absent, its ack wait and max deliver kept as configured. */
  private void ensureConsumer(JetStreamManagement management)
      throws IOException, JetStreamApiException {
    ConsumerConfiguration wanted = consumer();
    try {
      ConsumerInfo existing =
          management.getConsumerInfo(settings.streamName(), settings.consumerName());
      var current = existing.getConsumerConfiguration();
      if (!current.getAckWait().equals(wanted.getAckWait())
          || current.getMaxDeliver() != wanted.getMaxDeliver()) {
        management.updateConsumer(settings.streamName(), wanted);
        log.info(
            "NATS consumer {} updated: ack wait {}, max deliver {}",
            wanted.getDurable(),
            wanted.getAckWait(),
            wanted.getMaxDeliver());
      }
    } catch (JetStreamApiException e) {
      if (e.getErrorCode() != NOT_FOUND) throw e;
      management.addOrUpdateConsumer(settings.streamName(), wanted);
      log.info("NATS consumer {} created on {}", wanted.getDurable(), settings.streamName());
    }
  }
}
