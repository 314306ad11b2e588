package dev.agentexecutor.agent;

import dev.agentexecutor.agent.run.RunContext;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.checkpoint.Checkpoint.Next;
import dev.agentexecutor.core.state.AgentState;
import java.util.Optional;

/**
 * One agent's step loop in one checkpoint namespace, top to bottom: resume from the latest
 * checkpoint or start from the input, then alternate model steps and tool steps, each saved, until
 * the model answers without tool calls.
 */
final class AgentLoop {
  private final RunContext run;
  private final LoopCheckpoints checkpoints;
  private final ModelStep modelStep;
  private final ToolStep toolStep;

  AgentLoop(AgentNode node, RunContext run, LoopServices services) {
    this.run = run;
    this.checkpoints = new LoopCheckpoints(services.runtime().checkpointer(), run);
    this.modelStep = new ModelStep(node, run, services, checkpoints);
    this.toolStep = new ToolStep(node, run, services, checkpoints);
  }

  /** The final state: its last message is the agent's answer. */
  AgentState run(AgentState input) {
    Checkpoint position = resumeOrStart(input);
    while (position.next() != Next.DONE) {
      run.control().checkBoundary();
      position = position.next() == Next.MODEL ? modelStep.run(position) : toolStep.run(position);
    }
    return position.state();
  }

  /**
   * The latest checkpoint of this loop, or a start from the input. Tool calls left without a result
   * (by an interruption, or in the input) are answered "cancelled" before the next model call.
   */
  private Checkpoint resumeOrStart(AgentState input) {
    Optional<Checkpoint> saved = checkpoints.latest();
    if (saved.isEmpty()) {
      return checkpoints.start(
          input.withMessages(DanglingToolCalls.patch(input.messages(), false)));
    }
    Checkpoint position = saved.get();
    if (!position.tenant().equals(run.control().tenant()))
      throw new ForeignThreadException(run.threadId());
    if (position.next() != Next.MODEL) return position;
    AgentState state = position.state();
    return LoopCheckpoints.withState(
        position, state.withMessages(DanglingToolCalls.patch(state.messages(), false)));
  }
}
