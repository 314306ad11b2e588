package dev.agentexecutor.testkit;

import java.time.Duration;
import java.util.List;

/**
 * One scripted answer of {@link FakeLlmServer}: text and/or tool calls with token usage, or an HTTP
 * error (status, body, optional {@code Retry-After}); either may be delayed. Build with the static
 * factories and the {@code with...} methods.
 *
 * @param retryAfter the {@code Retry-After} header of an error, or null for none
 */
public record FakeLlmReply(
    String text,
    List<ToolCall> toolCalls,
    int status,
    String errorBody,
    String retryAfter,
    Duration delay,
    int inputTokens,
    int outputTokens) {

  public static final int DEFAULT_INPUT_TOKENS = 10;
  public static final int DEFAULT_OUTPUT_TOKENS = 5;

  /** A tool call the fake model makes; {@code argumentsJson} is sent verbatim. */
  public record ToolCall(String id, String name, String argumentsJson) {}

  public static FakeLlmReply text(String text) {
    return new FakeLlmReply(
        text,
        List.of(),
        200,
        null,
        null,
        Duration.ZERO,
        DEFAULT_INPUT_TOKENS,
        DEFAULT_OUTPUT_TOKENS);
  }

  public static FakeLlmReply toolCall(String id, String name, String argumentsJson) {
    return toolCalls(new ToolCall(id, name, argumentsJson));
  }

  public static FakeLlmReply toolCalls(ToolCall... calls) {
    return text("").withToolCalls(List.of(calls));
  }

  /** An HTTP error; a null body is replaced by the provider's usual error JSON. */
  public static FakeLlmReply error(int status, String body) {
    return new FakeLlmReply(
        "",
        List.of(),
        status,
        body,
        null,
        Duration.ZERO,
        DEFAULT_INPUT_TOKENS,
        DEFAULT_OUTPUT_TOKENS);
  }

  public FakeLlmReply withText(String newText) {
    return new FakeLlmReply(
        newText, toolCalls, status, errorBody, retryAfter, delay, inputTokens, outputTokens);
  }

  public FakeLlmReply withToolCalls(List<ToolCall> calls) {
    return new FakeLlmReply(
        text, List.copyOf(calls), status, errorBody, retryAfter, delay, inputTokens, outputTokens);
  }

  public FakeLlmReply withRetryAfter(String value) {
    return new FakeLlmReply(
        text, toolCalls, status, errorBody, value, delay, inputTokens, outputTokens);
  }

  public FakeLlmReply withDelay(Duration wait) {
    return new FakeLlmReply(
        text, toolCalls, status, errorBody, retryAfter, wait, inputTokens, outputTokens);
  }

  public FakeLlmReply withUsage(int input, int output) {
    return new FakeLlmReply(text, toolCalls, status, errorBody, retryAfter, delay, input, output);
  }

  public boolean isError() {
    return status >= 300;
  }

  /** The text split the way the fake streams it: words with their leading whitespace. */
  public List<String> textChunks() {
    return text.isEmpty() ? List.of() : List.of(text.split("(?<=\\S)(?=\\s)"));
  }

  /** The arguments split in two, so clients must reassemble streamed tool arguments. */
  static List<String> argumentChunks(String argumentsJson) {
    int middle = argumentsJson.length() / 2;
    return List.of(argumentsJson.substring(0, middle), argumentsJson.substring(middle));
  }
}
