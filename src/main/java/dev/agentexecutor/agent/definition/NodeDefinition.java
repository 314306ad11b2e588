package dev.agentexecutor.agent.definition;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.ModelConfig;
import java.util.List;

/**
 * One agent of a definition: the orchestrator, or a specialist subagent that the orchestrator
 * reaches through the task tool by {@code name}. {@code responseFormat} is the JSON Schema its
 * final answer must match (null: free text); {@code summarization} when its conversation is
 * summarised (null: the service's default).
 */
public record NodeDefinition(
    String id,
    String type,
    String name,
    String description,
    String systemPrompt,
    ModelConfig model,
    List<String> tools,
    ObjectNode responseFormat,
    SummarizationConfig summarization) {

  public NodeDefinition {
    tools = List.copyOf(tools);
  }

  /** A node with a free-text answer and the default summarisation. */
  public NodeDefinition(
      String id,
      String type,
      String name,
      String description,
      String systemPrompt,
      ModelConfig model,
      List<String> tools) {
    this(id, type, name, description, systemPrompt, model, tools, null, null);
  }

  public boolean isOrchestrator() {
    return "orchestrator".equalsIgnoreCase(type);
  }
}
