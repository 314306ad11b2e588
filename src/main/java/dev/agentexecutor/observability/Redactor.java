package dev.agentexecutor.observability;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one secret redactor: removes secrets from text that leaves the process (error messages, stack
 * traces, logs, model errors that echo a key back): the configured keys and passwords by value, and
 * anything shaped like a bearer token, an API key or a credential assignment.
 */
public final class Redactor {
  private static final Pattern KEY_SHAPED =
      Pattern.compile(
          "(?i)(sk-[A-Za-z0-9_-]{8,}|sk-ant-[A-Za-z0-9_-]{8,}|bearer\\s+[A-Za-z0-9._~+/=-]{8,})");

  /**
   * key=value or "key": "value" where the key names a credential: the key stays, the value goes.
   */
  private static final Pattern SECRET_ASSIGNMENT =
      Pattern.compile(
          "(?i)((?:x-api-key|api[_-]?key|password|passwd|access_token|secret)[\"']?\\s*[:=]\\s*[\"']?)[^\\s\"',}&;]+");

  /** user:password@ (or token@) in any URL, including several comma-separated ones. */
  private static final Pattern URL_USER_INFO = Pattern.compile("(?<=://)[^/@\\s,?#]+@");

  /** Query or JDBC parameters that carry credentials. */
  private static final Pattern URL_SECRET_PARAMETER =
      Pattern.compile(
          "(?i)([?&;](?:password|passwd|pwd|pass|token|access_token|auth_token|secret|api[_-]?key|apikey|sslpassword|user_password)=)[^&;#\\s]*");

  /** What a secret becomes. */
  public static final String MASK = "***";

  /** Shorter values are left alone: masking them would mangle ordinary text and protect nothing. */
  private static final int MIN_SECRET_LENGTH = 4;

  private final List<String> secrets;

  /** Redacts the given values (null and very short ones are ignored) and every secret shape. */
  public Redactor(List<String> secrets) {
    this.secrets =
        secrets.stream().filter(s -> s != null && s.length() >= MIN_SECRET_LENGTH).toList();
  }

  public Redactor(String... secrets) {
    this(Arrays.asList(secrets));
  }

  /**
   * A URL (or a comma-separated list of URLs) fit for a log line: user info and credential
   * parameters replaced by ***, everything else kept so that the target stays recognisable.
   */
  public static String url(String url) {
    if (url == null) return null;
    String withoutUser = URL_USER_INFO.matcher(url).replaceAll("***@");
    return URL_SECRET_PARAMETER.matcher(withoutUser).replaceAll("$1***");
  }

  public String redact(String text) {
    if (text == null) return null;
    String result = text;
    for (String secret : secrets) result = result.replace(secret, MASK);
    result = KEY_SHAPED.matcher(result).replaceAll(MASK);
    return SECRET_ASSIGNMENT.matcher(result).replaceAll("$1" + MASK);
  }

  /**
   * A copy of the failure that is safe to attach as a cause: same type name, stack trace and
   * redacted message, but none of the original causes (whose messages may hold a secret).
   */
  public RuntimeException redacted(Throwable failure) {
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
