package dev.agentexecutor.agent.run;

/**
 * Where one agent's loop runs, passed explicitly to every step and tool call: the thread whose
 * checkpoints it writes, its checkpoint namespace ("" for the orchestrator, {@code
 * task:{tool_call_id}} for a subagent), the run's control (limits, cancellation, owner) and the
 * listener that hears what it does.
 */
public record RunContext(
    String threadId, String namespace, RunControl control, RunListener listener) {

  /** The orchestrator's context on {@code threadId}. */
  public static RunContext root(String threadId, RunControl control, RunListener listener) {
    return new RunContext(threadId, "", control, listener);
  }

  /** A context outside any run (a tool called by hand): no thread, no limits, nobody listening. */
  public static RunContext detached() {
    return new RunContext("", "", RunControl.unlimited(), RunListener.NONE);
  }

  /** The orchestrator's context, not a subagent's. */
  public boolean isRoot() {
    return namespace.isEmpty();
  }

  /** The context of a subagent started by tool call {@code toolCallId} of this run. */
  public RunContext subagent(String toolCallId) {
    return new RunContext(threadId, "task:" + toolCallId, control, listener);
  }
}
