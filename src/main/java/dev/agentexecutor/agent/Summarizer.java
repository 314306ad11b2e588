package dev.agentexecutor.agent;

import dev.agentexecutor.agent.definition.SummarizationConfig;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.ModelConfig;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Message;
import dev.agentexecutor.core.state.Role;
import dev.agentexecutor.model.ContextWindows;
import dev.agentexecutor.model.ModelClient;
import dev.agentexecutor.model.ModelRequest;
import dev.agentexecutor.model.ModelResponse;
import dev.agentexecutor.model.TokenListener;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Keeps a long run inside the model's context: when the estimated size of what a model call sends
 * (system prompt, tool schemas and conversation) passes the node's threshold, everything but the
 * last messages is replaced by a model-written summary. The cut never separates a tool result from
 * the call it answers. Stateless: the sizes measured so far live in each loop's {@link Sizes}.
 */
final class Summarizer {
  /** The share of a known context window at which a node summarises by default (deepagents'). */
  static final double DEFAULT_TRIGGER_FRACTION = 0.85;

  private final long tokenThreshold;
  private final int keepMessages;

  Summarizer(long tokenThreshold, int keepMessages) {
    this.tokenThreshold = tokenThreshold;
    this.keepMessages = keepMessages;
  }

  /**
   * A node's summarizer: its own {@code summarization} when it gives one, else the service's
   * threshold, lowered to 85% of the model's context window when that is known (the definition's
   * {@code context_window}, else the built-in table), so that a small window is never overrun.
   */
  static Summarizer forNode(SummarizationConfig config, ModelConfig model, Settings.Limits limits) {
    OptionalLong window =
        model.contextWindow() != null
            ? OptionalLong.of(model.contextWindow())
            : ContextWindows.of(model.model());
    long global = limits.summarizationTokenThreshold();
    long threshold =
        window.isPresent()
            ? Math.min(global, (long) (window.getAsLong() * DEFAULT_TRIGGER_FRACTION))
            : global;
    if (config != null && config.triggerTokens() != null) threshold = config.triggerTokens();
    if (config != null && config.triggerFraction() != null && window.isPresent())
      threshold = (long) (window.getAsLong() * config.triggerFraction());
    int keep =
        config != null && config.keepMessages() != null
            ? config.keepMessages()
            : limits.summarizationKeepMessages();
    return new Summarizer(threshold, keep);
  }

  long tokenThreshold() {
    return tokenThreshold;
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

  /** Sizes of the messages one loop has seen, each measured once (one loop, one thread). */
  static final class Sizes {
    private final Map<Message, Long> charsByMessage = new IdentityHashMap<>();

    long tokens(List<Message> messages) {
      long chars = 0;
      for (Message m : messages) chars += charsByMessage.computeIfAbsent(m, Summarizer::chars);
      return chars / 4;
    }
  }

  /**
   * Whether the call would pass the threshold: {@code fixedChars} are the system prompt and the
   * tool schemas, sent with every call.
   */
  boolean needed(long fixedChars, AgentState state, Sizes sizes) {
    return state.messages().size() > keepMessages
        && fixedChars / 4 + sizes.tokens(state.messages()) > tokenThreshold
        && cutIndex(state.messages()) > 0;
  }

  /** The model's summary of the older messages (a call of its own, without tools). */
  ModelResponse summarise(String node, ModelConfig config, AgentState state, ModelClient model) {
    List<Message> request = new ArrayList<>(older(state.messages()));
    request.add(0, Message.system("You write faithful, compact summaries of agent conversations."));
    request.add(Message.user(Prompts.SUMMARY_REQUEST));
    return model.chat(
        new ModelRequest(node + ":summary", config, request, List.of()), TokenListener.NONE);
  }

  /** The messages a summary replaces. */
  List<Message> older(List<Message> messages) {
    return messages.subList(0, cutIndex(messages));
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
