package dev.agentexecutor.agent;

import dev.agentexecutor.agent.definition.InterruptRule;
import dev.agentexecutor.agent.tools.Tool;
import dev.agentexecutor.core.ModelConfig;
import dev.agentexecutor.model.ToolSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One runnable agent: its name, full system prompt, model and tools, and the tools whose calls wait
 * for a person's decision.
 */
record AgentNode(
    String name,
    String systemPrompt,
    ModelConfig model,
    Map<String, Tool> tools,
    List<ToolSpec> toolSpecs,
    Map<String, InterruptRule> interruptOn) {
  static AgentNode of(
      String name,
      String systemPrompt,
      ModelConfig model,
      List<Tool> tools,
      Map<String, InterruptRule> interruptOn) {
    Map<String, Tool> byName = new LinkedHashMap<>();
    tools.forEach(t -> byName.put(t.name(), t));
    Map<String, InterruptRule> rules = new LinkedHashMap<>(interruptOn);
    rules.keySet().retainAll(byName.keySet());
    // Ordered, so that the tools are always listed the same way (in error messages, to the model).
    return new AgentNode(
        name,
        systemPrompt,
        model,
        Collections.unmodifiableMap(byName),
        tools.stream().map(Tool::spec).toList(),
        Collections.unmodifiableMap(rules));
  }
}
