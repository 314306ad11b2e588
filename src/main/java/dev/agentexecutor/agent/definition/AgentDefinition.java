package dev.agentexecutor.agent.definition;

import java.util.Map;

/**
 * A validated agent definition: the orchestrator, its specialist subagents by name and the
 * job-defined tools by name. Build one with {@link DefinitionParser}.
 */
public record AgentDefinition(
    String name,
    String version,
    NodeDefinition orchestrator,
    Map<String, NodeDefinition> subagents,
    Map<String, ToolDefinition> tools) {

  public AgentDefinition {
    subagents = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(subagents));
    tools = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tools));
  }
}
