package dev.agentexecutor.agent.run;

import dev.agentexecutor.core.state.AgentState;

/**
 * What a tool call produced: the text the model sees, the state after the call (tools that change
 * todos or files return a new state) and whether the call failed.
 */
public record ToolResult(String output, AgentState state, boolean error) {
  public static ToolResult ok(String output, AgentState state) {
    return new ToolResult(output, state, false);
  }

  public static ToolResult error(String output, AgentState state) {
    return new ToolResult(output, state, true);
  }
}
