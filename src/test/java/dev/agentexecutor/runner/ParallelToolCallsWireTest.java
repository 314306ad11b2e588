package dev.agentexecutor.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two subagents started by one reply work at the same time over both providers' real wire formats,
 * and their results go back to the model in the call order, whatever order they end in.
 */
class ParallelToolCallsWireTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({"openai,gpt-4o-mini", "anthropic,claude-sonnet-4-5"})
  void twoSubagentsOfOneReplyRunSideBySideAndAnswerInCallOrder(String provider, String model) {
    try (FakeLlmServer llm = FakeLlmServer.start();
        ServiceHarness service =
            ServiceHarness.start(
                Map.of(
                    "OPENAI_BASE_URL", llm.baseUrl(),
                    "OPENAI_API_KEY", "sk-test-key-0123456789",
                    "ANTHROPIC_BASE_URL", llm.baseUrl(),
                    "ANTHROPIC_API_KEY", "sk-ant-test-key-0123456789",
                    "MODEL_MAX_RETRIES", "0"))) {
      // The first subagent is the slower one: it ends last but its result must come first.
      llm.when(
          r -> r.systemPrompt().startsWith("You are the slow"),
          FakeLlmReply.text("slow result").withDelay(Duration.ofMillis(700)));
      llm.when(
          r -> r.systemPrompt().startsWith("You are the fast"),
          FakeLlmReply.text("fast result").withDelay(Duration.ofMillis(500)));
      llm.enqueue(
          FakeLlmReply.toolCalls(
              new ToolCall("c1", "task", "{\"description\":\"go\",\"subagent_type\":\"slow\"}"),
              new ToolCall("c2", "task", "{\"description\":\"go\",\"subagent_type\":\"fast\"}")),
          FakeLlmReply.text("both done"));

      long started = System.nanoTime();
      JsonNode event =
          Json.parse(
              service
                  .postCloudEvent(
                      TestJobs.job(TestJobs.newJobId(), team(provider, model), "work in parallel"))
                  .body());
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(event.path("type").asText())
          .as(event.toString())
          .isEqualTo("dev.my-platform.agent.completed");
      assertThat(took)
          .as("side by side: about 0.7 s, not 1.2 s")
          .isLessThan(Duration.ofMillis(1_150));
      assertThat(llm.requestCount()).isEqualTo(4);
      String last = llm.lastRequest().messages().toString();
      assertThat(last.indexOf("slow result")).isPositive().isLessThan(last.indexOf("fast result"));
    }
  }

  private static ObjectNode team(String provider, String model) {
    ObjectNode definition = TestJobs.orchestrator(provider, model, null);
    ArrayNode nodes = (ArrayNode) definition.get("nodes");
    for (String name : List.of("slow", "fast")) {
      ObjectNode config =
          nodes
              .addObject()
              .put("id", name)
              .put("type", "specialist")
              .putObject("config")
              .put("name", name)
              .put("description", "The " + name + " one.")
              .put("system_prompt", "You are the " + name + " one.");
      config.putObject("model").put("provider", provider).put("model", model);
    }
    return definition;
  }
}
