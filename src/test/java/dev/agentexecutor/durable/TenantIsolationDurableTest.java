package dev.agentexecutor.durable;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.testkit.CloudEvents;
import dev.agentexecutor.testkit.DurableEnvironment;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.PostgresTestSchema;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.impl.Headers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Tenant ownership on real PostgreSQL, Redis and NATS: a NATS job's {@code tenant} attribute makes
 * it that tenant's; ownership survives a restart (the jobs table, and the checkpoints' metadata of
 * a job still running elsewhere); a NATS job reusing another tenant's job id runs nothing.
 */
@Tag("integration")
class TenantIsolationDurableTest {
  private static final String ACME = "acme-token-0123456789abcdef";
  private static final String GLOBEX = "globex-token-0123456789abcdef";
  private final DurableEnvironment environment =
      new DurableEnvironment().with("API_TOKENS", ACME + "=acme," + GLOBEX + "=globex");
  private ServiceHarness service;
  private ResultListener results;

  private void start() throws Exception {
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

  private int status(String path, String token) {
    return service.get(path, "Authorization", "Bearer " + token).statusCode();
  }

  private void publishJob(JsonNode job, String tenant) throws Exception {
    var event = CloudEvents.structured(job);
    if (tenant != null) event.put("tenant", tenant);
    results
        .connection()
        .jetStream()
        .publish(
            environment.jobSubject("tenant"),
            new Headers().add("Content-Type", "application/cloudevents+json"),
            event.toString().getBytes(StandardCharsets.UTF_8));
  }

  private void awaitConsumerIdle() throws Exception {
    NatsTestKit.await(
        "every job message settled",
        Duration.ofSeconds(15),
        () -> {
          ConsumerInfo info =
              results
                  .connection()
                  .jetStreamManagement()
                  .getConsumerInfo(environment.jobStream, environment.consumer());
          return info.getNumAckPending() == 0 && info.getNumPending() == 0;
        });
  }

  @Test
  void aNatsJobBelongsToTheTenantOfItsCloudEventAndOwnershipSurvivesARestart() throws Exception {
    results = new ResultListener(environment.subjectPrefix);
    start();
    String natsJob = TestJobs.newJobId();
    publishJob(TestJobs.threeStepScripted(natsJob), "globex");
    assertThat(results.awaitOne(natsJob, Duration.ofSeconds(15)).event().path("type").asText())
        .isEqualTo("dev.my-platform.agent.completed");
    String httpJob = TestJobs.newJobId();
    assertThat(
            service
                .postCloudEvent(
                    TestJobs.threeStepScripted(httpJob), "Authorization", "Bearer " + ACME)
                .statusCode())
        .isEqualTo(200);
    assertThat(
            PostgresTestSchema.queryValue(
                "select tenant from " + environment.schema + ".jobs where job_id = ?", natsJob))
        .isEqualTo("globex");

    service.close(); // a new instance knows ownership only from the database
    start();

    assertThat(status("/state/" + natsJob, GLOBEX)).isEqualTo(200);
    assertThat(status("/state/" + natsJob, ACME)).isEqualTo(404);
    assertThat(status("/stream/" + natsJob + "/events", ACME)).isEqualTo(404);
    assertThat(status("/state/" + httpJob, ACME)).isEqualTo(200);
    assertThat(status("/state/" + httpJob, GLOBEX)).isEqualTo(404);
    assertThat(service.delete("/cleanup/" + httpJob).statusCode()).isEqualTo(401);
  }

  @Test
  void aJobRunningElsewhereIsOwnedThroughItsCheckpoints() throws Exception {
    start();
    String jobId = TestJobs.newJobId();
    // What another worker's run leaves while it is still running: checkpoints, no job record.
    AgentState state = AgentState.initial(List.of(Message.user("work")), Map.of(), Map.of());
    service
        .app()
        .backends()
        .checkpointer()
        .put(
            new Checkpoint(
                jobId,
                "",
                "1f000000-0000-7000-8000-000000000001",
                null,
                1,
                Instant.now(),
                Checkpoint.Next.MODEL,
                state,
                "globex"));
    service.close();
    start(); // read back from PostgreSQL, not from memory

    HttpResponse<String> owner =
        service.get("/state/" + jobId, "Authorization", "Bearer " + GLOBEX);
    assertThat(owner.statusCode()).isEqualTo(200);
    assertThat(Json.parse(owner.body()).path("status").asText()).isEqualTo("running");
    assertThat(status("/state/" + jobId, ACME)).isEqualTo(404);
    assertThat(status("/cancel/" + jobId, ACME)).isEqualTo(405); // GET: only POST cancels
    assertThat(service.post("/cancel/" + jobId, "", "Authorization", "Bearer " + ACME).statusCode())
        .isEqualTo(404);
    // A job under that id from another tenant would resume globex's state: it is refused.
    HttpResponse<String> resumed =
        service.postCloudEvent(
            TestJobs.threeStepScripted(jobId), "Authorization", "Bearer " + ACME);
    assertThat(resumed.statusCode()).isEqualTo(409);
  }

  @Test
  void aNatsJobReusingAnotherTenantsJobIdRunsAndPublishesNothing() throws Exception {
    results = new ResultListener(environment.subjectPrefix);
    start();
    String jobId = TestJobs.newJobId();
    assertThat(
            service
                .postCloudEvent(
                    TestJobs.threeStepScripted(jobId), "Authorization", "Bearer " + ACME)
                .statusCode())
        .isEqualTo(200);
    results.awaitOne(jobId, Duration.ofSeconds(10));

    publishJob(TestJobs.threeStepScripted(jobId), "globex");
    publishJob(
        TestJobs.threeStepScripted(jobId),
        "not a valid tenant!"); // invalid: a failed event, never run
    awaitConsumerIdle();

    assertThat(results.forJob(jobId))
        .extracting(r -> r.event().path("type").asText())
        .containsExactly("dev.my-platform.agent.completed", "dev.my-platform.agent.failed");
    assertThat(
            results
                .forJob(jobId)
                .get(1)
                .event()
                .path("data")
                .path("error")
                .path("message")
                .asText())
        .contains("tenant");
    assertThat(status("/state/" + jobId, ACME)).isEqualTo(200);
    assertThat(
            PostgresTestSchema.queryValue(
                "select tenant from " + environment.schema + ".jobs where job_id = ?", jobId))
        .isEqualTo("acme");
  }
}
