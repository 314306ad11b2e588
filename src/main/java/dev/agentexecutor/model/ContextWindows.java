package dev.agentexecutor.model;

import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The context window (input tokens) of common OpenAI and Anthropic models, by the longest matching
 * prefix of the model name, as the providers publish them. A node's {@code model.context_window}
 * overrides it; models not listed have no known window.
 */
public final class ContextWindows {
  private record Entry(String prefix, long tokens) {}

  /** Longer prefixes first, so that the most specific entry wins. */
  private static final List<Entry> TABLE =
      List.of(
          new Entry("gpt-4o-mini", 128_000),
          new Entry("gpt-4o", 128_000),
          new Entry("gpt-4.1", 1_047_576),
          new Entry("gpt-4-turbo", 128_000),
          new Entry("gpt-4-32k", 32_768),
          new Entry("gpt-4", 8_192),
          new Entry("gpt-3.5-turbo", 16_385),
          new Entry("gpt-5", 400_000),
          new Entry("o1-mini", 128_000),
          new Entry("o1", 200_000),
          new Entry("o3-mini", 200_000),
          new Entry("o3", 200_000),
          new Entry("o4-mini", 200_000),
          new Entry("claude-3-5", 200_000),
          new Entry("claude-3-7", 200_000),
          new Entry("claude-3", 200_000),
          new Entry("claude-haiku-4", 200_000),
          new Entry("claude-sonnet-4", 200_000),
          new Entry("claude-opus-4", 200_000),
          new Entry("claude-", 200_000));

  private ContextWindows() {}

  /** The window of {@code model} when the table knows it. */
  public static OptionalLong of(String model) {
    if (model == null) return OptionalLong.empty();
    String name = model.toLowerCase(Locale.ROOT);
    int slash = name.lastIndexOf('/'); // "openai/gpt-4o" as some gateways name them
    if (slash >= 0) name = name.substring(slash + 1);
    Entry best = null;
    for (Entry entry : TABLE) {
      if (name.startsWith(entry.prefix())
          && (best == null || entry.prefix().length() > best.prefix().length())) best = entry;
    }
    return best == null ? OptionalLong.empty() : OptionalLong.of(best.tokens());
  }
}
