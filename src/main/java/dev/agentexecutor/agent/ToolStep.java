package dev.agentexecutor.agent;

import dev.agentexecutor.agent.run.RunContext;
import dev.agentexecutor.agent.run.ToolResult;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.checkpoint.Checkpoint.Next;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.ToolCall;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One tool step: the tool calls of the model's last answer that have no result yet, each run as a
 * {@link ToolCallRun} and recorded as it finishes, then the state saved; the loop calls the model
 * next. Calls run one after the other, in order, each seeing the files the previous ones wrote.
 */
final class ToolStep {
  private final RunContext run;
  private final LoopCheckpoints checkpoints;
  private final ToolCallRun calls;

  ToolStep(AgentNode node, RunContext run, LoopServices services, LoopCheckpoints checkpoints) {
    this.run = run;
    this.checkpoints = checkpoints;
    this.calls = new ToolCallRun(node, run, services);
  }

  Checkpoint run(Checkpoint from) {
    AgentState state = from.state();
    for (ToolCall call : unfinished(state)) {
      run.control().checkStopped(); // a long batch of calls stops as promptly as a step
      ToolResult result = calls.execute(call, state);
      state = recordFinished(result, call);
    }
    return checkpoints.save(from, state, Next.MODEL);
  }

  /** The last answer's calls without a result: after a resume, only those not yet recorded. */
  private static List<ToolCall> unfinished(AgentState state) {
    Set<String> answered = new HashSet<>();
    for (Message m : state.messages()) if (m.toolCallId() != null) answered.add(m.toolCallId());
    List<ToolCall> pending = new ArrayList<>();
    for (ToolCall call : state.lastMessage().toolCalls()) {
      if (!answered.contains(call.id())) pending.add(call);
    }
    return pending;
  }

  /** The state after a finished call: the call's own changes, then its result for the model. */
  private static AgentState recordFinished(ToolResult result, ToolCall call) {
    return result.state().withMessage(Message.tool(call.id(), call.name(), result.output()));
  }
}
