package dev.agentexecutor.agent;

import dev.agentexecutor.agent.run.Interrupt;
import dev.agentexecutor.agent.run.RunContext;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.checkpoint.Checkpoint.Next;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Usage;
import java.util.List;
import java.util.Optional;

/**
 * One agent's step loop in one checkpoint namespace, top to bottom: resume from the latest
 * checkpoint or start (a new thread, or a new turn on the thread's latest state), then alternate
 * model steps and tool steps, each saved, until the model answers without tool calls, or a tool
 * step parks to wait for people's decisions.
 */
final class AgentLoop {
  private final RunContext run;
  private final LoopCheckpoints checkpoints;
  private final ModelStep modelStep;
  private final ToolStep toolStep;
  private Usage usageBase = Usage.ZERO;

  /** How a loop ended: with its final state, or parked on interrupts. */
  sealed interface Outcome {
    AgentState state();

    record Done(AgentState state) implements Outcome {}

    /**
     * @param state the state as saved when it parked
     * @param usage the tokens used so far: the state's and those of calls not yet merged into it
     */
    record Parked(List<Interrupt> interrupts, AgentState state, Usage usage) implements Outcome {}
  }

  AgentLoop(AgentNode node, RunContext run, LoopServices services) {
    this.run = run;
    this.checkpoints = new LoopCheckpoints(services.runtime().checkpointer(), run);
    this.modelStep = new ModelStep(node, run, services, checkpoints);
    this.toolStep = new ToolStep(node, run, services, checkpoints);
  }

  /** A subagent's loop: resumed from its checkpoints, or started from {@code input}. */
  Outcome run(AgentState input) {
    Optional<Checkpoint> saved = checkpoints.latest();
    if (saved.isEmpty()) return loop(checkpoints.start(patched(input)), false);
    return loop(resumed(saved.get(), Usage.ZERO), true);
  }

  /**
   * The orchestrator's loop for one job: its own run resumed when the thread's latest checkpoint is
   * the job's, else a new turn with {@code input} (a new thread, or the input appended to the
   * thread's latest state; on a thread without checkpoints, to {@code forkedState} when the job is
   * a fork). Null input only resumes. {@code usageAtStart} is the thread's usage when a resumed run
   * began; null: it is read from the thread's checkpoints. See {@link #usageBase()}.
   */
  Outcome runTurn(AgentState input, Usage usageAtStart, AgentState forkedState) {
    Optional<Checkpoint> saved = checkpoints.latest();
    if (saved.isPresent() && saved.get().jobId().equals(run.jobId())) {
      usageBase =
          usageAtStart != null
              ? usageAtStart
              : checkpoints
                  .usageBeforeRun()
                  .orElse(forkedState == null ? Usage.ZERO : forkedState.usage());
      return loop(resumed(saved.get(), usageBase), true);
    }
    if (input == null) {
      throw new IllegalStateException(
          "thread " + run.threadId() + " has no run of job " + run.jobId() + " to resume");
    }
    if (saved.isEmpty() && forkedState != null) {
      usageBase = forkedState.usage();
      return loop(checkpoints.newTurn(checkpoints.start(forkedState), input), false);
    }
    if (saved.isEmpty()) return loop(checkpoints.start(patched(input)), false);
    checkOwner(saved.get());
    usageBase = saved.get().state().usage();
    return loop(checkpoints.newTurn(saved.get(), input), false);
  }

  /**
   * The thread's usage when this job's run began (after {@link #runTurn}): the result counts only
   * the tokens above it. Zero on a new thread.
   */
  Usage usageBase() {
    return usageBase;
  }

  private Outcome loop(Checkpoint position, boolean resumed) {
    boolean fromStorage = resumed;
    while (position.next() != Next.DONE) {
      run.control().checkBoundary();
      if (position.next() == Next.MODEL) {
        position = modelStep.run(position);
      } else {
        ToolStep.Outcome step = toolStep.run(position, fromStorage);
        if (step instanceof ToolStep.Outcome.Parked parked)
          return new Outcome.Parked(parked.interrupts(), position.state(), parked.usage());
        position = ((ToolStep.Outcome.Saved) step).checkpoint();
      }
      fromStorage = false;
    }
    return new Outcome.Done(position.state());
  }

  /**
   * The latest checkpoint of this loop, owned by the run's tenant; the tokens it records are
   * counted against the run's budget again (those above {@code counted}, which earlier runs of the
   * thread used). Tool calls left without a result before a model call (by an interruption, or in
   * the input) are answered "cancelled".
   */
  private Checkpoint resumed(Checkpoint position, Usage counted) {
    checkOwner(position);
    run.control().addUsage(position.state().usage().minus(counted));
    if (position.next() != Next.MODEL) return position;
    return LoopCheckpoints.withState(position, patched(position.state()));
  }

  private void checkOwner(Checkpoint position) {
    if (!position.tenant().equals(run.control().tenant()))
      throw new ForeignThreadException(run.threadId());
  }

  private static AgentState patched(AgentState state) {
    return state.withMessages(DanglingToolCalls.patch(state.messages(), false));
  }
}
