package dev.agentexecutor.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.publish.MemoryResultPublisher;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A run waiting in line for its thread (multitask_strategy enqueue) is cancelled before its turn,
 * embedded (memory turns, no NATS): the HTTP call waiting for it is answered with the cancelled
 * event, it never runs, its event is published once, and the run behind it moves up.
 */
class CancelQueuedRunTest {
  private final String threadId = "thread-" + UUID.randomUUID();
  private final ServiceHarness service = ServiceHarness.start();

  @AfterEach
  void stop() {
    service.close();
  }

  private ObjectNode onThread(ObjectNode job) {
    job.put("thread_id", threadId);
    return job;
  }

  private ObjectNode quick(String jobId, String answer) {
    ArrayNode script = Json.MAPPER.createArrayNode();
    for (int i = 0; i < 20; i++) script.addObject().put("content", answer);
    ObjectNode job =
        TestJobs.job(
            jobId, TestJobs.orchestrator("scripted", "scripted", script), "Next question.");
    job.put("multitask_strategy", "enqueue");
    return onThread(job);
  }

  private String status(String id) {
    return Json.parse(service.get("/state/" + id).body()).path("status").asText();
  }

  private long published(String jobId) {
    return ((MemoryResultPublisher) service.app().backends().results())
        .published().stream().filter(event -> jobId.equals(event.getSubject())).count();
  }

  @Test
  void aQueuedRunCancelledBeforeItsTurnEndsWithoutRunningAndTheNextOneRuns() throws Exception {
    String first = TestJobs.newJobId();
    assertThat(
            service
                .post("/invoke", onThread(TestJobs.slowScripted(first, 15, 100)).toString())
                .statusCode())
        .isEqualTo(200);
    NatsTestKit.await(
        "the first run going", Duration.ofSeconds(5), () -> status(first).equals("running"));
    String second = TestJobs.newJobId();
    String third = TestJobs.newJobId();
    CompletableFuture<HttpResponse<String>> secondCall =
        CompletableFuture.supplyAsync(() -> service.postCloudEvent(quick(second, "Never said.")));
    NatsTestKit.await(
        "the second run queued", Duration.ofSeconds(5), () -> status(second).equals("queued"));
    CompletableFuture<HttpResponse<String>> thirdCall =
        CompletableFuture.supplyAsync(() -> service.postCloudEvent(quick(third, "Third.")));
    NatsTestKit.await(
        "the third run queued", Duration.ofSeconds(5), () -> status(third).equals("queued"));

    HttpResponse<String> cancel = service.post("/cancel/" + second, "");

    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
    HttpResponse<String> answered = secondCall.get(5, TimeUnit.SECONDS);
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    JsonNode event = Json.parse(answered.body());
    assertThat(event.path("type").asText()).isEqualTo("dev.my-platform.agent.cancelled");
    assertThat(event.path("data").path("thread_id").asText()).isEqualTo(threadId);
    assertThat(status(second)).isEqualTo("cancelled");
    assertThat(status(first)).as("the active run goes on").isEqualTo("running");
    assertThat(status(third)).as("still behind the active run").isEqualTo("queued");

    HttpResponse<String> thirdAnswer = thirdCall.get(30, TimeUnit.SECONDS);
    assertThat(Json.parse(thirdAnswer.body()).path("data").path("result").path("output").asText())
        .as(thirdAnswer.body())
        .isEqualTo("Third.");
    assertThat(published(second)).as("one cancelled event").isEqualTo(1);
    assertThat(service.post("/cancel/" + second, "").statusCode())
        .as("it is over: not running any more")
        .isEqualTo(409);
    JsonNode history =
        Json.parse(service.get("/threads/" + threadId + "/history?limit=200").body());
    Set<String> writers = new HashSet<>();
    for (JsonNode checkpoint : history.path("checkpoints"))
      writers.add(checkpoint.path("job_id").asText());
    assertThat(writers).as("the cancelled run never ran").containsExactlyInAnyOrder(first, third);
  }
}
