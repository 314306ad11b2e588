package dev.agentexecutor.core.state;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Token counts of a run (or of one model call). */
public record Usage(
    @JsonProperty("input_tokens") long inputTokens,
    @JsonProperty("output_tokens") long outputTokens) {

  public static final Usage ZERO = new Usage(0, 0);

  public Usage plus(Usage other) {
    return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens);
  }

  /** What this usage adds to {@code earlier} (a run's share of a thread's total). */
  public Usage minus(Usage earlier) {
    return new Usage(inputTokens - earlier.inputTokens, outputTokens - earlier.outputTokens);
  }

  public long total() {
    return inputTokens + outputTokens;
  }
}
