package dev.agentexecutor.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A result recorded against a checkpoint before the next one is saved, as LangGraph's pending
 * writes: one finished tool call of the step in progress ({@link #RESULT}), an approval the step
 * waits for ({@link #INTERRUPT}) or the decision that answered it ({@link #RESUME}). {@code taskId}
 * is the tool call id; a task has at most one write per channel, and the first one put stands.
 */
public record PendingWrite(String taskId, String channel, JsonNode value) {
  /** A finished tool call: its message, its changes to the state and its tokens. */
  public static final String RESULT = "result";

  /** A tool call waiting for a person's decision. */
  public static final String INTERRUPT = "__interrupt__";

  /** The decision taken on a waiting tool call. */
  public static final String RESUME = "__resume__";

  public PendingWrite {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(value, "value");
  }
}
