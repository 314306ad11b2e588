package dev.agentexecutor.postgres;

import java.util.Locale;
import java.util.regex.Pattern;

/** Schema names as both the migration script and the service spell them in SQL. */
final class Schemas {
  private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private Schemas() {}

  /**
   * The name as an unquoted SQL identifier, folded to lower case as PostgreSQL folds it, so that it
   * can be written into DDL and {@code search_path} without quoting.
   */
  static String identifier(String schema) {
    if (schema == null || !PLAIN_IDENTIFIER.matcher(schema).matches()) {
      throw new IllegalArgumentException(
          "schema '" + schema + "' is not a plain SQL identifier (letters, digits, _)");
    }
    return schema.toLowerCase(Locale.ROOT);
  }
}
