package dev.agentexecutor.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done with one borrowed connection; {@link PostgresDatabase} translates its SQL errors. */
@FunctionalInterface
public interface SqlWork<T> {
  T apply(Connection connection) throws SQLException;
}
