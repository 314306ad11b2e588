package dev.agentexecutor.agent.run;

import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Usage;
import java.util.Map;

/**
 * What one run of a deep agent is asked to do.
 *
 * @param threadId the conversation: checkpoints and events are kept under it (the job id when the
 *     job names no thread)
 * @param jobId the run: recorded in every checkpoint it writes and every event it emits
 * @param input the job's input. When the thread's latest checkpoint was written by this job, the
 *     run resumes from its checkpoints and the input is not used again; otherwise it starts a new
 *     turn: its messages are appended to the thread's latest state (messages, files and todos carry
 *     over; its files are written over them), or it is the first state of a new thread. Null
 *     resumes only: a thread without a run of this job is then an error.
 * @param decisions the decisions on pending interrupts, by interrupt id; empty unless resuming a
 *     parked run. Each is applied once: a decision on a call that already ran is ignored.
 * @param usageAtStart the thread's orchestrator usage when this job's run began, which the result's
 *     usage is counted from, for a run that resumes; null: read from the thread's checkpoints. A
 *     new turn counts from the state it starts from.
 * @param forkedState for a fork: the state of the earlier checkpoint (of another thread) that a
 *     thread without checkpoints starts from, as if it were that thread's latest state; null
 *     otherwise
 */
public record RunRequest(
    String threadId,
    String jobId,
    AgentState input,
    Map<String, Decision> decisions,
    RunControl control,
    RunListener listener,
    Usage usageAtStart,
    AgentState forkedState) {

  public RunRequest {
    decisions = Map.copyOf(decisions);
    listener = listener == null ? RunListener.NONE : listener;
  }

  /** A run that is not a fork. */
  public RunRequest(
      String threadId,
      String jobId,
      AgentState input,
      Map<String, Decision> decisions,
      RunControl control,
      RunListener listener,
      Usage usageAtStart) {
    this(threadId, jobId, input, decisions, control, listener, usageAtStart, null);
  }

  /** A job on its own thread (thread id = job id), without decisions. */
  public static RunRequest of(
      String jobId, AgentState input, RunControl control, RunListener listener) {
    return new RunRequest(jobId, jobId, input, Map.of(), control, listener, Usage.ZERO);
  }

  /** The same request delivering {@code decisions}. */
  public RunRequest withDecisions(Map<String, Decision> decisions) {
    return new RunRequest(
        threadId, jobId, input, decisions, control, listener, usageAtStart, forkedState);
  }
}
