package dev.agentexecutor.observability;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes secrets from text that leaves the process (error messages, stack traces, logs): the
 * configured keys and passwords by value, and anything shaped like a bearer token or API key.
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

  private final List<String> secrets;

  public Redactor(List<String> secrets) {
    this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
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
    for (String secret : secrets) result = result.replace(secret, "***");
    result = KEY_SHAPED.matcher(result).replaceAll("***");
    return SECRET_ASSIGNMENT.matcher(result).replaceAll("$1***");
  }
}
