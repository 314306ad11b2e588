package dev.agentexecutor.agent;

import dev.agentexecutor.agent.run.ToolCallContext;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.core.state.ToolCall;

/**
 * What happens to a tool call's result before it becomes the tool message the model reads (the one
 * hook where results become messages): large results are moved to a file ({@link
 * LargeToolResults}). Applied once per finished call, before the state's limits are checked.
 */
@FunctionalInterface
interface ToolResultPolicy {
  ToolResultPolicy NONE = (call, result, context) -> result;

  ToolResult apply(ToolCall call, ToolResult result, ToolCallContext context);
}
