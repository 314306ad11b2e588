package dev.agentexecutor.observability;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes secrets from text that leaves the process (error messages, stack traces, logs): the
 * configured keys and passwords by value, and anything shaped like a bearer token or API key.
 */
public final class Redactor {
  private static final Pattern KEY_SHAPED = Pattern.compile(
      "(?i)(sk-[A-Za-z0-9_-]{8,}|sk-ant-[A-Za-z0-9_-]{8,}|bearer\\s+[A-Za-z0-9._~+/=-]{8,}|(x-api-key|api[_-]?key|password)[\"']?\\s*[:=]\\s*[\"']?[^\\s\"',}]+)");
  private final List<String> secrets;

  public Redactor(List<String> secrets) {
    this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
  }

  public String redact(String text) {
    if (text == null) return null;
    String result = text;
    for (String secret : secrets) result = result.replace(secret, "***");
    return KEY_SHAPED.matcher(result).replaceAll("***");
  }
}
