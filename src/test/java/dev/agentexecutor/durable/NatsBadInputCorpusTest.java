package dev.agentexecutor.durable;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.testkit.CloudEvents;
import dev.agentexecutor.testkit.DurableEnvironment;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.impl.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Poison messages on the job stream, more of them than the worker has slots: each is terminated
 * with exactly one failed event naming the problem, no slot is lost, and good jobs published after
 * them all complete.
 */
@Tag("integration")
class NatsBadInputCorpusTest {
  private static final int SLOTS = 2;
  private final DurableEnvironment environment =
      new DurableEnvironment()
          .with("MAX_CONCURRENT_JOBS", Integer.toString(SLOTS))
          .with("MAX_PAYLOAD_BYTES", Integer.toString(256 * 1024))
          .with("MAX_MESSAGE_CHARS", "20000");
  private ServiceHarness service;
  private ResultListener results;

  @AfterEach
  void stop() throws Exception {
    if (service != null) service.close();
    if (results != null) results.close();
    environment.close();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String structuredWith(
      String jobId, java.util.function.Consumer<ObjectNode> change) {
    ObjectNode job = TestJobs.threeStepScripted(jobId);
    change.accept(job);
    return CloudEvents.structured(job).toString();
  }

  /** Poison messages by job id (the id a failed event can name; null ones get a generated id). */
  private static Map<String, byte[]> poison() {
    Map<String, byte[]> messages = new LinkedHashMap<>();
    messages.put(
        "deep-arrays",
        bytes(
            CloudEvents.structured(TestJobs.threeStepScripted("x"))
                .toString()
                .replace(
                    "\"input_payload\":{",
                    "\"input_payload\":{\"deep\":" + "[".repeat(5_000) + "]".repeat(5_000) + ",")));
    messages.put(
        "long-number",
        bytes(
            "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"s\",\"type\":\""
                + CloudEvents.EXECUTE_TYPE
                + "\",\"data\":{\"n\":"
                + "9".repeat(100_000)
                + "}}"));
    messages.put("not-json", bytes("this is not json"));
    messages.put("empty", new byte[0]);
    messages.put("duplicate-keys", bytes("{\"specversion\":\"1.0\",\"specversion\":\"1.0\"}"));
    messages.put("bad-id-nul", bytes(structuredWith("x", job -> job.put("job_id", "a\u0000b"))));
    messages.put(
        "bad-id-newline",
        bytes(structuredWith("x", job -> job.put("job_id", "a\nNats-Msg-Id: b"))));
    messages.put(
        "wrong-type",
        bytes(
            structuredWith("poison-type", job -> {})
                .replace(CloudEvents.EXECUTE_TYPE, "dev.my-platform.agent.other")));
    messages.put(
        "bad-definition",
        bytes(
            structuredWith(
                "poison-def",
                job ->
                    ((ObjectNode) job.get("agent_definition").get("nodes").get(0))
                        .put("type", "wizard"))));
    messages.put(
        "script-file",
        bytes(
            structuredWith(
                "poison-script",
                job ->
                    ((ObjectNode)
                            job.get("agent_definition")
                                .get("nodes")
                                .get(0)
                                .get("config")
                                .get("model"))
                        .putObject("script")
                        .put("file", "/etc/shadow"))));
    messages.put(
        "message-too-large",
        bytes(
            structuredWith(
                "poison-size",
                job ->
                    ((ObjectNode) job.get("input_payload"))
                        .put("instructions", "m".repeat(30_000)))));
    messages.put(
        "tenant-malformed",
        bytes(
            structuredWith("poison-tenant", job -> {})
                .replaceFirst("\\{", "{\"tenant\":\"a b/c\",")));
    return messages;
  }

  @Test
  void everyPoisonMessageIsTerminatedWithOneFailedEventAndNoSlotIsLost() throws Exception {
    results = new ResultListener(environment.subjectPrefix);
    service = ServiceHarness.start(environment.env());
    NatsTestKit.await(
        "service ready", Duration.ofSeconds(20), () -> service.get("/ready").statusCode() == 200);
    Map<String, byte[]> poison = poison();
    var structured = new Headers().add("Content-Type", "application/cloudevents+json");
    for (var message : poison.entrySet()) {
      // Half with a content type, half without (NATS producers often send none).
      boolean withType = message.getKey().hashCode() % 2 == 0;
      String subject = environment.jobSubject(message.getKey());
      if (withType)
        results.connection().jetStream().publish(subject, structured, message.getValue());
      else results.connection().jetStream().publish(subject, message.getValue());
    }
    List<String> good = List.of(TestJobs.newJobId(), TestJobs.newJobId(), TestJobs.newJobId());
    for (String jobId : good)
      results.publishJob(environment.jobSubject("good"), TestJobs.threeStepScripted(jobId));

    for (String jobId : good) {
      assertThat(results.awaitOne(jobId, Duration.ofSeconds(20)).event().path("type").asText())
          .isEqualTo("dev.my-platform.agent.completed");
    }
    NatsTestKit.await(
        "every poison message got its failed event",
        Duration.ofSeconds(20),
        () -> failedEvents().size() >= poison.size());
    Thread.sleep(1_000); // a duplicate would arrive by now
    List<JsonNode> failed = failedEvents();
    assertThat(failed)
        .hasSize(poison.size())
        .allSatisfy(
            event -> {
              JsonNode error = event.path("data").path("error");
              assertThat(error.path("type").asText()).isEqualTo("ValidationError");
              assertThat(error.path("message").asText())
                  .matches("(?s).*\\[[A-Z_]+\\].*")
                  .doesNotContain("root:");
              assertThat(error.path("stack_trace").asText()).isEmpty();
            });
    for (String named :
        List.of("poison-type", "poison-def", "poison-script", "poison-size", "poison-tenant")) {
      assertThat(failed)
          .as(named)
          .anySatisfy(e -> assertThat(e.path("subject").asText()).isEqualTo(named));
    }
    NatsTestKit.await(
        "nothing left pending or unacked",
        Duration.ofSeconds(10),
        () -> {
          ConsumerInfo info =
              results
                  .connection()
                  .jetStreamManagement()
                  .getConsumerInfo(environment.jobStream, environment.consumer());
          return info.getNumAckPending() == 0 && info.getNumPending() == 0;
        });
    assertThat(service.get("/ready").statusCode()).isEqualTo(200);
    assertThat(service.get("/metrics").body())
        .contains("agent_executor_nats_messages_failed_total " + poison.size() + ".0");
  }

  private List<JsonNode> failedEvents() {
    return results.all().stream()
        .filter(r -> r.subject().equals(environment.failedSubject()))
        .map(ResultListener.Received::event)
        .toList();
  }
}
