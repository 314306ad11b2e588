package dev.agentexecutor.agent;

import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.util.Json;
import java.util.List;

/**
 * The messages a summary replaces, as Markdown, saved to {@code /conversation_history/{n}.md} (a
 * subagent's under {@code /conversation_history/task_{tool_call_id}/}) so that nothing said is lost
 * and the agent can read it back, as deepagents does.
 */
final class ConversationHistory {
  static final String FOLDER = "/conversation_history";

  private ConversationHistory() {}

  /** The folder of one loop's summaries: the orchestrator's, or one per subagent call. */
  static String folder(String namespace) {
    if (namespace.isEmpty()) return FOLDER;
    String last = namespace.substring(namespace.lastIndexOf('/') + 1);
    return FOLDER + "/" + JobFiles.segment(last.replace(':', '_'));
  }

  static String markdown(String node, List<Message> messages) {
    StringBuilder text =
        new StringBuilder("# Conversation of ").append(node).append(", summarised\n");
    for (Message message : messages) {
      text.append("\n## ").append(message.role().name().toLowerCase(java.util.Locale.ROOT));
      if (message.name() != null) text.append(" (").append(message.name()).append(')');
      if (message.toolCallId() != null) text.append(" [").append(message.toolCallId()).append(']');
      text.append("\n\n").append(message.content()).append('\n');
      for (ToolCall call : message.toolCalls()) {
        text.append("\n- tool call `")
            .append(call.name())
            .append("` [")
            .append(call.id())
            .append("]: `")
            .append(Json.write(call.args()))
            .append("`\n");
      }
    }
    return text.toString();
  }
}
