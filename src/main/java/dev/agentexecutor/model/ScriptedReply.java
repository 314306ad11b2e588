package dev.agentexecutor.model;

import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.ToolCall;
import dev.agentexecutor.core.state.Usage;
import java.util.List;

/**
 * One prepared answer of a scripted model: everything that can be computed ahead (tokens, tool
 * calls with their ids, output size) is, so that replaying it costs next to nothing.
 *
 * @param usage the scripted token counts, or null to estimate them from text length
 */
record ScriptedReply(
    String content,
    List<String> tokens,
    List<ToolCall> toolCalls,
    long delayMillis,
    Usage usage,
    long outputChars) {

  /** The rough token count of text used when a script gives none: about four characters each. */
  static long estimateTokens(long chars) {
    return (chars + 3) / 4;
  }

  ModelResponse play(List<Message> conversation, TokenListener listener)
      throws InterruptedException {
    if (delayMillis > 0) Thread.sleep(delayMillis);
    if (listener != TokenListener.NONE) tokens.forEach(listener::onToken);
    return new ModelResponse(Message.assistant(content, freshToolCalls()), usage(conversation));
  }

  /** Arguments are mutable Jackson trees: every answer gets its own copy of the scripted ones. */
  private List<ToolCall> freshToolCalls() {
    if (toolCalls.isEmpty()) return toolCalls;
    return toolCalls.stream()
        .map(c -> new ToolCall(c.id(), c.name(), c.args().deepCopy()))
        .toList();
  }

  private Usage usage(List<Message> conversation) {
    if (usage != null) return usage;
    long inputChars = 0;
    for (Message message : conversation) inputChars += message.content().length();
    return new Usage(estimateTokens(inputChars), estimateTokens(outputChars));
  }
}
