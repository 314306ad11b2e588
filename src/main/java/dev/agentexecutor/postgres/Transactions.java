package dev.agentexecutor.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/** Explicit transactions on a connection that is otherwise in auto-commit mode. */
final class Transactions {
  private Transactions() {}

  static <T> T run(Connection connection, SqlWork<T> work) throws SQLException {
    connection.setAutoCommit(false);
    try {
      T result = work.apply(connection);
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(connection, e);
      throw e;
    } finally {
      restoreAutoCommit(connection);
    }
  }

  private static void rollbackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException rollbackError) {
      cause.addSuppressed(rollbackError); // a lost connection rolls back by itself
    }
  }

  private static void restoreAutoCommit(Connection connection) {
    try {
      connection.setAutoCommit(true);
    } catch (SQLException ignored) {
      // The connection is broken; the pool discards it on return.
    }
  }
}
