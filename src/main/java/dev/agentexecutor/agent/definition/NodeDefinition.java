package dev.agentexecutor.agent.definition;

import dev.agentexecutor.core.ModelConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One agent of a definition: the orchestrator, or a specialist subagent that the orchestrator
 * reaches through the task tool by {@code name}. {@code interruptOn} names the tools whose calls
 * wait for a person's decision, with the decisions allowed.
 */
public record NodeDefinition(
    String id,
    String type,
    String name,
    String description,
    String systemPrompt,
    ModelConfig model,
    List<String> tools,
    Map<String, InterruptRule> interruptOn) {

  public NodeDefinition {
    tools = List.copyOf(tools);
    interruptOn = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(interruptOn));
  }

  /** A node whose tool calls need no approval. */
  public NodeDefinition(
      String id,
      String type,
      String name,
      String description,
      String systemPrompt,
      ModelConfig model,
      List<String> tools) {
    this(id, type, name, description, systemPrompt, model, tools, Map.of());
  }

  public boolean isOrchestrator() {
    return "orchestrator".equalsIgnoreCase(type);
  }
}
