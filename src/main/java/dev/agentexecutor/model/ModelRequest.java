package dev.agentexecutor.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.ModelConfig;
import dev.agentexecutor.core.state.Message;
import java.util.List;

/**
 * One model call. {@code messages} starts with the system message; {@code node} names the agent
 * (orchestrator or subagent) for streaming events and logs; {@code responseFormat} is the JSON
 * Schema a final answer must match (the provider's native structured output is asked for), or null
 * for free text.
 */
public record ModelRequest(
    String node,
    ModelConfig config,
    List<Message> messages,
    List<ToolSpec> tools,
    ObjectNode responseFormat) {

  /** A call whose answer is free text. */
  public ModelRequest(
      String node, ModelConfig config, List<Message> messages, List<ToolSpec> tools) {
    this(node, config, messages, tools, null);
  }
}
