package dev.agentexecutor.durable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.testkit.CloudEvents;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.util.Json;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Listens on a test's result subjects (core NATS) and keeps every result event with its subject.
 */
final class ResultListener implements AutoCloseable {
  record Received(String subject, JsonNode event, String msgId) {}

  private final Connection nats;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  ResultListener(String subjectPrefix) throws Exception {
    nats = Nats.connect(NatsTestKit.SHARED_URL);
    Dispatcher dispatcher =
        nats.createDispatcher(
            message ->
                received.add(
                    new Received(
                        message.getSubject(),
                        Json.parse(message.getData()),
                        message.getHeaders() == null
                            ? null
                            : message.getHeaders().getFirst("Nats-Msg-Id"))));
    dispatcher.subscribe(subjectPrefix + ".status.*");
    nats.flush(Duration.ofSeconds(2));
  }

  Connection connection() {
    return nats;
  }

  /** Publishes {@code job} as a structured CloudEvent to a job subject, with JetStream's ack. */
  void publishJob(String subject, JsonNode job) throws Exception {
    nats.jetStream()
        .publish(
            subject,
            new Headers().add("Content-Type", "application/cloudevents+json"),
            CloudEvents.structured(job).toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Publishes a structured CloudEvent (a resume, say) to a job subject, with JetStream's ack. */
  void publishEvent(String subject, JsonNode event) throws Exception {
    nats.jetStream()
        .publish(
            subject,
            new Headers().add("Content-Type", "application/cloudevents+json"),
            event.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Every result event received so far. */
  List<Received> all() {
    return List.copyOf(received);
  }

  List<Received> forJob(String jobId) {
    return received.stream().filter(r -> jobId.equals(r.event().path("subject").asText())).toList();
  }

  Received awaitOne(String jobId, Duration timeout) throws Exception {
    NatsTestKit.await("a result event for " + jobId, timeout, () -> !forJob(jobId).isEmpty());
    return forJob(jobId).get(0);
  }

  @Override
  public void close() throws InterruptedException {
    nats.close();
  }
}
