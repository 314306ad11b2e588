package dev.agentexecutor.postgres;

import dev.agentexecutor.config.Settings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the SQL migrations exactly as {@code scripts/ci/run-migrations.sh} does (same record
 * table, checksums and advisory lock, one transaction per file), so either can run after the other
 * and several pods can migrate at once.
 *
 * <p>Errors: {@link dev.agentexecutor.core.problem.BackendUnavailableException} when the database
 * cannot be reached, {@link MigrationException} when a migration fails, {@link
 * IllegalArgumentException} for bad migration files or schema names.
 */
public final class PostgresMigrator {
  private static final Logger log = LoggerFactory.getLogger(PostgresMigrator.class);

  /** The script computes the same key: hashtext('agent-executor:migrations:' || schema). */
  private static final String LOCK_KEY = "hashtext('agent-executor:migrations:' || ?)";

  private final DataSource dataSource;
  private final String schema;
  private final Migrations migrations;

  public PostgresMigrator(DataSource dataSource, String schema, Migrations migrations) {
    this.dataSource = dataSource;
    this.schema = Schemas.identifier(schema);
    this.migrations = migrations;
  }

  /**
   * Applies the packaged migrations to the configured database; what the jar's {@code migrate}
   * runs.
   */
  public static List<Migration> migrate(Settings.Postgres settings) {
    return migrate(settings, Migrations.fromClasspath());
  }

  /** Applies {@code migrations} (e.g. from MIGRATION_DIR) with a one-connection pool. */
  public static List<Migration> migrate(Settings.Postgres settings, Migrations migrations) {
    Settings.Postgres single =
        new Settings.Postgres(
            settings.jdbcUrl(),
            settings.user(),
            settings.password(),
            settings.schema(),
            1,
            false,
            true,
            settings.retention(),
            settings.sweepInterval());
    try (PostgresDatabase database = PostgresDatabase.connect(single)) {
      return new PostgresMigrator(database.dataSource(), settings.schema(), migrations).up();
    }
  }

  /** Applies every migration not yet recorded, in version order; returns those it applied. */
  public List<Migration> up() {
    return underLock(
        "migrate schema " + schema,
        connection -> {
          Map<String, String> recorded = recordedChecksums(connection);
          List<Migration> applied = new ArrayList<>();
          for (Migration migration : migrations.all()) {
            String checksum = recorded.get(migration.version());
            if (checksum == null) {
              apply(connection, migration);
              applied.add(migration);
            } else if (!checksum.equals(migration.checksum())) {
              log.warn(
                  "{} changed after it was applied; not applying it again", migration.fileName());
            }
          }
          log.info(
              applied.isEmpty() ? "schema {} is up to date" : "schema {} migrated: {}",
              schema,
              applied.stream().map(Migration::fileName).toList());
          return applied;
        });
  }

  /** Reverts the {@code count} most recently applied versions, newest first; returns them. */
  public List<Migration> down(int count) {
    if (count < 1) throw new IllegalArgumentException("count must be positive, not " + count);
    return underLock(
        "revert schema " + schema,
        connection -> {
          List<String> newestFirst =
              new ArrayList<>(recordedChecksums(connection).keySet()).reversed();
          List<Migration> reverted = new ArrayList<>();
          for (String version : newestFirst.subList(0, Math.min(count, newestFirst.size()))) {
            Migration migration = reversible(version);
            revert(connection, migration);
            reverted.add(migration);
          }
          return reverted;
        });
  }

  /** Every known migration (files and records), in version order. */
  public List<MigrationStatus> status() {
    return withConnection(
        "read migrations of schema " + schema,
        connection -> {
          Map<String, MigrationStatus> byVersion = new LinkedHashMap<>();
          for (Migration migration : migrations.all()) {
            byVersion.put(
                migration.version(),
                new MigrationStatus(migration.version(), migration.name(), migration, null, false));
          }
          if (!recordTableExists(connection)) return List.copyOf(byVersion.values());
          try (Statement statement = connection.createStatement();
              ResultSet rows =
                  statement.executeQuery(
                      "SELECT version, name, checksum, applied_at FROM "
                          + schema
                          + ".schema_migrations ORDER BY version")) {
            while (rows.next()) {
              String version = rows.getString(1);
              MigrationStatus file = byVersion.get(version);
              Migration migration = file == null ? null : file.migration();
              boolean changed =
                  migration != null && !migration.checksum().equals(rows.getString(3));
              byVersion.put(
                  version,
                  new MigrationStatus(
                      version,
                      rows.getString(2),
                      migration,
                      rows.getObject(4, OffsetDateTime.class).toInstant(),
                      changed));
            }
          }
          return List.copyOf(byVersion.values());
        });
  }

  private Migration reversible(String version) {
    return migrations.all().stream()
        .filter(m -> m.version().equals(version) && m.reversible())
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("no .down.sql for applied version " + version));
  }

  /**
   * Runs {@code work} on one connection holding the schema's advisory lock, after creating the
   * schema and the record table (under the lock, so that concurrent first runs do not collide).
   */
  private <T> T underLock(String action, SqlWork<T> work) {
    return withConnection(
        action,
        connection -> {
          lock(connection, "pg_advisory_lock");
          T result;
          try {
            prepareSchema(connection);
            result = work.apply(connection);
          } catch (SQLException | RuntimeException e) {
            unlockAfterFailure(connection, e);
            throw e;
          }
          lock(connection, "pg_advisory_unlock");
          return result;
        });
  }

  private <T> T withConnection(String action, SqlWork<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      return work.apply(connection);
    } catch (SQLException e) {
      throw PostgresErrors.isUnavailable(e)
          ? PostgresErrors.translate(action, e)
          : new MigrationException(action + " failed: " + e.getMessage(), e);
    }
  }

  private boolean recordTableExists(Connection connection) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT to_regclass(? || '.schema_migrations')")) {
      statement.setString(1, schema);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() && row.getString(1) != null;
      }
    }
  }

  /** Releases the lock without hiding the failure; a dead connection has released it already. */
  private void unlockAfterFailure(Connection connection, Exception failure) {
    try {
      lock(connection, "pg_advisory_unlock");
    } catch (SQLException unlockError) {
      failure.addSuppressed(unlockError);
    }
  }

  private void lock(Connection connection, String function) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT " + function + "(" + LOCK_KEY + ")")) {
      statement.setString(1, schema);
      statement.execute();
    }
  }

  private void prepareSchema(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET client_min_messages TO warning");
      statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
      statement.execute("SET search_path TO " + schema);
      statement.execute(
          """
          CREATE TABLE IF NOT EXISTS schema_migrations (
              version TEXT PRIMARY KEY,
              name TEXT NOT NULL,
              checksum TEXT NOT NULL,
              applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
          )""");
    }
  }

  private static Map<String, String> recordedChecksums(Connection connection) throws SQLException {
    Map<String, String> checksums = new LinkedHashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT version, checksum FROM schema_migrations ORDER BY version")) {
      while (rows.next()) checksums.put(rows.getString(1), rows.getString(2));
    }
    return checksums;
  }

  private void apply(Connection connection, Migration migration) throws SQLException {
    log.info("applying {}", migration.fileName());
    runInTransaction(
        connection,
        migration.upSql(),
        c ->
            update(
                c,
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)",
                migration.version(),
                migration.name(),
                migration.checksum()));
  }

  private void revert(Connection connection, Migration migration) throws SQLException {
    log.info("reverting {}", migration.fileName().replace(".up.sql", ".down.sql"));
    runInTransaction(
        connection,
        migration.downSql(),
        c -> update(c, "DELETE FROM schema_migrations WHERE version = ?", migration.version()));
  }

  /** The file's SQL and the change to its record, committed together or not at all. */
  private static void runInTransaction(Connection connection, String sql, SqlWork<Integer> record)
      throws SQLException {
    Transactions.run(
        connection,
        c -> {
          try (Statement statement = c.createStatement()) {
            statement.execute(sql);
          }
          return record.apply(c);
        });
  }

  private static int update(Connection connection, String sql, String... parameters)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) statement.setString(i + 1, parameters[i]);
      return statement.executeUpdate();
    }
  }
}
