package dev.agentexecutor.agent.run;

import dev.agentexecutor.core.state.StateLimits;
import java.time.Instant;

/**
 * What a tool call knows about where it runs: its call id (subagent namespaces), the time and the
 * state's limits.
 */
public record ToolCallContext(String toolCallId, String node, Instant now, StateLimits limits) {
  public ToolCallContext(String toolCallId, String node, Instant now) {
    this(toolCallId, node, now, StateLimits.DEFAULTS);
  }
}
