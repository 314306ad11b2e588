package dev.agentexecutor.agent.run;

import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.ToolCall;

/** Hears what an agent run does, as it happens; the runner turns it into streamed events. */
public interface RunListener {
  RunListener NONE = new RunListener() {};

  /** The orchestrator's state after a step. */
  default void onStateUpdate(AgentState state) {}

  default void onToken(String node, String token) {}

  default void onToolStart(String node, ToolCall call) {}

  default void onToolEnd(String node, ToolCall call, ToolResult result) {}
}
