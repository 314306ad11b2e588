package dev.agentexecutor.model.provider;

import dev.langchain4j.exception.HttpException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One failed model call attempt as the retry policy sees it: the HTTP status (0 when there was no
 * answer), whether trying again can help, how long the server asked us to wait, and what happened:
 * a {@code kind} such as "HTTP 500" or "connection error" and a short {@code detail}.
 */
record AttemptFailure(
    int status, boolean retryable, Optional<Duration> retryAfter, String kind, String detail) {
  private static final int MAX_BODY_CHARS = 200;

  /**
   * Reads a failure thrown by a LangChain4j model (or by our HTTP client under it). An attempt
   * interrupted by its caller (the run was cancelled or stopped) is final: retrying would start the
   * request the caller wanted aborted.
   */
  static AttemptFailure classify(Throwable failure, Clock clock) {
    if (Thread.currentThread().isInterrupted() || interrupted(failure)) {
      return new AttemptFailure(
          0, false, Optional.empty(), "interrupted", "the call was interrupted by its caller");
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof HttpException http) return ofHttp(http, clock);
      if (cause instanceof ModelAnswerException answer) {
        return new AttemptFailure(
            answer.status(),
            answer.retryable(),
            Optional.empty(),
            answer.kind(),
            answer.getMessage());
      }
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (isConnectionProblem(cause)) {
        return new AttemptFailure(
            0, true, Optional.empty(), "connection error", describe(root(cause)));
      }
    }
    return new AttemptFailure(0, false, Optional.empty(), "error", String.valueOf(failure));
  }

  private static AttemptFailure ofHttp(HttpException http, Clock clock) {
    int status = http.statusCode();
    boolean retryable = status == 429 || status >= 500;
    Optional<Duration> retryAfter =
        http instanceof ModelHttpException withHeaders
            ? withHeaders.retryAfter().flatMap(value -> parseRetryAfter(value, clock))
            : Optional.empty();
    return new AttemptFailure(
        status, retryable, retryAfter, "HTTP " + status, shorten(http.getMessage()));
  }

  private static boolean interrupted(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof InterruptedException
          || cause instanceof java.nio.channels.ClosedByInterruptException
          || (cause instanceof java.io.InterruptedIOException
              && !(cause instanceof java.net.SocketTimeoutException))) return true;
      if (cause.getCause() == cause) break;
    }
    return false;
  }

  String summary() {
    return kind + ": " + detail;
  }

  private static Throwable root(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return root;
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    String type = failure.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }

  private static boolean isConnectionProblem(Throwable cause) {
    return cause instanceof IOException
        || cause instanceof ModelHttpClient.ModelConnectionException
        || cause instanceof dev.langchain4j.exception.TimeoutException
        || cause instanceof java.util.concurrent.TimeoutException;
  }

  /** {@code Retry-After} is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
  static Optional<Duration> parseRetryAfter(String value, Clock clock) {
    String trimmed = value.trim();
    try {
      long seconds = Long.parseLong(trimmed);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime when = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(clock.instant(), when.toInstant());
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }

  private static String shorten(String body) {
    if (body == null || body.isBlank()) return "(empty body)";
    String oneLine = body.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_BODY_CHARS
        ? oneLine
        : oneLine.substring(0, MAX_BODY_CHARS) + "…";
  }
}
