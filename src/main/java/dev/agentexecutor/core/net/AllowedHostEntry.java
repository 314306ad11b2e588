package dev.agentexecutor.core.net;

import java.util.Locale;

/**
 * The grammar of one HTTP_TOOL_ALLOWED_HOSTS entry: a host name, a {@code .domain} suffix, {@code
 * *}, or an IP address or CIDR block. Shared by the settings (a bad entry fails start-up) and the
 * HTTP tool policy that applies the list.
 */
public final class AllowedHostEntry {
  private AllowedHostEntry() {}

  /** The entry as compared: trimmed and lower case. */
  public static String normalize(String entry) {
    return entry.strip().toLowerCase(Locale.ROOT);
  }

  /** Why {@code entry} is not a valid list entry, or null when it is one. */
  public static String problem(String entry) {
    try {
      requireValid(normalize(entry));
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** Throws IllegalArgumentException naming a normalized entry that is not valid. */
  public static void requireValid(String entry) {
    if (isBlock(entry)) {
      Cidr.parse(entry);
    } else if (!entry.equals("*") && !entry.matches("\\.?[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?")) {
      throw new IllegalArgumentException(
          "'" + entry + "' is neither a host name, .domain, * nor an IP address or CIDR block");
    }
  }

  /** An address or block rather than a host name. */
  public static boolean isBlock(String entry) {
    return entry.contains("/") || entry.contains(":") || entry.matches("[0-9.]+");
  }
}
