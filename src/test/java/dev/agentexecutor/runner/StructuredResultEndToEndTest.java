package dev.agentexecutor.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.testkit.ServiceHarness;
import dev.agentexecutor.testkit.TestJobs;
import dev.agentexecutor.util.Json;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whole jobs through POST /: the orchestrator's structured answer in the result event and /state,
 * usage per node and per model, and the failures of a broken answer and of an unusable MCP server.
 */
class StructuredResultEndToEndTest {
  private final ServiceHarness service =
      ServiceHarness.start(Map.of("STRUCTURED_OUTPUT_MAX_RETRIES", "1"));

  @AfterEach
  void stop() {
    service.close();
  }

  private static ObjectNode job(String jobId, String definition) {
    return TestJobs.job(jobId, (ObjectNode) Json.parse(definition), "Rate Oslo");
  }

  private static final String SCHEMA =
      "{\"type\": \"object\", \"required\": [\"score\"], \"properties\": {\"score\": {\"type\":"
          + " \"integer\"}}}";

  private static String definition(String leadScript, String raterScript) {
    return """
        {"nodes": [
          {"id": "lead", "type": "orchestrator", "config": {"name": "lead", "system_prompt": "You lead.",
            "response_format": %s,
            "model": {"provider": "scripted", "model": "lead-model", "script": %s}}},
          {"id": "rater", "type": "subagent", "config": {"name": "rater", "system_prompt": "You rate.",
            "model": {"provider": "scripted", "model": "rater-model", "script": %s}}}]}"""
        .formatted(SCHEMA, leadScript, raterScript);
  }

  @Test
  void theStructuredAnswerAndTheUsagePerNodeAndModelAreInTheResultAndState() throws Exception {
    String jobId = TestJobs.newJobId();
    String lead =
        """
        [{"tool_calls": [{"name": "task", "id": "t1", "args": {"description": "rate", "subagent_type": "rater"}}],
          "usage": {"input_tokens": 100, "output_tokens": 10}},
         {"content": "{\\"score\\": 9}", "usage": {"input_tokens": 200, "output_tokens": 20}}]""";
    String rater =
        "[{\"content\": \"nine\", \"usage\": {\"input_tokens\": 30, \"output_tokens\": 3}}]";

    JsonNode event = Json.parse(service.postCloudEvent(job(jobId, definition(lead, rater))).body());

    JsonNode result = event.path("data").path("result");
    assertThat(event.path("type").asText()).isEqualTo("dev.my-platform.agent.completed");
    assertThat(result.path("structured_response")).isEqualTo(Json.parse("{\"score\": 9}"));
    assertThat(result.path("usage"))
        .isEqualTo(
            Json.parse(
                "{\"input_tokens\": 330, \"output_tokens\": 33, \"cache_read_tokens\": 0,"
                    + " \"cache_write_tokens\": 0}"));
    assertThat(result.path("usage_by_node").path("lead").path("input_tokens").asLong())
        .isEqualTo(300);
    assertThat(result.path("usage_by_node").path("rater").path("output_tokens").asLong())
        .isEqualTo(3);
    assertThat(
            result
                .path("usage_by_model")
                .path("scripted/rater-model")
                .path("input_tokens")
                .asLong())
        .isEqualTo(30);
    JsonNode state = service.awaitState(jobId, "completed", Duration.ofSeconds(10));
    assertThat(state.path("result").path("structured_response").path("score").asInt()).isEqualTo(9);
  }

  @Test
  void anAnswerThatStillBreaksTheSchemaFailsTheJobNamingTheViolation() {
    String jobId = TestJobs.newJobId();
    String lead = "[{\"content\": \"{\\\"score\\\": \\\"high\\\"}\"}, {\"content\": \"{}\"}]";

    JsonNode event = Json.parse(service.postCloudEvent(job(jobId, definition(lead, "[]"))).body());

    JsonNode error = event.path("data").path("error");
    assertThat(event.path("type").asText()).isEqualTo("dev.my-platform.agent.failed");
    assertThat(error.path("type").asText()).isEqualTo("StructuredOutputInvalid");
    assertThat(error.path("message").asText())
        .contains("after 2 attempts (STRUCTURED_OUTPUT_MAX_RETRIES=1)")
        .contains("required property 'score' not found");
  }

  @Test
  void anMcpServerTheAddressPolicyRefusesFailsTheJobAtStartNamingIt() {
    String jobId = TestJobs.newJobId();
    String definition =
        """
        {"tool_definitions": [{"name": "internal", "runtime": {"mcp": {"url": "http://127.0.0.1:9/mcp"}}}],
         "nodes": [{"id": "lead", "type": "orchestrator", "config": {"name": "lead",
           "system_prompt": "You lead.", "tools": ["internal"],
           "model": {"provider": "scripted", "model": "m", "script": [{"content": "never"}]}}}]}""";

    JsonNode event = Json.parse(service.postCloudEvent(job(jobId, definition)).body());

    JsonNode error = event.path("data").path("error");
    assertThat(error.path("type").asText()).isEqualTo("McpServerError");
    assertThat(error.path("message").asText())
        .startsWith("MCP server 'internal' (http://127.0.0.1:9/mcp) cannot be used")
        .contains("loopback");
  }
}
