package dev.agentexecutor.publish.nats;

import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.nats.NatsConnector;
import dev.agentexecutor.publish.ResultPublisher;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes result CloudEvents (structured JSON) to {@code {prefix}.completed}, {@code
 * {prefix}.failed}, {@code {prefix}.cancelled} or {@code {prefix}.interrupted} and returns once
 * JetStream has stored them. {@code Nats-Msg-Id} is {@code jobId-status}, so JetStream drops a
 * repeated publish of the same result.
 */
public final class NatsResultPublisher implements ResultPublisher {
  private static final Logger log = LoggerFactory.getLogger(NatsResultPublisher.class);
  public static final String COMPLETED_TYPE = "dev.my-platform.agent.completed";
  public static final String FAILED_TYPE = "dev.my-platform.agent.failed";
  public static final String CANCELLED_TYPE = "dev.my-platform.agent.cancelled";
  public static final String INTERRUPTED_TYPE = "dev.my-platform.agent.interrupted";
  private static final EventFormat FORMAT =
      EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

  private final NatsConnector connector;
  private final String subjectPrefix;
  private final String resultStream;

  public NatsResultPublisher(NatsConnector connector) {
    this.connector = connector;
    this.subjectPrefix = connector.settings().resultSubjectPrefix();
    this.resultStream = connector.settings().resultStreamName();
  }

  @Override
  public void publish(String jobId, CloudEvent result) {
    publish(jobId, result, messageId(jobId, statusOf(result.getType()), result));
  }

  @Override
  public void publishRefusal(String jobId, CloudEvent refusal) {
    publish(jobId, refusal, jobId + "-refused-" + refusal.getId());
  }

  private void publish(String jobId, CloudEvent result, String messageId) {
    String status = statusOf(result.getType());
    if (!connector.isReady()) { // fail now rather than wait out the ack timeout while reconnecting
      throw new BackendUnavailableException("nats", connector.status(), null);
    }
    PublishOptions options =
        PublishOptions.builder()
            .messageId(messageId)
            .expectedStream(resultStream) // a stream mix-up fails loudly instead of losing results
            .streamTimeout(NatsConnector.REQUEST_TIMEOUT)
            .build();
    try {
      PublishAck ack =
          connector
              .jetStream()
              .publish(
                  subjectPrefix + "." + status, headers(result), FORMAT.serialize(result), options);
      if (ack.isDuplicate())
        log.debug("result of job {} ({}) was already published", jobId, status);
    } catch (IOException | JetStreamApiException | IllegalStateException e) {
      // IOException covers the publish-ack timeout; IllegalStateException a closed connection.
      throw new BackendUnavailableException(
          "nats", "publishing the " + status + " event of job " + jobId + ": " + e.getMessage(), e);
    }
  }

  /**
   * A job ends once but may park several times (once per round of approvals), so an interrupted
   * event is deduplicated by its own event id: a republished one keeps its id (it is stored).
   */
  private static String messageId(String jobId, String status, CloudEvent result) {
    return status.equals("interrupted")
        ? jobId + "-interrupted-" + result.getId()
        : jobId + "-" + status;
  }

  private static String statusOf(String type) {
    return switch (type) {
      case COMPLETED_TYPE -> "completed";
      case FAILED_TYPE -> "failed";
      case CANCELLED_TYPE -> "cancelled";
      case INTERRUPTED_TYPE -> "interrupted";
      default -> throw new IllegalArgumentException("not a result event type: " + type);
    };
  }

  private static Headers headers(CloudEvent result) {
    Headers headers = new Headers().add("Content-Type", JsonFormat.CONTENT_TYPE);
    copyExtension(result, "traceparent", headers);
    copyExtension(result, "tracestate", headers);
    return headers;
  }

  private static void copyExtension(CloudEvent event, String name, Headers headers) {
    Object value = event.getExtension(name);
    if (value != null) headers.add(name, value.toString());
  }
}
