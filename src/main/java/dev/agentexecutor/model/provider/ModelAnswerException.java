package dev.agentexecutor.model.provider;

/**
 * A model answer that arrived (HTTP 200) but cannot be used: an error the server reported inside
 * the stream, a stream that ended before the answer was complete, or an answer with neither text
 * nor tool calls. {@link RetryPolicy} retries it when {@link #retryable()} and otherwise fails the
 * call naming {@link #kind()} and the message.
 */
final class ModelAnswerException extends RuntimeException {
  private final String kind;
  private final boolean retryable;
  private final int status;

  private ModelAnswerException(String kind, String detail, boolean retryable, int status) {
    super(detail);
    this.kind = kind;
    this.retryable = retryable;
    this.status = status;
  }

  /** An error event inside a successful stream; {@code status} is the code it names, or 0. */
  static ModelAnswerException streamError(String detail, boolean retryable, int status) {
    return new ModelAnswerException("error in the stream", detail, retryable, status);
  }

  /** Proxies and servers that drop the connection cleanly end a stream without its last event. */
  static ModelAnswerException incomplete() {
    return new ModelAnswerException(
        "incomplete stream", "the stream ended before the answer was complete", true, 0);
  }

  /** Models occasionally answer nothing; asking again usually helps, accepting it never does. */
  static ModelAnswerException empty() {
    return new ModelAnswerException(
        "empty answer", "the model answered with neither text nor tool calls", true, 0);
  }

  String kind() {
    return kind;
  }

  boolean retryable() {
    return retryable;
  }

  int status() {
    return status;
  }
}
