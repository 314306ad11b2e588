package dev.agentexecutor.agent.run;

import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.ToolCall;

/**
 * Hears what an agent run does, as it happens; the runner turns it into streamed events. Each call
 * says where it comes from ({@link Origin}: job, agent, namespace, parent task call); a tool call's
 * id is the call's own. The loop never calls a listener concurrently (it wraps it in {@link
 * #serialized}), but calls may come from several threads when tool calls run in parallel.
 */
public interface RunListener {
  RunListener NONE = new RunListener() {};

  /** The orchestrator's state after a step. */
  default void onStateUpdate(AgentState state) {}

  default void onToken(Origin origin, String token) {}

  default void onToolStart(Origin origin, ToolCall call) {}

  default void onToolEnd(Origin origin, ToolCall call, ToolResult result) {}

  /** A task call started a subagent; {@code subagent} is the subagent's own origin. */
  default void onSubagentStart(Origin subagent, String subagentType, String description) {}

  /** A subagent ended: {@code completed}, {@code interrupted} (parked) or {@code failed}. */
  default void onSubagentEnd(Origin subagent, String status) {}

  /** {@code listener} with its calls made one at a time, whichever thread makes them. */
  static RunListener serialized(RunListener listener) {
    if (listener == NONE || listener instanceof SerializedListener) return listener;
    return new SerializedListener(listener);
  }
}
