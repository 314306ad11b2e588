package dev.agentexecutor.agent.run;

import dev.agentexecutor.core.state.ToolCall;

/**
 * What becomes of a tool's result before it is a message for the model: the one place where a large
 * result may be moved into a file of the state and replaced by a short pointer. Applied to every
 * call's result (tool errors included) on the thread that ran the call, before the state's limits
 * are checked and the result is cut at MAX_TOOL_RESULT_CHARS; the state it returns is the call's,
 * merged like any other call's changes.
 */
@FunctionalInterface
public interface ToolResultPolicy {
  /** Results as the tools returned them. */
  ToolResultPolicy NONE = (call, result) -> result;

  ToolResult apply(ToolCall call, ToolResult result);
}
