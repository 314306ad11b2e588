package dev.agentexecutor.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.testkit.FakeLlmReply;
import dev.agentexecutor.testkit.FakeLlmReply.ToolCall;
import dev.agentexecutor.testkit.FakeLlmServer;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whole jobs against the local fake OpenAI/Anthropic server, through the real LangChain4j clients
 * over HTTP: planning, delegation, tool errors, rate limits, outages and streaming.
 */
class FakeLlmEndToEndTest {
  private final FakeLlmServer llm = FakeLlmServer.start();
  private final ServiceHarness service =
      ServiceHarness.start(
          Map.of(
              "LLM_PROVIDER", "openai",
              "OPENAI_BASE_URL", llm.baseUrl(),
              "OPENAI_API_KEY", "sk-test-secret-key-123456",
              "ANTHROPIC_BASE_URL", llm.baseUrl(),
              "ANTHROPIC_API_KEY", "sk-ant-test-secret-456789",
              "MODEL_MAX_RETRIES", "2"));

  @AfterEach
  void stop() {
    service.close();
    llm.close();
  }

  private static ObjectNode teamDefinition(String provider, String model) {
    ObjectNode definition = TestJobs.orchestrator(provider, model, null);
    var nodes = (com.fasterxml.jackson.databind.node.ArrayNode) definition.get("nodes");
    for (String name : List.of("researcher", "writer")) {
      ObjectNode config =
          nodes
              .addObject()
              .put("id", name)
              .put("type", "specialist")
              .putObject("config")
              .put("name", name)
              .put("description", "The " + name + ".")
              .put("system_prompt", "You are the " + name + ".");
      config.putObject("model").put("provider", provider).put("model", model);
    }
    return definition;
  }

  @Test
  void anOrchestratorPlansDelegatesToTwoSpecialistsWhoWriteFilesAndAnswers() {
    llm.when(
        r -> r.systemPrompt().startsWith("You are the researcher"),
        FakeLlmReply.toolCall(
            "r1", "write_file", "{\"file_path\":\"/notes.md\",\"content\":\"fact one\"}"),
        FakeLlmReply.text("notes saved"));
    llm.when(
        r -> r.systemPrompt().startsWith("You are the writer"),
        FakeLlmReply.toolCall(
            "w1", "write_file", "{\"file_path\":\"/report.md\",\"content\":\"the report\"}"),
        FakeLlmReply.text("report saved"));
    llm.enqueue(
        FakeLlmReply.toolCall(
            "t1",
            "write_todos",
            "{\"todos\":[{\"content\":\"research\",\"status\":\"in_progress\"},{\"content\":\"write\",\"status\":\"pending\"}]}"),
        FakeLlmReply.toolCalls(
            new ToolCall(
                "c1",
                "task",
                "{\"description\":\"research the topic\",\"subagent_type\":\"researcher\"}"),
            new ToolCall(
                "c2",
                "task",
                "{\"description\":\"write the report\",\"subagent_type\":\"writer\"}")),
        FakeLlmReply.text("All done: see /report.md"));
    String jobId = TestJobs.newJobId();

    JsonNode event =
        Json.parse(
            service
                .postCloudEvent(
                    TestJobs.job(jobId, teamDefinition("openai", "gpt-4o-mini"), "Write a report"))
                .body());

    assertThat(event.path("type").asText()).isEqualTo("dev.my-platform.agent.completed");
    assertThat(event.path("data").path("result").path("output").asText())
        .isEqualTo("All done: see /report.md");
    assertThat(llm.requestCount()).isEqualTo(7);
    JsonNode firstRequest = llm.requests().get(0).body();
    assertThat(llm.requests().get(0).toolNames())
        .contains(
            "write_todos", "ls", "read_file", "write_file", "edit_file", "glob", "grep", "task");
    assertThat(llm.requests().get(0).systemPrompt())
        .startsWith("You are a test agent.")
        .contains("write_todos");
    assertThat(firstRequest.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(llm.lastRequest().messages().toString())
        .contains("notes saved")
        .contains("report saved");

    JsonNode state = Json.parse(service.get("/state/" + jobId).body());
    assertThat(state.path("generated_files").has("/notes.md")).isTrue();
    assertThat(state.path("generated_files").path("/report.md").path("content").get(0).asText())
        .isEqualTo("the report");
    assertThat(event.path("data").path("result").path("usage").path("input_tokens").asLong())
        .isEqualTo(7L * FakeLlmReply.DEFAULT_INPUT_TOKENS);
  }

  @Test
  void toolErrorsAreShownToTheModelWhichCarriesOn() {
    llm.enqueue(
        FakeLlmReply.toolCall("e1", "read_file", "{\"file_path\":\"/missing.md\"}"),
        FakeLlmReply.toolCall(
            "e2", "task", "{\"description\":\"x\",\"subagent_type\":\"astronaut\"}"),
        FakeLlmReply.toolCall("e3", "teleport", "{}"),
        FakeLlmReply.text("recovered"));
    String jobId = TestJobs.newJobId();

    JsonNode event =
        Json.parse(
            service
                .postCloudEvent(
                    TestJobs.job(
                        jobId, TestJobs.orchestrator("openai", "gpt-4o-mini", null), "try things"))
                .body());

    assertThat(event.path("data").path("result").path("output").asText()).isEqualTo("recovered");
    String conversation = llm.lastRequest().messages().toString();
    assertThat(conversation).contains("file '/missing.md' not found");
    assertThat(conversation).contains("the only allowed types are `general-purpose`");
    assertThat(conversation).contains("tool 'teleport' does not exist");
  }

  @Test
  void aRateLimitIsRetriedAndTheJobCompletes() {
    llm.enqueue(
        FakeLlmReply.error(429, "{\"error\":{\"message\":\"slow down\"}}").withRetryAfter("0"),
        FakeLlmReply.text("after the limit"));

    JsonNode event =
        Json.parse(
            service
                .postCloudEvent(
                    TestJobs.job(
                        TestJobs.newJobId(),
                        TestJobs.orchestrator("openai", "gpt-4o-mini", null),
                        "go"))
                .body());

    assertThat(event.path("type").asText()).isEqualTo("dev.my-platform.agent.completed");
    assertThat(event.path("data").path("result").path("output").asText())
        .isEqualTo("after the limit");
    assertThat(llm.requestCount()).isEqualTo(2);
    assertThat(service.get("/metrics").body()).contains("agent_executor_llm_retries_total 1.0");
  }

  @Test
  void aModelThatFailsForeverFailsTheJobWithAClearErrorAndNoSecret() throws Exception {
    llm.defaultReply(
        FakeLlmReply.error(
            500, "{\"error\":\"upstream broke for key sk-test-secret-key-123456\"}"));
    String jobId = TestJobs.newJobId();

    JsonNode event =
        Json.parse(
            service
                .postCloudEvent(
                    TestJobs.job(jobId, TestJobs.orchestrator("openai", "gpt-4o-mini", null), "go"))
                .body());

    assertThat(event.path("type").asText()).isEqualTo("dev.my-platform.agent.failed");
    JsonNode error = event.path("data").path("error");
    assertThat(error.path("type").asText()).isEqualTo("ModelError");
    assertThat(error.path("message").asText())
        .contains("failed after 3 attempts")
        .contains("HTTP 500")
        .doesNotContain("\tat ");
    assertThat(error.path("stack_trace").asText()).as("stack traces stay in the log").isEmpty();
    assertThat(event.toString()).doesNotContain("sk-test-secret-key-123456");
    assertThat(llm.requestCount()).isEqualTo(3);
    List<JsonNode> events = service.webSocket("/stream/" + jobId).awaitClose(Duration.ofSeconds(5));
    assertThat(events).extracting(e -> e.path("event_type").asText()).endsWith("error", "end");
    assertThat(events.get(events.size() - 2).path("data").path("error").asText())
        .contains("HTTP 500");
  }

  @Test
  void aServerThatStreamsOnlyAnErrorFailsTheJobNamingItInsteadOfCompletingWithNothing() {
    llm.defaultReply(
        FakeLlmReply.streamError(
            "{\"message\":\"Upstream provider overloaded\",\"type\":\"server_error\",\"code\":503}"));
    String jobId = TestJobs.newJobId();

    JsonNode event =
        Json.parse(
            service
                .postCloudEvent(
                    TestJobs.job(jobId, TestJobs.orchestrator("openai", "gpt-4o-mini", null), "go"))
                .body());

    assertThat(event.path("type").asText()).isEqualTo("dev.my-platform.agent.failed");
    JsonNode error = event.path("data").path("error");
    assertThat(error.path("type").asText()).isEqualTo("ModelError");
    assertThat(error.path("message").asText())
        .contains(
            "failed after 3 attempts",
            "error in the stream",
            "server_error",
            "Upstream provider overloaded");
    assertThat(llm.requestCount()).isEqualTo(3);
    assertThat(Json.parse(service.get("/state/" + jobId).body()).path("status").asText())
        .isEqualTo("failed");
  }

  @Test
  void aStreamThatStallsMidAnswerTimesOutAndIsRetriedThenFailsTheJob() {
    try (FakeLlmServer stalling = FakeLlmServer.start();
        ServiceHarness strict =
            ServiceHarness.start(
                Map.of(
                    "LLM_PROVIDER",
                    "openai",
                    "OPENAI_BASE_URL",
                    stalling.baseUrl(),
                    "OPENAI_API_KEY",
                    "test-key",
                    "MODEL_TIMEOUT_SECONDS",
                    "1",
                    "MODEL_MAX_RETRIES",
                    "1"))) {
      stalling
          .stallStreamsAfterFirstEvent(Duration.ofSeconds(30))
          .defaultReply(FakeLlmReply.text("never finished"));
      long started = System.nanoTime();

      JsonNode event =
          Json.parse(
              strict
                  .postCloudEvent(
                      TestJobs.job(
                          TestJobs.newJobId(),
                          TestJobs.orchestrator("openai", "gpt-4o-mini", null),
                          "hang"))
                  .body());

      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
      assertThat(event.path("type").asText()).isEqualTo("dev.my-platform.agent.failed");
      assertThat(event.path("data").path("error").path("message").asText())
          .contains("failed after 2 attempts", "MODEL_TIMEOUT_SECONDS");
      assertThat(stalling.requestCount()).isEqualTo(2);
    }
  }

  @Test
  void tokensStreamAsTheModelProducesThem() throws Exception {
    llm.enqueue(FakeLlmReply.text("one two three four"));
    String jobId = TestJobs.newJobId();

    service.postCloudEvent(
        TestJobs.job(jobId, TestJobs.orchestrator("openai", "gpt-4o-mini", null), "count"));
    List<JsonNode> events = service.webSocket("/stream/" + jobId).awaitClose(Duration.ofSeconds(5));

    List<JsonNode> tokens =
        events.stream().filter(e -> e.path("event_type").asText().equals("on_llm_stream")).toList();
    assertThat(tokens).hasSizeGreaterThan(1);
    assertThat(tokens)
        .allSatisfy(t -> assertThat(t.path("data").path("node").asText()).isEqualTo("main"));
    assertThat(
            String.join(
                "", tokens.stream().map(t -> t.path("data").path("token").asText()).toList()))
        .isEqualTo("one two three four");
    assertThat(llm.lastRequest().isStreaming()).isTrue();
  }

  @Test
  void anthropicAgentsUsePromptCachingAndTheirOwnModel() {
    llm.enqueue(
        FakeLlmReply.toolCall("a1", "write_file", "{\"file_path\":\"/a.md\",\"content\":\"hi\"}"),
        FakeLlmReply.text("anthropic done"));

    JsonNode event =
        Json.parse(
            service
                .postCloudEvent(
                    TestJobs.job(
                        TestJobs.newJobId(),
                        TestJobs.orchestrator("anthropic", "claude-sonnet-4-5", null),
                        "go"))
                .body());

    assertThat(event.path("data").path("result").path("output").asText())
        .isEqualTo("anthropic done");
    assertThat(llm.requests()).allSatisfy(r -> assertThat(r.isAnthropic()).isTrue());
    assertThat(llm.lastRequest().model()).isEqualTo("claude-sonnet-4-5");
    assertThat(llm.lastRequest().body().toString()).contains("cache_control");
  }
}
