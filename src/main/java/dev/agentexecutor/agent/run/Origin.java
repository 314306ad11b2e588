package dev.agentexecutor.agent.run;

/**
 * Where an event of a run comes from: the job (run) it belongs to, the agent (node), its checkpoint
 * namespace ("" for the orchestrator, {@code task:{tool_call_id}} for a subagent) and, for a
 * subagent, the id of the task call that started it ({@code parent_run_id} on the wire, null for
 * the orchestrator). Parallel branches of one run differ in namespace and tool call id.
 */
public record Origin(String jobId, String node, String namespace, String parentRunId) {
  /** The orchestrator's own events, not a subagent's. */
  public boolean isRoot() {
    return namespace.isEmpty();
  }
}
