package dev.agentexecutor.agent.definition;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.ModelConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One agent of a definition: the orchestrator, or a specialist subagent that the orchestrator
 * reaches through the task tool by {@code name}. {@code interruptOn} names the tools whose calls
 * wait for a person's decision, with the decisions allowed; {@code responseFormat} is the JSON
 * Schema its final answer must match (null: free text); {@code summarization} when its conversation
 * is summarised (null: the service's default).
 */
public record NodeDefinition(
    String id,
    String type,
    String name,
    String description,
    String systemPrompt,
    ModelConfig model,
    List<String> tools,
    Map<String, InterruptRule> interruptOn,
    ObjectNode responseFormat,
    SummarizationConfig summarization) {

  public NodeDefinition {
    tools = List.copyOf(tools);
    interruptOn = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(interruptOn));
  }

  /**
   * A node whose tool calls need no approval, with a free-text answer and default summarisation.
   */
  public NodeDefinition(
      String id,
      String type,
      String name,
      String description,
      String systemPrompt,
      ModelConfig model,
      List<String> tools) {
    this(id, type, name, description, systemPrompt, model, tools, Map.of(), null, null);
  }

  /** A node with approval rules, a free-text answer and default summarisation. */
  public NodeDefinition(
      String id,
      String type,
      String name,
      String description,
      String systemPrompt,
      ModelConfig model,
      List<String> tools,
      Map<String, InterruptRule> interruptOn) {
    this(id, type, name, description, systemPrompt, model, tools, interruptOn, null, null);
  }

  public boolean isOrchestrator() {
    return "orchestrator".equalsIgnoreCase(type);
  }
}
