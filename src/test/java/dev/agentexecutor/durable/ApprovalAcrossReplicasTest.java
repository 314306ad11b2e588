package dev.agentexecutor.durable;

import static dev.agentexecutor.durable.ApprovalEndToEndTest.approvalJob;
import static dev.agentexecutor.durable.ApprovalEndToEndTest.decisions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.testkit.CloudEvents;
import dev.agentexecutor.testkit.DurableEnvironment;
import dev.agentexecutor.testkit.FakeLlmReply;
import dev.agentexecutor.testkit.FakeLlmRequest;
import dev.agentexecutor.testkit.FakeLlmServer;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.ServiceProcess;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Parked jobs across replicas: two service processes on the same PostgreSQL, Redis and NATS. A job
 * parks on one and is resumed on the other (HTTP and NATS), survives the death (kill -9) of the
 * process it parked on, and a resume delivered twice, or redelivered after a crash, continues it
 * exactly once.
 */
@Tag("integration")
class ApprovalAcrossReplicasTest {
  private final DurableEnvironment environment = new DurableEnvironment();
  private final FakeLlmServer llm = FakeLlmServer.start();
  private final HttpClient http = HttpClient.newHttpClient();

  /** Generous: the machine running the tests may be busy with other builds. */
  private static final Duration STARTUP = Duration.ofSeconds(90);

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
        .env();
  }

  private HttpResponse<String> post(ServiceProcess service, String path, String body, String type)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode state(ServiceProcess service, String jobId) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + service.port() + "/state/" + jobId))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return Json.parse(response.body());
  }

  private JsonNode awaitStatus(ServiceProcess service, String jobId, String status)
      throws Exception {
    NatsTestKit.await(
        jobId + " " + status,
        Duration.ofSeconds(30),
        () -> status.equals(state(service, jobId).path("status").asText()));
    return state(service, jobId);
  }

  private static String writeArgs(String path) {
    return Json.object().put("file_path", path).put("content", "approved").toString();
  }

  private static long toolMessages(FakeLlmRequest request) {
    long count = 0;
    for (JsonNode message : request.messages())
      if ("tool".equals(message.path("role").asText())) count++;
    return count;
  }

  @Test
  void aJobParkedOnAKilledReplicaIsResumedOverHttpOnAnother() throws Exception {
    String jobId = TestJobs.newJobId();
    llm.enqueue(
        FakeLlmReply.toolCall("w1", "write_file", writeArgs("/a.md")),
        FakeLlmReply.text("resumed on the other replica"));
    try (ServiceProcess first = ServiceProcess.start(env());
        ServiceProcess second = ServiceProcess.start(env())) {
      first.awaitReady(STARTUP);
      second.awaitReady(STARTUP);

      ObjectNode event = CloudEvents.structured(approvalJob(jobId, "{\"write_file\": true}"));
      HttpResponse<String> parked =
          post(first, "/", event.toString(), "application/cloudevents+json");
      assertThat(parked.statusCode()).as(first.log()).isEqualTo(200);
      assertThat(Json.parse(parked.body()).path("type").asText())
          .isEqualTo("dev.my-platform.agent.interrupted");
      assertThat(state(second, jobId).path("status").asText()).isEqualTo("interrupted");
      first.kill();

      ObjectNode body = Json.object();
      body.set("decisions", decisions("{\"type\": \"approve\"}"));
      HttpResponse<String> resumed =
          post(second, "/jobs/" + jobId + "/resume", body.toString(), "application/json");

      assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(202);
      JsonNode done = awaitStatus(second, jobId, "completed");
      assertThat(done.path("result").path("output").asText())
          .isEqualTo("resumed on the other replica");
      assertThat(done.path("generated_files").has("/a.md")).isTrue();
      assertThat(llm.requestCount()).isEqualTo(2);
      assertThat(toolMessages(llm.lastRequest())).isEqualTo(1);
    }
  }

  @Test
  void aJobParkedOverNatsIsResumedOnceByAResumeEventDeliveredTwice() throws Exception {
    String jobId = TestJobs.newJobId();
    llm.enqueue(
        FakeLlmReply.toolCall("w1", "write_file", writeArgs("/n.md")),
        FakeLlmReply.text("resumed over NATS"));
    try (ResultListener results = new ResultListener(environment.subjectPrefix);
        ServiceProcess first = ServiceProcess.start(env());
        ServiceProcess second = ServiceProcess.start(env())) {
      first.awaitReady(STARTUP);
      second.awaitReady(STARTUP);

      results.publishJob(
          environment.jobSubject("park"), approvalJob(jobId, "{\"write_file\": true}"));
      ResultListener.Received interrupted = results.awaitOne(jobId, Duration.ofSeconds(30));
      assertThat(interrupted.subject()).isEqualTo(environment.interruptedSubject());
      assertThat(interrupted.event().path("data").path("interrupts").get(0).path("id").asText())
          .isEqualTo("|w1");

      JsonNode resume = CloudEvents.resume(jobId, decisions("{\"type\": \"approve\"}"));
      results.publishEvent(environment.jobSubject("resume"), resume);
      results.publishEvent(
          environment.jobSubject("resume"),
          CloudEvents.resume(jobId, decisions("{\"type\": \"approve\"}")));

      NatsTestKit.await(
          "the completed event", Duration.ofSeconds(30), () -> results.forJob(jobId).size() >= 2);
      Thread.sleep(2_000); // time for a second continuation, if there were one
      assertThat(results.forJob(jobId))
          .extracting(ResultListener.Received::subject)
          .as(first.log() + second.log())
          .containsExactly(environment.interruptedSubject(), environment.completedSubject());
      assertThat(llm.requestCount()).isEqualTo(2);
      assertThat(toolMessages(llm.lastRequest())).isEqualTo(1);
      assertThat(state(first, jobId).path("status").asText()).isEqualTo("completed");
      assertThat(first.log() + second.log()).contains("resume of job " + jobId + " ignored");
    }
  }

  @Test
  void aResumeRedeliveredAfterItsReplicaDiedContinuesTheJobOnAnother() throws Exception {
    resumeKillAndFinishElsewhere(
        "/c.md",
        (first, results, jobId) ->
            results.publishEvent(
                environment.jobSubject("resume"),
                CloudEvents.resume(jobId, decisions("{\"type\": \"approve\"}"))));
  }

  @Test
  void anHttpResumeWhoseReplicaDiedIsContinuedByAnotherFromTheJobStream() throws Exception {
    resumeKillAndFinishElsewhere(
        "/h.md",
        (first, results, jobId) -> {
          ObjectNode body = Json.object();
          body.set("decisions", decisions("{\"type\": \"approve\"}"));
          HttpResponse<String> resumed =
              post(first, "/jobs/" + jobId + "/resume", body.toString(), "application/json");
          assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(202);
        });
  }

  /** How a test resumes the parked job on the first process. */
  @FunctionalInterface
  private interface Resume {
    void on(ServiceProcess first, ResultListener results, String jobId) throws Exception;
  }

  /**
   * Parks a job over NATS on a first process, resumes it there with {@code resume}, kills the
   * process (kill -9) in the middle of the continuation's model call, and asserts that a second
   * process finishes the job: the approved call ran once, the model was asked three times, one
   * completed event.
   */
  private void resumeKillAndFinishElsewhere(String file, Resume resume) throws Exception {
    String jobId = TestJobs.newJobId();
    llm.enqueue(
        FakeLlmReply.toolCall("w1", "write_file", writeArgs(file)),
        FakeLlmReply.text("too late: killed while this is delayed")
            .withDelay(Duration.ofSeconds(30)));
    try (ResultListener results = new ResultListener(environment.subjectPrefix);
        ServiceProcess first = ServiceProcess.start(env())) {
      first.awaitReady(STARTUP);
      results.publishJob(
          environment.jobSubject("park"), approvalJob(jobId, "{\"write_file\": true}"));
      results.awaitOne(jobId, Duration.ofSeconds(30));

      resume.on(first, results, jobId);
      NatsTestKit.await(
          "the model call after the approved write",
          Duration.ofSeconds(20),
          () -> llm.requestCount() >= 2);
      first.kill();

      llm.enqueue(FakeLlmReply.text("finished after the crash"));
      try (ServiceProcess second = ServiceProcess.start(env())) {
        second.awaitReady(STARTUP);
        NatsTestKit.await(
            "the completed event", Duration.ofSeconds(30), () -> results.forJob(jobId).size() >= 2);

        JsonNode completed = results.forJob(jobId).get(1).event();
        assertThat(completed.path("data").path("result").path("output").asText())
            .as(second.log())
            .isEqualTo("finished after the crash");
        assertThat(llm.requestCount()).isEqualTo(3);
        assertThat(toolMessages(llm.lastRequest()))
            .as("the approved call ran once, before the crash")
            .isEqualTo(1);
        JsonNode state = state(second, jobId);
        assertThat(state.path("status").asText()).isEqualTo("completed");
        assertThat(state.path("generated_files").has(file)).isTrue();
        Thread.sleep(1_000);
        assertThat(results.forJob(jobId)).as("parked, then completed once").hasSize(2);
      }
    }
  }
}
