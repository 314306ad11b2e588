package dev.agentexecutor.agent;

import dev.agentexecutor.agent.run.RunContext;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.checkpoint.Checkpoint.Next;
import dev.agentexecutor.checkpoint.Checkpointer;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.util.Ids;
import java.util.Optional;

/**
 * The checkpoints of one loop (its thread and namespace): the latest, to resume from, and one saved
 * after every step. The orchestrator's listener hears each saved state.
 */
final class LoopCheckpoints {
  private final Checkpointer checkpointer;
  private final RunContext run;

  LoopCheckpoints(Checkpointer checkpointer, RunContext run) {
    this.checkpointer = checkpointer;
    this.run = run;
  }

  Optional<Checkpoint> latest() {
    return checkpointer.latest(run.threadId(), run.namespace());
  }

  /** Where a loop without checkpoints starts: before its first model call. */
  Checkpoint start(AgentState input) {
    return new Checkpoint(
        run.threadId(),
        run.namespace(),
        null,
        null,
        0,
        run.control().now(),
        Next.MODEL,
        input,
        run.control().tenant());
  }

  /** Saves the state a step reached after {@code from}, and what the loop does next. */
  Checkpoint save(Checkpoint from, AgentState state, Next next) {
    Checkpoint checkpoint =
        new Checkpoint(
            run.threadId(),
            run.namespace(),
            Ids.timeOrdered(),
            from.id(),
            from.id() == null ? 1 : from.step() + 1,
            run.control().now(),
            next,
            state,
            run.control().tenant());
    checkpointer.put(checkpoint);
    if (run.isRoot()) run.listener().onStateUpdate(state);
    return checkpoint;
  }

  /** The same position with another state (not saved). */
  static Checkpoint withState(Checkpoint c, AgentState state) {
    return new Checkpoint(
        c.threadId(),
        c.namespace(),
        c.id(),
        c.parentId(),
        c.step(),
        c.createdAt(),
        c.next(),
        state,
        c.tenant());
  }
}
