package dev.agentexecutor.agent.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.state.AgentState;
import dev.agentexecutor.model.ToolSpec;

/**
 * A tool an agent can call. Tools are pure functions of (arguments, state) plus, for HTTP and task
 * tools, an outside effect; a {@link ToolException} becomes an error message the model sees.
 */
public interface Tool {
  ToolSpec spec();

  default String name() {
    return spec().name();
  }

  ToolResult call(ObjectNode args, AgentState state, ToolCallContext context);
}
