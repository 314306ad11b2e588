package dev.agentexecutor.postgres;

import java.util.regex.Pattern;

/**
 * Makes text storable by PostgreSQL, which refuses the NUL character in {@code text} and the {@code
 * \u0000} escape in {@code jsonb}. A model answer or a job input may hold either; it is replaced by
 * U+FFFD so that a finished job is always saved rather than failing at the end.
 */
public final class PostgresText {
  public static final char REPLACEMENT = '\uFFFD';

  /**
   * A JSON NUL escape, not a literal backslash followed by "u0000" (an even run of backslashes).
   */
  private static final Pattern JSON_NUL = Pattern.compile("(?<!\\\\)((?:\\\\\\\\)*)\\\\u0000");

  private PostgresText() {}

  /** JSON text (as Jackson writes it) with every NUL escape replaced. */
  public static String json(String json) {
    if (json == null || !json.contains("\\u0000")) return json;
    return JSON_NUL.matcher(json).replaceAll("$1\\\\ufffd");
  }

  /** Plain text with every NUL character replaced. */
  public static String text(String text) {
    return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', REPLACEMENT);
  }
}
