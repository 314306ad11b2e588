package dev.agentexecutor.agent;

import dev.agentexecutor.core.ModelConfig;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Role;
import dev.agentexecutor.model.ModelClient;
import dev.agentexecutor.model.ModelRequest;
import dev.agentexecutor.model.ModelResponse;
import dev.agentexecutor.model.TokenListener;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a long run inside the model's context: when the estimated size of the conversation passes
 * the threshold, everything but the last messages is replaced by a model-written summary. The cut
 * never separates a tool result from the call it answers.
 */
final class Summarizer {
  private final long tokenThreshold;
  private final int keepMessages;

  Summarizer(long tokenThreshold, int keepMessages) {
    this.tokenThreshold = tokenThreshold;
    this.keepMessages = keepMessages;
  }

  /** Rough token estimate (4 characters a token, plus a little per message), as deepagents does. */
  static long estimateTokens(List<Message> messages) {
    long chars = 0;
    for (Message m : messages) chars += chars(m);
    return chars / 4;
  }

  private static long chars(Message m) {
    long chars = (long) m.content().length() + 16;
    for (var call : m.toolCalls()) chars += call.name().length() + call.args().toString().length();
    return chars;
  }

  /** Sizes of the messages seen so far: checked before every model call, each measured once. */
  private final Map<Message, Long> charsByMessage = new IdentityHashMap<>();

  private long estimate(List<Message> messages) {
    long chars = 0;
    for (Message m : messages) chars += charsByMessage.computeIfAbsent(m, Summarizer::chars);
    return chars / 4;
  }

  boolean needed(String systemPrompt, AgentState state) {
    return state.messages().size() > keepMessages
        && systemPrompt.length() / 4 + estimate(state.messages()) > tokenThreshold
        && cutIndex(state.messages()) > 0;
  }

  /** The state with older messages summarised; the summary call's usage is returned too. */
  ModelResponse summarise(String node, ModelConfig config, AgentState state, ModelClient model) {
    List<Message> messages = state.messages();
    int cut = cutIndex(messages);
    List<Message> request = new ArrayList<>(messages.subList(0, cut));
    request.add(0, Message.system("You write faithful, compact summaries of agent conversations."));
    request.add(Message.user(Prompts.SUMMARY_REQUEST));
    return model.chat(
        new ModelRequest(node + ":summary", config, request, List.of()), TokenListener.NONE);
  }

  List<Message> replaceOlder(List<Message> messages, String summary) {
    int cut = cutIndex(messages);
    List<Message> kept = new ArrayList<>();
    kept.add(Message.user(Prompts.SUMMARY_PREFIX + summary));
    kept.addAll(messages.subList(cut, messages.size()));
    return kept;
  }

  /**
   * First kept message: the last {@code keepMessages}, moved back so that no tool result is kept
   * without the call it answers, or forward past such results when moving back would keep all; 0
   * when there is no safe cut (nothing to summarise).
   */
  static int cutIndex(List<Message> messages, int keepMessages) {
    int start = Math.max(1, messages.size() - keepMessages);
    int cut = start;
    while (cut > 0 && messages.get(cut).role() == Role.TOOL) cut--;
    if (cut > 0) return cut;
    cut = start;
    while (cut < messages.size() && messages.get(cut).role() == Role.TOOL) cut++;
    return cut < messages.size() ? cut : 0;
  }

  private int cutIndex(List<Message> messages) {
    return cutIndex(messages, keepMessages);
  }
}
