package dev.agentexecutor.model.provider;

import java.util.List;
import java.util.Objects;

/**
 * Removes API keys from text before it reaches an exception message or a log line: model servers
 * echo keys back in error bodies (OpenAI's 401 does), and LangChain4j puts bodies in messages.
 */
final class SecretRedactor {
  static final String MASK = "***";

  /** Shorter values are left alone: masking them would mangle ordinary text and protect nothing. */
  private static final int MIN_SECRET_LENGTH = 6;

  private final List<String> secrets;

  SecretRedactor(String... secrets) {
    this.secrets =
        java.util.Arrays.stream(secrets)
            .filter(Objects::nonNull)
            .filter(s -> s.length() >= MIN_SECRET_LENGTH)
            .toList();
  }

  String redact(String text) {
    if (text == null) return null;
    String result = text;
    for (String secret : secrets) result = result.replace(secret, MASK);
    return result;
  }

  /**
   * A copy of the failure that is safe to attach as a cause: same type name, stack trace and
   * redacted message, but none of the original causes (whose messages may hold a key).
   */
  RuntimeException redacted(Throwable failure) {
    var copy =
        new RedactedFailure(failure.getClass().getName() + ": " + redact(failure.getMessage()));
    copy.setStackTrace(failure.getStackTrace());
    return copy;
  }

  /** Stands in for a failure whose message had to be redacted. */
  static final class RedactedFailure extends RuntimeException {
    RedactedFailure(String message) {
      super(message);
    }
  }
}
