package dev.agentexecutor.testkit;

import java.time.Duration;
import java.util.List;

/**
 * One scripted answer of {@link FakeLlmServer}: text and/or tool calls with token usage, an HTTP
 * error (status, body, optional {@code Retry-After}), or an error inside a successful stream; any
 * may be delayed and a stream may be cut short. Build with the static factories and the {@code
 * with...} methods.
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
    int outputTokens,
    String streamError,
    int streamCutAfter,
    int cacheReadTokens,
    int cacheWriteTokens) {

  public static final int DEFAULT_INPUT_TOKENS = 10;
  public static final int DEFAULT_OUTPUT_TOKENS = 5;
  private static final int WHOLE_STREAM = -1;

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
        DEFAULT_OUTPUT_TOKENS,
        null,
        WHOLE_STREAM,
        0,
        0);
  }

  public static FakeLlmReply toolCall(String id, String name, String argumentsJson) {
    return toolCalls(new ToolCall(id, name, argumentsJson));
  }

  public static FakeLlmReply toolCalls(ToolCall... calls) {
    return text("").withToolCalls(List.of(calls));
  }

  /** An HTTP error; a null body is replaced by the provider's usual error JSON. */
  public static FakeLlmReply error(int status, String body) {
    return text("").withStatus(status, body);
  }

  /**
   * HTTP 200 and a stream that reports an error instead of an answer, in the provider's own way:
   * OpenAI-compatible servers and proxies send only {@code data: {"error": ERROR}}; Anthropic sends
   * {@code message_start} then {@code event: error} with {@code {"type":"error","error":ERROR}}.
   *
   * @param errorObjectJson the error object, e.g. {@code
   *     {"type":"overloaded_error","message":"Overloaded"}}
   */
  public static FakeLlmReply streamError(String errorObjectJson) {
    return new FakeLlmReply(
        "",
        List.of(),
        200,
        null,
        null,
        Duration.ZERO,
        DEFAULT_INPUT_TOKENS,
        DEFAULT_OUTPUT_TOKENS,
        errorObjectJson,
        WHOLE_STREAM,
        0,
        0);
  }

  public FakeLlmReply withText(String newText) {
    return new FakeLlmReply(
        newText,
        toolCalls,
        status,
        errorBody,
        retryAfter,
        delay,
        inputTokens,
        outputTokens,
        streamError,
        streamCutAfter,
        cacheReadTokens,
        cacheWriteTokens);
  }

  public FakeLlmReply withToolCalls(List<ToolCall> calls) {
    return new FakeLlmReply(
        text,
        List.copyOf(calls),
        status,
        errorBody,
        retryAfter,
        delay,
        inputTokens,
        outputTokens,
        streamError,
        streamCutAfter,
        cacheReadTokens,
        cacheWriteTokens);
  }

  private FakeLlmReply withStatus(int newStatus, String body) {
    return new FakeLlmReply(
        text,
        toolCalls,
        newStatus,
        body,
        retryAfter,
        delay,
        inputTokens,
        outputTokens,
        streamError,
        streamCutAfter,
        cacheReadTokens,
        cacheWriteTokens);
  }

  public FakeLlmReply withRetryAfter(String value) {
    return new FakeLlmReply(
        text,
        toolCalls,
        status,
        errorBody,
        value,
        delay,
        inputTokens,
        outputTokens,
        streamError,
        streamCutAfter,
        cacheReadTokens,
        cacheWriteTokens);
  }

  public FakeLlmReply withDelay(Duration wait) {
    return new FakeLlmReply(
        text,
        toolCalls,
        status,
        errorBody,
        retryAfter,
        wait,
        inputTokens,
        outputTokens,
        streamError,
        streamCutAfter,
        cacheReadTokens,
        cacheWriteTokens);
  }

  public FakeLlmReply withUsage(int input, int output) {
    return new FakeLlmReply(
        text,
        toolCalls,
        status,
        errorBody,
        retryAfter,
        delay,
        input,
        output,
        streamError,
        streamCutAfter,
        cacheReadTokens,
        cacheWriteTokens);
  }

  /**
   * The streamed answer stops after its first {@code events} events and the connection closes
   * cleanly.
   */
  public FakeLlmReply withStreamCutAfter(int events) {
    return new FakeLlmReply(
        text,
        toolCalls,
        status,
        errorBody,
        retryAfter,
        delay,
        inputTokens,
        outputTokens,
        streamError,
        events,
        cacheReadTokens,
        cacheWriteTokens);
  }

  /**
   * Prompt caching: of the input, {@code read} tokens came from the cache and {@code written} went
   * into it (OpenAI reports only reads, as prompt_tokens_details.cached_tokens; Anthropic both, as
   * cache_read_input_tokens and cache_creation_input_tokens besides input_tokens).
   */
  public FakeLlmReply withCache(int read, int written) {
    return new FakeLlmReply(
        text,
        toolCalls,
        status,
        errorBody,
        retryAfter,
        delay,
        inputTokens,
        outputTokens,
        streamError,
        streamCutAfter,
        read,
        written);
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
