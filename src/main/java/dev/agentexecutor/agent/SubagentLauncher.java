package dev.agentexecutor.agent;

import dev.agentexecutor.agent.run.Origin;
import dev.agentexecutor.agent.run.RunContext;
import dev.agentexecutor.agent.run.RunStoppedException;
import dev.agentexecutor.agent.run.SubagentParkedException;
import dev.agentexecutor.agent.run.Subagents;
import dev.agentexecutor.agent.tools.ToolException;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Usage;
import java.util.List;
import java.util.Map;

/**
 * Starts a subagent for one task call: a fresh conversation holding the task's description, the
 * caller's files, and its own loop in the namespace {@code task:{tool_call_id}} of the caller's
 * thread, under the caller's run control and listener. It runs on the calling thread and returns
 * its final state, whose tokens the call adds to its caller's state ({@link #usage}); a resumed run
 * finds its checkpoints there. A subagent that parks for approval throws {@link
 * SubagentParkedException}.
 */
final class SubagentLauncher implements Subagents {
  private final LoopServices services;
  private final RunContext caller;
  private final String toolCallId;
  private volatile Usage usage = Usage.ZERO;

  SubagentLauncher(LoopServices services, RunContext caller, String toolCallId) {
    this.services = services;
    this.caller = caller;
    this.toolCallId = toolCallId;
  }

  @Override
  public AgentState run(String type, String description, AgentState callerState) {
    AgentNode node = services.subagents().get(type);
    if (node == null) throw new ToolException("there is no subagent of type " + type);
    AgentState input =
        AgentState.initial(List.of(Message.user(description)), callerState.files(), Map.of());
    RunContext context = caller.subagent(toolCallId);
    Origin origin = context.origin(node.name());
    caller.listener().onSubagentStart(origin, type, description);
    AgentLoop.Outcome outcome;
    try {
      outcome = new AgentLoop(node, context, services).run(input);
    } catch (RuntimeException e) {
      caller.listener().onSubagentEnd(origin, endStatus(e));
      throw e;
    }
    if (outcome instanceof AgentLoop.Outcome.Parked parked) {
      caller.listener().onSubagentEnd(origin, "interrupted");
      throw new SubagentParkedException(parked.interrupts(), parked.usage());
    }
    AgentState end = outcome.state();
    usage = end.usage();
    caller.listener().onSubagentEnd(origin, "completed");
    return end;
  }

  /** The tokens of the subagent this call ran to its end (zero before, or without one). */
  Usage usage() {
    return usage;
  }

  private static String endStatus(RuntimeException e) {
    return e instanceof RunStoppedException stop
            && stop.kind() == RunStoppedException.Kind.CANCELLED
        ? "cancelled"
        : "failed";
  }
}
