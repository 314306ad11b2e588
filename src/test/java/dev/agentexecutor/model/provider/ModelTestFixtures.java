package dev.agentexecutor.model.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.ModelConfig;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.model.ModelRequest;
import dev.agentexecutor.model.ToolSpec;
import dev.agentexecutor.observability.Metrics;
import dev.agentexecutor.util.Json;
import java.time.Duration;
import java.util.List;

/** Settings, requests and tools shared by the model tests. */
final class ModelTestFixtures {
  static final String OPENAI_KEY = "sk-test-openai-SECRET-0123456789";
  static final String ANTHROPIC_KEY = "sk-ant-test-SECRET-9876543210";
  static final int MAX_RETRIES = 3;

  private ModelTestFixtures() {}

  /** Both providers at {@code baseUrl}, with real but tiny backoffs (10 ms, capped at 40 ms). */
  static Settings.ModelSettings settings(String baseUrl) {
    return new Settings.ModelSettings(
        "openai",
        "gpt-4o-mini",
        OPENAI_KEY,
        baseUrl,
        ANTHROPIC_KEY,
        baseUrl,
        Duration.ofSeconds(5),
        MAX_RETRIES,
        Duration.ofMillis(10),
        Duration.ofMillis(40));
  }

  static double retries(Metrics metrics) {
    return metrics.registry().counter("agent_executor_llm_retries").count();
  }

  static ModelRequest request(String provider, String model, List<ToolSpec> tools) {
    return new ModelRequest(
        "orchestrator",
        new ModelConfig(provider, model, null, null, null),
        List.of(
            Message.system("You are a careful planner."),
            Message.user("Write a haiku to notes.txt")),
        tools);
  }

  static ToolSpec writeFileTool() {
    ObjectNode schema =
        (ObjectNode)
            Json.parse(
                """
                {"type": "object",
                 "properties": {
                   "path": {"type": "string", "description": "Where to write"},
                   "content": {"type": "string"}},
                 "required": ["path", "content"]}
                """);
    return new ToolSpec("write_file", "Writes a file to the virtual file system", schema);
  }
}
