package dev.agentexecutor.agent;

import dev.agentexecutor.agent.definition.InterruptRule;
import dev.agentexecutor.agent.run.Decision;
import dev.agentexecutor.agent.run.Interrupt;
import dev.agentexecutor.agent.run.RunContext;
import dev.agentexecutor.agent.tools.Tool;
import dev.agentexecutor.core.state.ToolCall;
import java.util.Map;
import java.util.Optional;

/**
 * Which calls of a reply wait for a person (the node's {@code interrupt_on}), what they are shown,
 * and which decision a call goes on with: the one recorded against the step if there is one (a
 * decision is taken once), else the one the run was given.
 */
final class ApprovalGate {
  private final AgentNode node;
  private final RunContext run;

  ApprovalGate(AgentNode node, RunContext run) {
    this.node = node;
    this.run = run;
  }

  boolean gated(ToolCall call) {
    return node.interruptOn().containsKey(call.name());
  }

  /** The decision on {@code call}: recorded before, else delivered with the run, else none. */
  Optional<Decision> decision(ToolCall call, Map<String, Decision> recorded) {
    Decision earlier = recorded.get(call.id());
    return earlier != null ? Optional.of(earlier) : run.decision(call.id());
  }

  /** What a person is asked about {@code call}. */
  Interrupt interruptOf(ToolCall call) {
    InterruptRule rule = node.interruptOn().get(call.name());
    Tool tool = node.tools().get(call.name());
    return new Interrupt(
        run.interruptId(call.id()),
        call.id(),
        call.name(),
        call.args(),
        rule.allowedDecisions(),
        rule.descriptionOrDefault(),
        node.name(),
        run.namespace(),
        tool == null ? null : tool.spec().parameters());
  }

  /**
   * Checks that {@code decision} is one the call's rule allows: the service validates decisions
   * before a resume, so this guards against a caller that did not.
   */
  void checkAllowed(ToolCall call, Decision decision) {
    InterruptRule rule = node.interruptOn().get(call.name());
    if (!rule.allowedDecisions().contains(decision.type())) {
      throw new IllegalArgumentException(
          "decision '"
              + decision.type()
              + "' is not allowed for "
              + call.name()
              + " call "
              + call.id()
              + " (allowed: "
              + String.join(", ", rule.allowedDecisions())
              + ")");
    }
    if (decision instanceof Decision.Edit edit && edit.args() == null)
      throw new IllegalArgumentException("an edit decision needs args, for call " + call.id());
  }

  /** What the model is told of a rejected call (deepagents' words when the person gave none). */
  static String rejection(ToolCall call, Decision.Reject reject) {
    if (reject.message() != null && !reject.message().isBlank()) return reject.message();
    return "User rejected the tool call for `" + call.name() + "` with id " + call.id();
  }
}
