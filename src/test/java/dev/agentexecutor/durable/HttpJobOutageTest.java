package dev.agentexecutor.durable;

import static dev.agentexecutor.testkit.PostgresTestSchema.execute;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.postgres.Migrations;
import dev.agentexecutor.postgres.PostgresMigrator;
import dev.agentexecutor.testkit.DurableEnvironment;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.PostgresTestSchema;
import dev.agentexecutor.testkit.RedisOrNatsServer;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamState;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Jobs submitted over HTTP while a backend goes down in the middle of their run, on servers the
 * test controls (a private redis-server or nats-server, a PostgreSQL role the test locks out):
 * every job ends completed or failed, its result event is published exactly once, nothing stays
 * "running", and the result counts the tokens of every attempt.
 */
@Tag("integration")
class HttpJobOutageTest {
  /** Tokens each scripted answer reports. */
  private static final int INPUT_TOKENS = 100;

  private static final int OUTPUT_TOKENS = 10;
  private static final int STEPS = 6;

  private final DurableEnvironment environment =
      new DurableEnvironment()
          .with("LOCAL_RETRY_BACKOFF_SECONDS", "1")
          .with("RESULT_OUTBOX_INTERVAL_SECONDS", "1");
  private ServiceHarness service;

  @AfterEach
  void stop() throws Exception {
    if (service != null) service.close();
    environment.close();
  }

  /** STEPS tool-call steps of 400 ms each, then an answer; every answer reports its tokens. */
  private static ObjectNode slowJob(String jobId) {
    ArrayNode script = Json.MAPPER.createArrayNode();
    for (int i = 0; i < STEPS; i++) {
      ObjectNode step = script.addObject().put("delay_ms", 400);
      step.putObject("usage").put("input_tokens", INPUT_TOKENS).put("output_tokens", OUTPUT_TOKENS);
      ObjectNode call = step.putArray("tool_calls").addObject().put("name", "write_file");
      call.putObject("args").put("file_path", "/step-" + i + ".txt").put("content", "step " + i);
    }
    ObjectNode answer = script.addObject().put("content", "done after " + STEPS + " steps");
    answer.putObject("usage").put("input_tokens", INPUT_TOKENS).put("output_tokens", OUTPUT_TOKENS);
    return TestJobs.job(
        jobId, TestJobs.orchestrator("scripted", "scripted", script), "Work through an outage.");
  }

  private CompletableFuture<HttpResponse<String>> postInBackground(String jobId) {
    return CompletableFuture.supplyAsync(() -> service.postCloudEvent(slowJob(jobId)));
  }

  private void awaitReady() throws Exception {
    NatsTestKit.await(
        "ready", Duration.ofSeconds(20), () -> service.get("/ready").statusCode() == 200);
  }

  /** Waits until the job wrote a checkpoint or two: the run is in the middle of its steps. */
  private void awaitMidRun(String jobId) throws Exception {
    NatsTestKit.await(
        "the job in the middle of its run",
        Duration.ofSeconds(20),
        () ->
            ((Number)
                        PostgresTestSchema.queryValue(
                            "select count(*) from "
                                + environment.schema
                                + ".checkpoints where thread_id = ?",
                            jobId))
                    .longValue()
                >= 2);
  }

  /** The completed event's usage counts every answer of the run, whatever attempt made it. */
  private static void assertUsageOfAllAttempts(JsonNode event) {
    JsonNode usage = event.path("data").path("result").path("usage");
    assertThat(usage.path("input_tokens").asLong())
        .as("input tokens of all %d answers: %s", STEPS + 1, event)
        .isEqualTo((long) INPUT_TOKENS * (STEPS + 1));
    assertThat(usage.path("output_tokens").asLong()).isEqualTo((long) OUTPUT_TOKENS * (STEPS + 1));
  }

  private String storedStatus(String jobId) throws Exception {
    return (String)
        PostgresTestSchema.queryValue(
            "select status from " + environment.schema + ".jobs where job_id = ?", jobId);
  }

  /** Every result event of the job stored in the result stream (what consumers will read). */
  private List<JsonNode> resultStream(String natsUrl, String jobId) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    try (Connection nats = Nats.connect(natsUrl)) {
      JetStreamManagement management = nats.jetStreamManagement();
      StreamState state = management.getStreamInfo(environment.resultStream).getStreamState();
      for (long seq = state.getFirstSequence(); seq <= state.getLastSequence(); seq++) {
        try {
          MessageInfo message = management.getMessage(environment.resultStream, seq);
          JsonNode event = Json.parse(message.getData());
          if (jobId.equals(event.path("subject").asText())) events.add(event);
        } catch (JetStreamApiException e) {
          // a deleted message
        }
      }
    }
    return events;
  }

  /** The job ended once: one result in the stream, its record final, its message settled. */
  private void assertPublishedExactlyOnce(String natsUrl, String jobId, String type)
      throws Exception {
    NatsTestKit.await(
        "the result published",
        Duration.ofSeconds(30),
        () -> !resultStream(natsUrl, jobId).isEmpty());
    NatsTestKit.await(
        "the result marked published in the outbox",
        Duration.ofSeconds(30),
        () ->
            PostgresTestSchema.queryValue(
                    "select result_published_at from "
                        + environment.schema
                        + ".jobs where job_id = ?",
                    jobId)
                != null);
    try (Connection nats = Nats.connect(natsUrl)) {
      NatsTestKit.await(
          "the job message settled",
          Duration.ofSeconds(30),
          () ->
              nats.jetStreamManagement()
                      .getConsumerInfo(environment.jobStream, environment.consumer())
                      .getNumAckPending()
                  == 0);
    }
    Thread.sleep(1500); // a second publish (redelivery, relay) would be in the stream by now
    List<JsonNode> results = resultStream(natsUrl, jobId);
    assertThat(results).extracting(e -> e.path("type").asText()).containsExactly(type);
  }

  @Test
  void aPostedJobOutlivesARedisOutageOnTheJobStreamAndIsPublishedOnce() throws Exception {
    try (RedisOrNatsServer redis = RedisOrNatsServer.redis()) {
      service = ServiceHarness.start(environment.with("REDIS_URL", redis.redisUri()).env());
      awaitReady();
      String jobId = TestJobs.newJobId();
      CompletableFuture<HttpResponse<String>> posted = postInBackground(jobId);
      awaitMidRun(jobId);

      redis.stop();
      Thread.sleep(3000);
      redis.start();

      HttpResponse<String> answer = posted.get();
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      JsonNode event = Json.parse(answer.body());
      assertThat(event.path("type").asText()).isEqualTo("dev.my-platform.agent.completed");
      assertUsageOfAllAttempts(event);
      assertPublishedExactlyOnce(NatsTestKit.SHARED_URL, jobId, event.path("type").asText());
      assertThat(storedStatus(jobId)).isEqualTo("completed");
      assertThat(Json.parse(service.get("/state/" + jobId).body()).path("status").asText())
          .isEqualTo("completed");
    }
  }

  @Test
  void aPostedJobOutlivesAPostgresOutageOnTheJobStreamAndIsPublishedOnce() throws Exception {
    String role = "ae_http_" + UUID.randomUUID().toString().substring(0, 8);
    execute("CREATE ROLE " + role + " LOGIN");
    try {
      PostgresMigrator.migrate(
          PostgresTestSchema.settings(
              environment.schema, PostgresTestSchema.USER, PostgresTestSchema.PORT),
          Migrations.fromClasspath());
      execute("GRANT USAGE ON SCHEMA " + environment.schema + " TO " + role);
      execute("GRANT ALL ON ALL TABLES IN SCHEMA " + environment.schema + " TO " + role);
      service =
          ServiceHarness.start(
              environment.with("POSTGRES_USER", role).with("MIGRATE_ON_START", "false").env());
      awaitReady();
      String jobId = TestJobs.newJobId();
      CompletableFuture<HttpResponse<String>> posted = postInBackground(jobId);
      awaitMidRun(jobId);

      execute("ALTER ROLE " + role + " NOLOGIN");
      execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
      Thread.sleep(3000);
      execute("ALTER ROLE " + role + " LOGIN");

      HttpResponse<String> answer = posted.get();
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      JsonNode event = Json.parse(answer.body());
      assertThat(event.path("type").asText()).isEqualTo("dev.my-platform.agent.completed");
      assertUsageOfAllAttempts(event);
      assertPublishedExactlyOnce(NatsTestKit.SHARED_URL, jobId, event.path("type").asText());
      assertThat(storedStatus(jobId)).isEqualTo("completed");
    } finally {
      execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
      execute("DROP OWNED BY " + role);
      execute("DROP ROLE " + role);
    }
  }

  @Test
  void aJobThatEndsDuringANatsOutageIsAnsweredAndItsResultPublishedOnceWhenNatsIsBack()
      throws Exception {
    try (RedisOrNatsServer nats = RedisOrNatsServer.nats()) {
      service = ServiceHarness.start(environment.with("NATS_URL", nats.natsUrl()).env());
      awaitReady();
      String jobId = TestJobs.newJobId();
      CompletableFuture<HttpResponse<String>> posted = postInBackground(jobId);
      awaitMidRun(jobId);

      nats.stop();
      HttpResponse<String> answer = posted.get();
      assertThat(answer.statusCode())
          .as("the result is stored: the call does not wait for NATS (%s)", answer.body())
          .isEqualTo(200);
      JsonNode event = Json.parse(answer.body());
      assertThat(event.path("type").asText()).isEqualTo("dev.my-platform.agent.completed");
      assertThat(storedStatus(jobId)).isEqualTo("completed");
      Thread.sleep(2000);

      nats.start();
      assertPublishedExactlyOnce(nats.natsUrl(), jobId, event.path("type").asText());
      assertThat(resultStream(nats.natsUrl(), jobId).get(0).path("id").asText())
          .as("the stored event, not a new one")
          .isEqualTo(event.path("id").asText());
    }
  }

  @Test
  void withoutNatsAPostedJobIsRetriedInProcessThroughARedisOutage() throws Exception {
    try (RedisOrNatsServer redis = RedisOrNatsServer.redis()) {
      service =
          ServiceHarness.start(withoutNats(environment.with("REDIS_URL", redis.redisUri()).env()));
      awaitReady();
      String jobId = TestJobs.newJobId();
      CompletableFuture<HttpResponse<String>> posted = postInBackground(jobId);
      awaitMidRun(jobId);

      redis.stop();
      Thread.sleep(2500);
      redis.start();

      HttpResponse<String> answer = posted.get();
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      JsonNode event = Json.parse(answer.body());
      assertThat(event.path("type").asText()).isEqualTo("dev.my-platform.agent.completed");
      assertUsageOfAllAttempts(event);
      assertThat(storedStatus(jobId)).isEqualTo("completed");
    }
  }

  @Test
  void withoutNatsAJobWhoseOutageOutlastsItsRetriesIsRecordedAsFailed() throws Exception {
    try (RedisOrNatsServer redis = RedisOrNatsServer.redis()) {
      service =
          ServiceHarness.start(
              withoutNats(
                  environment
                      .with("REDIS_URL", redis.redisUri())
                      .with("LOCAL_RETRY_MAX_ATTEMPTS", "3")
                      .env()));
      awaitReady();
      String jobId = TestJobs.newJobId();
      CompletableFuture<HttpResponse<String>> posted = postInBackground(jobId);
      awaitMidRun(jobId);

      redis.stop();
      HttpResponse<String> answer = posted.get();

      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      JsonNode event = Json.parse(answer.body());
      assertThat(event.path("type").asText()).isEqualTo("dev.my-platform.agent.failed");
      assertThat(event.path("data").path("error").path("type").asText())
          .isEqualTo("BackendUnavailable");
      assertThat(event.path("data").path("error").path("message").asText())
          .contains("gave up after 3 attempts");
      assertThat(storedStatus(jobId)).as("recorded: not running for ever").isEqualTo("failed");
      assertThat(Json.parse(service.get("/state/" + jobId).body()).path("status").asText())
          .isEqualTo("failed");
    }
  }

  private static java.util.Map<String, String> withoutNats(java.util.Map<String, String> env) {
    java.util.Map<String, String> copy = new java.util.HashMap<>(env);
    copy.keySet().removeIf(name -> name.startsWith("NATS_"));
    return copy;
  }
}
