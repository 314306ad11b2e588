package dev.agentexecutor.agent.run;

import dev.agentexecutor.core.state.StateLimits;
import java.time.Instant;

/**
 * Everything a tool call knows about where it runs, passed with the call: its call id, the agent
 * (node) calling it, the time and the state's limits, the run it belongs to (thread, namespace,
 * control, listener) and a handle to start a subagent.
 */
public record ToolCallContext(
    String toolCallId,
    String node,
    Instant now,
    StateLimits limits,
    RunContext run,
    Subagents subagents) {

  /** A call outside any run (tools called by hand, tests): default limits, no subagents. */
  public ToolCallContext(String toolCallId, String node, Instant now) {
    this(toolCallId, node, now, StateLimits.DEFAULTS);
  }

  /** A call outside any run with the given state limits. */
  public ToolCallContext(String toolCallId, String node, Instant now, StateLimits limits) {
    this(toolCallId, node, now, limits, RunContext.detached(), Subagents.NONE);
  }
}
