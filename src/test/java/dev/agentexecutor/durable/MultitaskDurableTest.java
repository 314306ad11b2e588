package dev.agentexecutor.durable;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.testkit.CloudEvents;
import dev.agentexecutor.testkit.DurableEnvironment;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.PostgresTestSchema;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.ServiceProcess;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * multitask_strategy on real PostgreSQL, Redis and NATS: a second run on a busy thread is refused
 * (reject), waits and runs after the first, on the first's state (enqueue, also from another
 * replica and through NATS), or stops the first and runs (interrupt).
 */
@Tag("integration")
class MultitaskDurableTest {
  private final DurableEnvironment environment = new DurableEnvironment();
  private final String threadId = "thread-" + UUID.randomUUID();
  private ServiceHarness service;
  private ResultListener results;

  @BeforeEach
  void start() throws Exception {
    results = new ResultListener(environment.subjectPrefix);
    service = ServiceHarness.start(environment.env());
    NatsTestKit.await(
        "service ready", Duration.ofSeconds(20), () -> service.get("/ready").statusCode() == 200);
  }

  @AfterEach
  void stop() throws Exception {
    if (service != null) service.close();
    if (results != null) results.close();
    environment.close();
  }

  /** A run of {@code steps} tool steps of {@code delayMs} each on the thread. */
  private ObjectNode slow(String jobId, int steps, int delayMs) {
    ObjectNode job = TestJobs.slowScripted(jobId, steps, delayMs);
    job.put("thread_id", threadId);
    return job;
  }

  /** A run that answers at once, whatever the conversation holds already. */
  private ObjectNode quick(String jobId, String strategy, String answer) {
    ArrayNode script = Json.MAPPER.createArrayNode();
    for (int i = 0; i < 60; i++) script.addObject().put("content", answer);
    ObjectNode job =
        TestJobs.job(
            jobId, TestJobs.orchestrator("scripted", "scripted", script), "Next question.");
    job.put("thread_id", threadId);
    if (strategy != null) job.put("multitask_strategy", strategy);
    return job;
  }

  private void invoke(ObjectNode job) {
    HttpResponse<String> started = service.post("/invoke", job.toString());
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    assertThat(Json.parse(started.body()).path("thread_id").asText()).isEqualTo(threadId);
  }

  private void awaitRunning(String jobId) throws Exception {
    NatsTestKit.await(
        jobId + " running with a checkpoint",
        Duration.ofSeconds(10),
        () ->
            ((Number)
                        PostgresTestSchema.queryValue(
                            "select count(*) from "
                                + environment.schema
                                + ".checkpoints where thread_id = ? and metadata->>'job_id' = ?",
                            threadId,
                            jobId))
                    .longValue()
                > 0);
  }

  @Test
  void aJobOnABusyThreadIsRefusedByDefault() throws Exception {
    String first = TestJobs.newJobId();
    invoke(slow(first, 20, 100));
    awaitRunning(first);
    String second = TestJobs.newJobId();

    HttpResponse<String> refused = service.postCloudEvent(quick(second, null, "Never."));
    HttpResponse<String> explicit = service.postCloudEvent(quick(second + "-r", "reject", "No."));

    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("THREAD_BUSY", first);
    assertThat(explicit.statusCode()).isEqualTo(409);
    JsonNode failed = results.awaitOne(second, Duration.ofSeconds(5)).event();
    assertThat(failed.path("data").path("error").path("type").asText()).isEqualTo("THREAD_BUSY");
    assertThat(failed.path("data").path("thread_id").asText()).isEqualTo(threadId);
    assertThat(service.awaitState(first, "completed", Duration.ofSeconds(20))).isNotNull();
    assertThat(service.postCloudEvent(quick(second, null, "Now.")).statusCode())
        .as("the same job once the thread is free")
        .isEqualTo(200);
  }

  @Test
  void anEnqueuedJobWaitsQueuedAndRunsAfterTheActiveOneOnItsState() throws Exception {
    String first = TestJobs.newJobId();
    invoke(slow(first, 8, 150));
    awaitRunning(first);
    String second = TestJobs.newJobId();
    String third = TestJobs.newJobId();

    CompletableFuture<HttpResponse<String>> waiting =
        CompletableFuture.supplyAsync(
            () -> service.postCloudEvent(quick(second, "enqueue", "Second, after the first.")));
    NatsTestKit.await(
        "the second job queued",
        Duration.ofSeconds(5),
        () ->
            Json.parse(service.get("/state/" + second).body())
                .path("status")
                .asText()
                .equals("queued"));
    invoke(quick(third, "enqueue", "Third, after the second."));
    HttpResponse<String> answered = waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    assertThat(Json.parse(answered.body()).path("data").path("result").path("output").asText())
        .isEqualTo("Second, after the first.");
    JsonNode thread = service.awaitState(third, "completed", Duration.ofSeconds(20));
    assertThat(thread.path("thread_id").asText()).isEqualTo(threadId);
    assertThat(thread.path("generated_files").has("/step-7.txt"))
        .as("the queued runs continued the first run's state")
        .isTrue();
    JsonNode history =
        Json.parse(service.get("/threads/" + threadId + "/history?limit=200").body());
    java.util.List<String> writers = new java.util.ArrayList<>();
    for (JsonNode checkpoint : history.path("checkpoints")) {
      String job = checkpoint.path("job_id").asText();
      if (writers.isEmpty() || !writers.getLast().equals(job)) writers.add(job);
    }
    assertThat(writers)
        .as("newest first, one run after another")
        .containsExactly(third, second, first);
  }

  @Test
  void aQueuedJobCancelledBeforeItsTurnNeverRunsIsCancelledOnceAndTheLineMovesUp()
      throws Exception {
    String first = TestJobs.newJobId();
    invoke(slow(first, 10, 150));
    awaitRunning(first);
    String second = TestJobs.newJobId();
    String third = TestJobs.newJobId();
    CompletableFuture<HttpResponse<String>> waiting =
        CompletableFuture.supplyAsync(
            () -> service.postCloudEvent(quick(second, "enqueue", "Never said.")));
    NatsTestKit.await(
        "the second job queued",
        Duration.ofSeconds(5),
        () ->
            Json.parse(service.get("/state/" + second).body())
                .path("status")
                .asText()
                .equals("queued"));
    invoke(quick(third, "enqueue", "Third, after the first."));

    HttpResponse<String> cancel = service.post("/cancel/" + second, "");
    HttpResponse<String> again = service.post("/cancel/" + second, "");

    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
    assertThat(again.statusCode()).as("cancelling twice is harmless").isEqualTo(202);
    HttpResponse<String> answered = waiting.get(20, java.util.concurrent.TimeUnit.SECONDS);
    JsonNode cancelled = results.awaitOne(second, Duration.ofSeconds(10)).event();
    assertThat(cancelled.path("type").asText()).isEqualTo("dev.my-platform.agent.cancelled");
    assertThat(cancelled.path("data").path("error").path("message").asText())
        .contains("waited for its turn");
    assertThat(Json.parse(answered.body()).path("type").asText())
        .as(answered.body())
        .isEqualTo("dev.my-platform.agent.cancelled");
    JsonNode state = service.awaitState(second, "cancelled", Duration.ofSeconds(5));
    assertThat(state.path("thread_id").asText()).isEqualTo(threadId);
    assertThat(service.awaitState(third, "completed", Duration.ofSeconds(30))).isNotNull();
    assertThat(results.forJob(first)).hasSize(1);
    Thread.sleep(1_500); // more than NATS_NAK_DELAY_SECONDS: any redelivery has come and gone
    assertThat(results.forJob(second)).as("one cancelled event").hasSize(1);
    JsonNode history =
        Json.parse(service.get("/threads/" + threadId + "/history?limit=200").body());
    java.util.Set<String> writers = new java.util.HashSet<>();
    for (JsonNode checkpoint : history.path("checkpoints"))
      writers.add(checkpoint.path("job_id").asText());
    assertThat(writers).as("the cancelled job never ran").containsExactlyInAnyOrder(first, third);
    assertThat(
            PostgresTestSchema.queryValue(
                "select count(*) from " + environment.schema + ".thread_runs where job_id = ?",
                second))
        .as("its row in line is gone")
        .isEqualTo(0L);
  }

  @Test
  void anInterruptingJobStopsTheActiveRunAndRunsInstead() throws Exception {
    String first = TestJobs.newJobId();
    invoke(slow(first, 50, 200));
    awaitRunning(first);
    String second = TestJobs.newJobId();

    HttpResponse<String> answered =
        service.postCloudEvent(quick(second, "interrupt", "Answered instead."));

    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    assertThat(Json.parse(answered.body()).path("data").path("result").path("output").asText())
        .isEqualTo("Answered instead.");
    JsonNode interrupted = results.awaitOne(first, Duration.ofSeconds(5)).event();
    assertThat(interrupted.path("type").asText()).isEqualTo("dev.my-platform.agent.cancelled");
    assertThat(interrupted.path("data").path("error").path("type").asText()).isEqualTo("Cancelled");
    assertThat(interrupted.path("data").path("error").path("message").asText())
        .contains("multitask_strategy interrupt");
    JsonNode state = Json.parse(service.get("/state/" + threadId).body());
    assertThat(state.path("job_id").asText()).isEqualTo(second);
    assertThat(state.path("generated_files").has("/step-0.txt")).isTrue();
    assertThat(state.path("generated_files").has("/step-49.txt")).isFalse();
  }

  @Test
  void anEnqueuedJobOnAnotherReplicaAndOneFromNatsRunWhenTheThreadIsFree() throws Exception {
    try (ServiceProcess other = ServiceProcess.start(environment.env())) {
      other.awaitReady(Duration.ofSeconds(30));
      String first = TestJobs.newJobId();
      invoke(slow(first, 10, 200));
      awaitRunning(first);
      String overHttp = TestJobs.newJobId();
      String overNats = TestJobs.newJobId();

      CompletableFuture<HttpResponse<String>> waiting =
          CompletableFuture.supplyAsync(
              () ->
                  post(
                      other,
                      CloudEvents.structured(quick(overHttp, "enqueue", "From the other replica."))
                          .toString()));
      NatsTestKit.await(
          "the other replica's job queued",
          Duration.ofSeconds(10),
          () ->
              Json.parse(service.get("/state/" + overHttp).body())
                  .path("status")
                  .asText()
                  .equals("queued"));
      results.publishJob(
          environment.jobSubject("queued"), quick(overNats, "enqueue", "From NATS."));
      HttpResponse<String> answered = waiting.get(40, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(answered.statusCode()).as(answered.body() + other.log()).isEqualTo(200);
      JsonNode firstDone = results.awaitOne(first, Duration.ofSeconds(5)).event();
      JsonNode httpDone = results.awaitOne(overHttp, Duration.ofSeconds(5)).event();
      JsonNode natsDone = results.awaitOne(overNats, Duration.ofSeconds(30)).event();
      assertThat(firstDone.path("type").asText()).isEqualTo("dev.my-platform.agent.completed");
      assertThat(natsDone.path("type").asText()).isEqualTo("dev.my-platform.agent.completed");
      assertThat(java.time.OffsetDateTime.parse(httpDone.path("time").asText()))
          .isAfter(java.time.OffsetDateTime.parse(firstDone.path("time").asText()));
      JsonNode history =
          Json.parse(service.get("/threads/" + threadId + "/history?limit=200").body());
      java.util.List<String> writers = new java.util.ArrayList<>();
      for (JsonNode checkpoint : history.path("checkpoints")) {
        String job = checkpoint.path("job_id").asText();
        if (writers.isEmpty() || !writers.getLast().equals(job)) writers.add(job);
      }
      assertThat(writers)
          .as("one run after another, the first one oldest")
          .hasSize(3)
          .endsWith(first)
          .containsExactlyInAnyOrder(natsDone.path("subject").asText(), overHttp, first);
      assertThat(writers.get(0)).as("queued in the order they came").isEqualTo(overNats);
    }
  }

  private static HttpResponse<String> post(ServiceProcess process, String body) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + process.port() + "/"))
                  .timeout(Duration.ofSeconds(60))
                  .header("Content-Type", "application/cloudevents+json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
