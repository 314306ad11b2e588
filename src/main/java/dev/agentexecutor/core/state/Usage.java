package dev.agentexecutor.core.state;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Token counts of a run (or of one model call). {@code inputTokens} counts every input token,
 * cached ones included; {@code cacheReadTokens} and {@code cacheWriteTokens} say how many of them
 * were read from or written to the provider's prompt cache (as LangChain's usage metadata does).
 */
public record Usage(
    @JsonProperty("input_tokens") long inputTokens,
    @JsonProperty("output_tokens") long outputTokens,
    @JsonProperty("cache_read_tokens") long cacheReadTokens,
    @JsonProperty("cache_write_tokens") long cacheWriteTokens) {

  public static final Usage ZERO = new Usage(0, 0, 0, 0);

  /** Counts without prompt caching. */
  public Usage(long inputTokens, long outputTokens) {
    this(inputTokens, outputTokens, 0, 0);
  }

  public Usage plus(Usage other) {
    return new Usage(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        cacheReadTokens + other.cacheReadTokens,
        cacheWriteTokens + other.cacheWriteTokens);
  }

  /** What this usage adds to {@code earlier} (a run's share of a thread's total). */
  public Usage minus(Usage earlier) {
    return new Usage(
        inputTokens - earlier.inputTokens,
        outputTokens - earlier.outputTokens,
        cacheReadTokens - earlier.cacheReadTokens,
        cacheWriteTokens - earlier.cacheWriteTokens);
  }

  public long total() {
    return inputTokens + outputTokens;
  }
}
