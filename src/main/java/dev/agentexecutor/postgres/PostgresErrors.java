package dev.agentexecutor.postgres;

import dev.agentexecutor.core.problem.BackendUnavailableException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Sorts SQL errors into "the database is unavailable" (the job is retried) and everything else (a
 * bug or a schema that was not migrated, which retrying does not fix).
 */
final class PostgresErrors {
  static final String BACKEND = "postgresql";

  private PostgresErrors() {}

  static RuntimeException translate(String action, SQLException error) {
    String message = action + ": " + error.getMessage();
    if (isUnavailable(error)) return new BackendUnavailableException(BACKEND, message, error);
    return new IllegalStateException(BACKEND + " " + message, error);
  }

  /**
   * True for connection failures (SQLState class 08, Hikari's pool timeout, I/O errors), a server
   * that is shutting down or starting (57P01..57P03), refused logins (28) and exhausted resources
   * (53): all of them pass without any change to the job.
   */
  static boolean isUnavailable(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException)
        return true;
      if (cause instanceof IOException) return true;
      if (cause instanceof SQLException sql && isUnavailableState(sql.getSQLState())) return true;
    }
    return false;
  }

  private static boolean isUnavailableState(String state) {
    if (state == null) return false;
    return state.startsWith("08")
        || state.startsWith("28")
        || state.startsWith("53")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03");
  }
}
