package dev.agentexecutor.agent.run;

import java.util.Map;
import java.util.Optional;

/**
 * Where one agent's loop runs, passed explicitly to every step and tool call: the thread whose
 * checkpoints it writes, the job (run) it belongs to, its checkpoint namespace ("" for the
 * orchestrator, {@code task:{tool_call_id}} for a subagent) and the task call that started it, the
 * run's control (limits, cancellation, owner), the listener that hears what it does and the
 * decisions delivered to the run's interrupts.
 */
public record RunContext(
    String threadId,
    String jobId,
    String namespace,
    String parentRunId,
    RunControl control,
    RunListener listener,
    Map<String, Decision> decisions) {

  public RunContext {
    decisions = Map.copyOf(decisions);
  }

  /** The orchestrator's context on {@code threadId}, for the job of the same id. */
  public static RunContext root(String threadId, RunControl control, RunListener listener) {
    return new RunContext(threadId, threadId, "", null, control, listener, Map.of());
  }

  /** The orchestrator's context of a run. */
  public static RunContext root(RunRequest request, RunListener listener) {
    return new RunContext(
        request.threadId(),
        request.jobId(),
        "",
        null,
        request.control(),
        listener,
        request.decisions());
  }

  /** A context outside any run (a tool called by hand): no thread, no limits, nobody listening. */
  public static RunContext detached() {
    return new RunContext("", "", "", null, RunControl.unlimited(), RunListener.NONE, Map.of());
  }

  /** The orchestrator's context, not a subagent's. */
  public boolean isRoot() {
    return namespace.isEmpty();
  }

  /** The context of a subagent started by tool call {@code toolCallId} of this run. */
  public RunContext subagent(String toolCallId) {
    String child = isRoot() ? "task:" + toolCallId : namespace + "/task:" + toolCallId;
    return new RunContext(threadId, jobId, child, toolCallId, control, listener, decisions);
  }

  /** Where the events of agent {@code node} in this context come from. */
  public Origin origin(String node) {
    return new Origin(jobId, node, namespace, parentRunId);
  }

  /** The id of the interrupt of tool call {@code toolCallId} of this loop. */
  public String interruptId(String toolCallId) {
    return Interrupt.idOf(namespace, toolCallId);
  }

  /** The decision delivered for tool call {@code toolCallId} of this loop, if any. */
  public Optional<Decision> decision(String toolCallId) {
    return Optional.ofNullable(decisions.get(interruptId(toolCallId)));
  }
}
