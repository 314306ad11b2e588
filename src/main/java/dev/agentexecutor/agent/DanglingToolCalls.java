package dev.agentexecutor.agent;

import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Role;
import dev.agentexecutor.core.state.ToolCall;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Model APIs reject a conversation in which a tool call has no result. After an interruption (or in
 * input that a client sent) such calls are answered with a "cancelled" tool message, as deepagents'
 * patch does, so that the conversation is valid again.
 */
final class DanglingToolCalls {
  private DanglingToolCalls() {}

  /**
   * The messages with every unanswered tool call answered, except those of the last message when
   * {@code keepLastPending} is true (they are about to be executed).
   */
  static List<Message> patch(List<Message> messages, boolean keepLastPending) {
    Set<String> answered = new HashSet<>();
    for (Message m : messages)
      if (m.role() == Role.TOOL && m.toolCallId() != null) answered.add(m.toolCallId());
    List<Message> patched = null;
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      if (patched != null) patched.add(m);
      boolean last = i == messages.size() - 1;
      if (m.role() != Role.ASSISTANT || !m.hasToolCalls() || (last && keepLastPending)) continue;
      for (ToolCall call : m.toolCalls()) {
        if (answered.contains(call.id())) continue;
        if (patched == null) patched = new ArrayList<>(messages.subList(0, i + 1));
        patched.add(
            Message.tool(
                call.id(),
                call.name(),
                "Tool call "
                    + call.name()
                    + " with id "
                    + call.id()
                    + " was cancelled - another message came in before it could be completed."));
      }
    }
    return patched == null ? messages : patched;
  }
}
