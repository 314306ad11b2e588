package dev.agentexecutor.agent;

import dev.agentexecutor.agent.run.RunContext;
import dev.agentexecutor.agent.run.Subagents;
import dev.agentexecutor.agent.tools.ToolException;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import java.util.List;
import java.util.Map;

/**
 * Starts a subagent for one task call: a fresh conversation holding the task's description, the
 * caller's files, and its own loop in the namespace {@code task:{tool_call_id}} of the caller's
 * thread, under the caller's run control and listener. It runs on the calling thread and returns
 * its final state; a resumed run finds its checkpoints there.
 */
final class SubagentLauncher implements Subagents {
  private final LoopServices services;
  private final RunContext caller;
  private final String toolCallId;

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
    return new AgentLoop(node, caller.subagent(toolCallId), services).run(input);
  }
}
