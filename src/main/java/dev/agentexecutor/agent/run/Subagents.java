package dev.agentexecutor.agent.run;

import dev.agentexecutor.core.state.AgentState;

/**
 * The handle a tool call gets to start a subagent of its run (what the task tool calls): the
 * subagent runs in its own checkpoint namespace under the same run control and listener, on the
 * caller's thread, and shares the caller's files.
 */
@FunctionalInterface
public interface Subagents {
  /** Outside a run there is no subagent to start. */
  Subagents NONE =
      (type, description, callerState) -> {
        throw new IllegalStateException("no subagent can be started outside an agent run");
      };

  /** Runs subagent {@code type} on {@code description}; its final state (last message: answer). */
  AgentState run(String type, String description, AgentState callerState);
}
