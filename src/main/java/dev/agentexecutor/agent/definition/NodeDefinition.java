package dev.agentexecutor.agent.definition;

import dev.agentexecutor.core.ModelConfig;
import java.util.List;

/**
 * One agent of a definition: the orchestrator, or a specialist subagent that the orchestrator
 * reaches through the task tool by {@code name}.
 */
public record NodeDefinition(
    String id,
    String type,
    String name,
    String description,
    String systemPrompt,
    ModelConfig model,
    List<String> tools) {

  public NodeDefinition {
    tools = List.copyOf(tools);
  }

  public boolean isOrchestrator() {
    return "orchestrator".equalsIgnoreCase(type);
  }
}
