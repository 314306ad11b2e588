package dev.agentexecutor.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.publish.MemoryResultPublisher;
import dev.agentexecutor.testkit.CloudEvents;
import dev.agentexecutor.testkit.FakeLlmReply;
import dev.agentexecutor.testkit.FakeLlmServer;
import dev.agentexecutor.testkit.NatsTestKit;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP API end to end, over real connections, on the embedded (in-memory) backends. */
class HttpApiEndToEndTest {
  private final ServiceHarness service = ServiceHarness.start();

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void structuredCloudEventRunsTheJobAndAnswersWithTheCompletedEvent() {
    String jobId = TestJobs.newJobId();
    HttpResponse<String> response =
        service.postCloudEvent(
            TestJobs.threeStepScripted(jobId),
            "traceparent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/cloudevents+json");
    JsonNode event = Json.parse(response.body());
    assertThat(event.path("specversion").asText()).isEqualTo("1.0");
    assertThat(event.path("type").asText()).isEqualTo("dev.my-platform.agent.completed");
    assertThat(event.path("source").asText()).isEqualTo("agent-executor-service");
    assertThat(event.path("subject").asText()).isEqualTo(jobId);
    assertThat(event.path("id").asText()).matches("[0-9a-f-]{36}");
    assertThat(event.path("traceparent").asText())
        .startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
        .doesNotContain("00f067aa0ba902b7");
    JsonNode data = event.path("data");
    assertThat(data.path("job_id").asText()).isEqualTo(jobId);
    assertThat(data.path("result").path("status").asText()).isEqualTo("completed");
    assertThat(data.path("result").path("output").asText())
        .isEqualTo("The answer is in /answer.md.");
    assertThat(data.path("result").path("usage").path("input_tokens").asLong()).isPositive();
    assertThat(data.path("result").path("usage").path("output_tokens").asLong()).isPositive();

    var published = ((MemoryResultPublisher) service.app().backends().results()).published();
    assertThat(published).extracting(e -> e.getSubject()).contains(jobId);
  }

  @Test
  void binaryCloudEventRunsTheJob() {
    String jobId = TestJobs.newJobId();
    HttpResponse<String> response =
        service.post(
            "/",
            TestJobs.threeStepScripted(jobId).toString(),
            CloudEvents.binaryHeaders(
                "ce-traceparent", "00-11111111111111111111111111111111-2222222222222222-01"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode event = Json.parse(response.body());
    assertThat(event.path("type").asText()).isEqualTo("dev.my-platform.agent.completed");
    assertThat(event.path("data").path("job_id").asText()).isEqualTo(jobId);
    assertThat(event.path("traceparent").asText())
        .startsWith("00-11111111111111111111111111111111-");
  }

  @Test
  void aFailingJobIsReportedAsAFailedEventWith200() {
    String jobId = TestJobs.newJobId();
    ObjectNode job =
        TestJobs.job(
            jobId,
            TestJobs.orchestrator("scripted", "scripted", Json.MAPPER.createArrayNode()),
            "go");
    HttpResponse<String> response = service.postCloudEvent(job);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode event = Json.parse(response.body());
    assertThat(event.path("type").asText()).isEqualTo("dev.my-platform.agent.failed");
    JsonNode error = event.path("data").path("error");
    assertThat(error.path("type").asText()).isEqualTo("ModelError");
    assertThat(error.path("message").asText()).contains("scripted model has no response #1");
    assertThat(error.has("stack_trace")).isTrue();
    assertThat(error.path("stack_trace").asText()).as("stack traces stay in the log").isEmpty();
  }

  @Test
  void invokeStreamsEventsOverWebSocketAndStateAndCleanupFollow() throws Exception {
    String jobId = TestJobs.newJobId();
    HttpResponse<String> started =
        service.post("/invoke", TestJobs.slowScripted(jobId, 3, 50).toString());
    assertThat(started.statusCode()).isEqualTo(200);
    assertThat(Json.parse(started.body()))
        .isEqualTo(Json.object().put("thread_id", jobId).put("status", "started"));

    var socket = service.webSocket("/stream/" + jobId);
    socket.sendText("{\"hello\":\"server\"}"); // inbound frames are tolerated
    List<JsonNode> events = socket.awaitClose(Duration.ofSeconds(20));

    assertThat(events).isNotEmpty();
    assertThat(events.get(events.size() - 1).path("event_type").asText()).isEqualTo("end");
    assertThat(events.get(events.size() - 1).path("data"))
        .as("every event of a thread names its run (issue 12)")
        .isEqualTo(Json.object().put("job_id", jobId));
    JsonNode lastState =
        events.stream()
            .filter(e -> e.path("event_type").asText().equals("on_state_update"))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(lastState.path("data").path("files").has("/step-2.txt")).isTrue();
    assertThat(
            lastState
                .path("data")
                .path("files")
                .path("/step-2.txt")
                .path("content")
                .get(0)
                .asText())
        .isEqualTo("step 2");
    assertThat(lastState.path("data").path("files").path("/step-2.txt").path("created_at").asText())
        .isNotBlank();
    assertThat(lastState.path("data").path("messages").get(0).path("role").asText())
        .isEqualTo("user");
    assertThat(events)
        .extracting(e -> e.path("event_type").asText())
        .contains("on_tool_start", "on_tool_end", "on_llm_stream");

    JsonNode state = service.awaitState(jobId, "completed", Duration.ofSeconds(10));
    assertThat(state.path("thread_id").asText()).isEqualTo(jobId);
    assertThat(state.path("result").path("output").asText()).isEqualTo("done after 3 steps");
    assertThat(state.path("generated_files").has("/step-0.txt")).isTrue();
    assertThat(state.path("error").isNull() || state.path("error").isMissingNode()).isTrue();

    assertThat(service.delete("/deepagents-runtime/cleanup/" + jobId).statusCode()).isEqualTo(204);
    assertThat(service.get("/state/" + jobId).statusCode()).isEqualTo(404);
    assertThat(service.delete("/cleanup/" + jobId).statusCode()).isEqualTo(404);
  }

  @Test
  void aLateWebSocketClientStillGetsEveryEventOnceEndingWithEnd() throws Exception {
    String jobId = TestJobs.newJobId();
    assertThat(service.postCloudEvent(TestJobs.threeStepScripted(jobId)).statusCode())
        .isEqualTo(200);

    List<JsonNode> events =
        service.webSocket("/deepagents-runtime/stream/" + jobId).awaitClose(Duration.ofSeconds(10));
    assertThat(events)
        .extracting(e -> e.path("event_type").asText())
        .containsSubsequence(
            "on_llm_stream",
            "on_state_update",
            "on_tool_start",
            "on_tool_end",
            "on_state_update",
            "end")
        .endsWith("end");
    assertThat(events.stream().filter(e -> e.path("event_type").asText().equals("end"))).hasSize(1);
  }

  @Test
  void serverSentEventsResumeAfterLastEventId() {
    String jobId = TestJobs.newJobId();
    assertThat(service.postCloudEvent(TestJobs.threeStepScripted(jobId)).statusCode())
        .isEqualTo(200);

    HttpResponse<String> all =
        service.get("/stream/" + jobId + "/events", "Accept", "text/event-stream");
    List<String> ids = sseField(all.body(), "id");
    List<String> data = sseField(all.body(), "data");
    assertThat(ids).hasSizeGreaterThan(3);
    assertThat(Json.parse(data.get(data.size() - 1)).path("event_type").asText()).isEqualTo("end");

    HttpResponse<String> resumed =
        service.get(
            "/stream/" + jobId + "/events",
            "Accept",
            "text/event-stream",
            "Last-Event-ID",
            ids.get(2));
    assertThat(sseField(resumed.body(), "id")).isEqualTo(ids.subList(3, ids.size()));
  }

  private static List<String> sseField(String body, String field) {
    return body.lines()
        .filter(l -> l.startsWith(field + ":"))
        .map(l -> l.substring(field.length() + 1).strip())
        .toList();
  }

  @Test
  void cancellingARunningJobStopsItAndReportsCancelled() throws Exception {
    String jobId = TestJobs.newJobId();
    assertThat(
            service.post("/invoke", TestJobs.slowScripted(jobId, 50, 100).toString()).statusCode())
        .isEqualTo(200);
    service.awaitState(jobId, "running", Duration.ofSeconds(5));
    Thread.sleep(150);

    HttpResponse<String> cancel = service.post("/cancel/" + jobId, "");
    assertThat(cancel.statusCode()).isEqualTo(202);

    List<JsonNode> events =
        service.webSocket("/stream/" + jobId).awaitClose(Duration.ofSeconds(10));
    assertThat(events).extracting(e -> e.path("event_type").asText()).endsWith("error", "end");
    JsonNode state = service.awaitState(jobId, "cancelled", Duration.ofSeconds(10));
    assertThat(state.path("error").path("type").asText()).isEqualTo("Cancelled");
    assertThat(state.path("generated_files").size()).isLessThan(50);
    assertThat(service.post("/cancel/" + jobId, "").statusCode()).isEqualTo(409);
    assertThat(service.post("/cancel/job-that-never-was", "").statusCode()).isEqualTo(404);
  }

  @Test
  void invokingAJobThatIsAlreadyRunningAnswers409() throws Exception {
    String jobId = TestJobs.newJobId();
    String body = TestJobs.slowScripted(jobId, 5, 100).toString();
    assertThat(service.post("/invoke", body).statusCode()).isEqualTo(200);
    HttpResponse<String> again = service.post("/deepagents-runtime/invoke", body);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("already running");
    service.awaitState(jobId, "completed", Duration.ofSeconds(10));
  }

  @Test
  void reRunningACompletedJobRepublishesItsResultWithoutCallingTheModel() {
    try (FakeLlmServer llm = FakeLlmServer.start();
        ServiceHarness real =
            ServiceHarness.start(
                Map.of(
                    "LLM_PROVIDER",
                    "openai",
                    "OPENAI_BASE_URL",
                    llm.baseUrl(),
                    "OPENAI_API_KEY",
                    "test-key"))) {
      llm.enqueue(FakeLlmReply.text("first and only answer"));
      String jobId = TestJobs.newJobId();
      ObjectNode job =
          TestJobs.job(jobId, TestJobs.orchestrator("openai", "gpt-4o-mini", null), "answer once");

      JsonNode first = Json.parse(real.postCloudEvent(job).body());
      JsonNode second = Json.parse(real.postCloudEvent(job).body());

      assertThat(llm.requestCount()).isEqualTo(1);
      assertThat(second.path("data")).isEqualTo(first.path("data"));
      assertThat(second.path("type").asText()).isEqualTo("dev.my-platform.agent.completed");
    }
  }

  @Test
  void aJobWithCheckpointsResumesFromTheLastOneInsteadOfStartingOver() {
    try (FakeLlmServer llm = FakeLlmServer.start();
        ServiceHarness real =
            ServiceHarness.start(
                Map.of(
                    "LLM_PROVIDER",
                    "openai",
                    "OPENAI_BASE_URL",
                    llm.baseUrl(),
                    "OPENAI_API_KEY",
                    "test-key"))) {
      String jobId = TestJobs.newJobId();
      // The state a crashed run left behind: the model asked for a tool call, which never ran.
      ObjectNode args =
          Json.object().put("file_path", "/resumed.md").put("content", "written after resume");
      AgentState interrupted =
          AgentState.initial(List.of(Message.user("resume me")), Map.of(), Map.of())
              .withMessage(
                  Message.assistant("", List.of(new ToolCall("call_1", "write_file", args))));
      real.app()
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
                  Checkpoint.Next.TOOLS,
                  interrupted));
      llm.enqueue(FakeLlmReply.text("finished from the checkpoint"));

      JsonNode event =
          Json.parse(
              real.postCloudEvent(
                      TestJobs.job(
                          jobId, TestJobs.orchestrator("openai", "gpt-4o-mini", null), "resume me"))
                  .body());

      assertThat(event.path("data").path("result").path("output").asText())
          .isEqualTo("finished from the checkpoint");
      assertThat(llm.requestCount()).isEqualTo(1);
      JsonNode sent = llm.lastRequest().messages();
      assertThat(sent.toString()).contains("Updated file /resumed.md");
      assertThat(real.get("/state/" + jobId).body()).contains("written after resume");
    }
  }

  @Test
  void httpJobsBeyondTheLimitGet429UntilASlotFrees() throws Exception {
    try (ServiceHarness limited = ServiceHarness.start(Map.of("MAX_CONCURRENT_HTTP_JOBS", "1"))) {
      String first = TestJobs.newJobId();
      assertThat(
              limited.post("/invoke", TestJobs.slowScripted(first, 4, 100).toString()).statusCode())
          .isEqualTo(200);

      HttpResponse<String> invoke =
          limited.post("/invoke", TestJobs.threeStepScripted(TestJobs.newJobId()).toString());
      HttpResponse<String> post =
          limited.postCloudEvent(TestJobs.threeStepScripted(TestJobs.newJobId()));
      assertThat(invoke.statusCode()).isEqualTo(429);
      assertThat(invoke.headers().firstValue("Retry-After")).isPresent();
      assertThat(invoke.body()).contains("MAX_CONCURRENT_HTTP_JOBS");
      assertThat(post.statusCode()).isEqualTo(429);

      limited.awaitState(first, "completed", Duration.ofSeconds(10));
      // The slot is given back just after the job's record is stored: allow for that moment.
      NatsTestKit.await(
          "a slot for a new job",
          Duration.ofSeconds(5),
          () ->
              limited.postCloudEvent(TestJobs.threeStepScripted(TestJobs.newJobId())).statusCode()
                  == 200);
      assertThat(
              limited
                  .post("/invoke", TestJobs.threeStepScripted(TestJobs.newJobId()).toString())
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void healthReadyAndMetricsAnswer() {
    HttpResponse<String> health = service.get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(Json.parse(health.body()).path("status").asText()).isEqualTo("healthy");
    assertThat(Json.parse(health.body()).path("timestamp").asText()).isNotBlank();

    HttpResponse<String> ready = service.get("/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonNode readiness = Json.parse(ready.body());
    assertThat(readiness.path("status").asText()).isEqualTo("ready");
    assertThat(readiness.path("services").path("checkpoints").path("backend").asText())
        .isEqualTo("memory");
    assertThat(readiness.path("timestamp").asText()).isNotBlank();

    service.postCloudEvent(TestJobs.threeStepScripted(TestJobs.newJobId()));
    String metrics = service.get("/metrics").body();
    assertThat(metrics).contains("agent_executor_jobs_total{status=\"completed\"} 1.0");
    assertThat(metrics).contains("agent_executor_job_duration_seconds_bucket");
    assertThat(metrics).contains("agent_executor_nats_messages_processed_total");
    assertThat(metrics).contains("agent_executor_nats_messages_failed_total");
    assertThat(metrics).contains("agent_executor_llm_tokens_total{direction=\"input\"}");
    assertThat(metrics).contains("agent_executor_http_requests_seconds_count");
    assertThat(metrics).contains("jvm_memory_used_bytes");
  }
}
