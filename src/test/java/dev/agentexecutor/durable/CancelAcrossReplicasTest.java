package dev.agentexecutor.durable;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.testkit.CloudEvents;
import dev.agentexecutor.testkit.DurableEnvironment;
import dev.agentexecutor.testkit.FakeLlmReply;
import dev.agentexecutor.testkit.FakeLlmServer;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.ServiceProcess;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import io.nats.client.impl.Headers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two service processes on one PostgreSQL, Redis and NATS: a job runs on B (its model call held for
 * forty seconds) and is cancelled through A, by POST /cancel or by the cancel CloudEvent over NATS.
 * B stops it within a second, the model request is aborted, exactly one {@code
 * agent.status.cancelled} event is published, and both replicas report it cancelled.
 *
 * <p>B is started alone and takes the job from NATS with its only job slot (MAX_CONCURRENT_JOBS=1),
 * so that the job runs on B and a cancel message on NATS can only be taken by A.
 */
@Tag("integration")
class CancelAcrossReplicasTest {
  private static final Duration HOLD = Duration.ofSeconds(40);

  private final DurableEnvironment environment = new DurableEnvironment();
  private final FakeLlmServer llm = FakeLlmServer.start();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void cleanUp() throws Exception {
    llm.close();
    environment.close();
  }

  private Map<String, String> env() {
    return environment
        .with("LLM_PROVIDER", "openai")
        .with("OPENAI_BASE_URL", llm.baseUrl())
        .with("OPENAI_API_KEY", "test-key")
        .with("MODEL_MAX_RETRIES", "0")
        .with("MODEL_TIMEOUT_SECONDS", "60")
        .with("MAX_CONCURRENT_JOBS", "1")
        .env();
  }

  /** B runs the job (its model call held), then A starts: the replica that takes the cancel. */
  private record Replicas(ServiceProcess a, ServiceProcess b) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      a.close();
      b.close();
    }
  }

  private Replicas jobRunningOnB(ResultListener results, String jobId) throws Exception {
    llm.defaultReply(FakeLlmReply.text("too late").withDelay(HOLD));
    ServiceProcess b = ServiceProcess.start(env());
    ServiceProcess a = null;
    try {
      b.awaitReady(Duration.ofSeconds(30));
      results.publishJob(
          environment.jobSubject("b"),
          TestJobs.job(jobId, TestJobs.orchestrator("openai", "gpt-4o-mini", null), "Hi"));
      NatsTestKit.await(
          "the model call in flight on B", Duration.ofSeconds(20), () -> llm.requestCount() >= 1);
      a = ServiceProcess.start(env());
      a.awaitReady(Duration.ofSeconds(30));
      // A may not know the job from storage yet (its first checkpoint is saved after the first
      // model call): the cancel must reach B anyway.
      return new Replicas(a, b);
    } catch (Exception | Error e) {
      b.close();
      if (a != null) a.close();
      throw e;
    }
  }

  @Test
  void aJobRunningOnBIsCancelledThroughAsRouteWithinASecond() throws Exception {
    String jobId = TestJobs.newJobId();
    try (ResultListener results = new ResultListener(environment.subjectPrefix);
        Replicas replicas = jobRunningOnB(results, jobId)) {
      long sent = System.nanoTime();
      HttpResponse<String> cancel = post(replicas.a(), "/cancel/" + jobId, "", "text/plain");
      HttpResponse<String> again = post(replicas.a(), "/cancel/" + jobId, "", "text/plain");

      assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
      assertThat(Json.parse(cancel.body()))
          .isEqualTo(Json.object().put("thread_id", jobId).put("status", "cancelling"));
      assertThat(again.statusCode()).isIn(202, 409);
      assertStoppedOnceWithinASecond(results, replicas, jobId, sent);
    }
  }

  @Test
  void aJobRunningOnBIsCancelledByACancelEventThatATakesFromNats() throws Exception {
    String jobId = TestJobs.newJobId();
    try (ResultListener results = new ResultListener(environment.subjectPrefix);
        Replicas replicas = jobRunningOnB(results, jobId)) {
      long sent = System.nanoTime();
      publishCancel(results, jobId);
      publishCancel(results, jobId); // a cancel sent twice still publishes one event

      assertStoppedOnceWithinASecond(results, replicas, jobId, sent);
      NatsTestKit.await(
          "A took the cancel requests",
          Duration.ofSeconds(10),
          () -> replicas.a().log().contains("cancel request for job " + jobId));
      assertThat(replicas.b().log()).doesNotContain("cancel request for job " + jobId);
    }
  }

  private void assertStoppedOnceWithinASecond(
      ResultListener results, Replicas replicas, String jobId, long sentNanos) throws Exception {
    ResultListener.Received event = results.awaitOne(jobId, Duration.ofSeconds(10));
    Duration stop = Duration.ofNanos(System.nanoTime() - sentNanos);
    assertThat(stop).as("time from the cancel to its event").isLessThan(Duration.ofSeconds(1));
    assertThat(event.subject()).isEqualTo(environment.subjectPrefix + ".status.cancelled");
    assertThat(event.event().path("type").asText()).isEqualTo("dev.my-platform.agent.cancelled");
    JsonNode data = event.event().path("data");
    assertThat(data.path("job_id").asText()).isEqualTo(jobId);
    assertThat(data.path("thread_id").asText()).isEqualTo(jobId);
    assertThat(data.path("error").path("type").asText()).isEqualTo("Cancelled");
    assertThat(llm.requestCount()).as("the model call is aborted, not retried").isEqualTo(1);
    for (ServiceProcess replica : new ServiceProcess[] {replicas.a(), replicas.b()}) {
      JsonNode state = state(replica, jobId);
      assertThat(state.path("status").asText()).isEqualTo("cancelled");
      assertThat(state.path("error").path("type").asText()).isEqualTo("Cancelled");
    }
    Thread.sleep(1000);
    assertThat(results.forJob(jobId)).as(replicas.b().log()).hasSize(1);
  }

  private void publishCancel(ResultListener results, String jobId) throws Exception {
    results
        .connection()
        .jetStream()
        .publish(
            environment.jobSubject("cancel"),
            new Headers().add("Content-Type", "application/cloudevents+json"),
            CloudEvents.cancel(jobId).toString().getBytes(StandardCharsets.UTF_8));
  }

  private JsonNode state(ServiceProcess replica, String jobId) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(url(replica, "/state/" + jobId)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }

  private HttpResponse<String> post(
      ServiceProcess replica, String path, String body, String contentType) throws Exception {
    return http.send(
        HttpRequest.newBuilder(url(replica, path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI url(ServiceProcess replica, String path) {
    return URI.create("http://127.0.0.1:" + replica.port() + path);
  }
}
