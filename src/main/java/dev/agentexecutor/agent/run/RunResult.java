package dev.agentexecutor.agent.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Usage;
import java.util.List;

/**
 * How a run ended without failing: finished with the orchestrator's final answer, or parked until
 * people decide on its interrupts. {@code usage} is the run's own (the thread's earlier runs
 * excluded) and adds up across every attempt and resume of the run.
 */
public sealed interface RunResult {
  AgentState state();

  Usage usage();

  /**
   * @param state the orchestrator's final state: its last message is the answer
   * @param structuredResponse the validated structured answer, when the node asks for one (null
   *     otherwise)
   */
  record Finished(AgentState state, Usage usage, JsonNode structuredResponse)
      implements RunResult {}

  /**
   * @param interrupts every pending interrupt, in call order (the orchestrator's own, or those of
   *     its subagents)
   * @param state the orchestrator's state as saved when it parked
   */
  record Parked(List<Interrupt> interrupts, AgentState state, Usage usage) implements RunResult {
    public Parked {
      interrupts = List.copyOf(interrupts);
    }
  }
}
