package dev.agentexecutor.agent;

import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.util.Ids;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes the tool call ids of a model's answer unique in its conversation. Everything a call leads
 * to is keyed by its id: its result message, its recorded result, its interrupt and a subagent's
 * checkpoint namespace ({@code task:{id}}); a model (or a server) that repeats an id, or sends
 * none, would otherwise see a call answered by another's result or a subagent resumed from
 * another's checkpoints. A repeated or blank id is replaced by a new one, saved with the answer.
 */
final class ToolCallIds {
  private ToolCallIds() {}

  /** {@code answer} with every tool call id unique among {@code conversation}'s and its own. */
  static Message unique(List<Message> conversation, Message answer) {
    if (!answer.hasToolCalls()) return answer;
    Set<String> used = new HashSet<>();
    for (Message m : conversation) {
      for (ToolCall call : m.toolCalls()) used.add(call.id());
      if (m.toolCallId() != null) used.add(m.toolCallId());
    }
    List<ToolCall> calls = null;
    for (int i = 0; i < answer.toolCalls().size(); i++) {
      ToolCall call = answer.toolCalls().get(i);
      if (!call.id().isBlank() && used.add(call.id())) {
        if (calls != null) calls.add(call);
        continue;
      }
      if (calls == null) calls = new ArrayList<>(answer.toolCalls().subList(0, i));
      String fresh = "call_" + Ids.timeOrdered();
      used.add(fresh);
      calls.add(new ToolCall(fresh, call.name(), call.args()));
    }
    if (calls == null) return answer;
    return new Message(answer.role(), answer.content(), calls, answer.toolCallId(), answer.name());
  }
}
