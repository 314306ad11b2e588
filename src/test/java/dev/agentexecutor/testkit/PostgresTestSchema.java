package dev.agentexecutor.testkit;

import dev.agentexecutor.config.Settings;
import dev.agentexecutor.postgres.Migrations;
import dev.agentexecutor.postgres.PostgresDatabase;
import dev.agentexecutor.postgres.PostgresMigrator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class its own PostgreSQL schema on the shared test server (127.0.0.1:5432, database
 * test, user postgres, trust auth; POSTGRES_TEST_* override), dropped with everything in it after
 * the class. An unreachable server fails the class: these tests are never skipped.
 *
 * <pre>
 * {@code @RegisterExtension static final PostgresTestSchema PG = new PostgresTestSchema("jobs");}
 * </pre>
 */
public final class PostgresTestSchema implements BeforeAllCallback, AfterAllCallback {
  public static final String HOST = env("POSTGRES_TEST_HOST", "127.0.0.1");
  public static final int PORT = Integer.parseInt(env("POSTGRES_TEST_PORT", "5432"));
  public static final String DATABASE = env("POSTGRES_TEST_DB", "test");
  public static final String USER = env("POSTGRES_TEST_USER", "postgres");
  public static final String PASSWORD = env("POSTGRES_TEST_PASSWORD", "");

  private final String prefix;
  private final List<String> schemas = new ArrayList<>();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private String schema;

  public PostgresTestSchema(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws SQLException {
    schema = newSchemaName(prefix);
    try (Connection connection = admin()) {
      connection.createStatement().execute("CREATE SCHEMA " + schema);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    for (AutoCloseable resource : resources.reversed()) resource.close();
    try (Connection connection = admin()) {
      for (String name : schemas)
        connection.createStatement().execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }
  }

  /** The class's schema (created, empty until {@link #migrate()}). */
  public String schema() {
    return schema;
  }

  /** A further unique schema name (not created), dropped with the class's schema. */
  public String newSchemaName(String label) {
    String name =
        ("t_" + label + "_" + UUID.randomUUID().toString().substring(0, 8))
            .toLowerCase(java.util.Locale.ROOT);
    schemas.add(name);
    return name;
  }

  public static String jdbcUrl() {
    return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + DATABASE;
  }

  public Settings.Postgres settings() {
    return settings(schema, USER, PORT);
  }

  public static Settings.Postgres settings(String schema, String user, int port) {
    String url = "jdbc:postgresql://" + HOST + ":" + port + "/" + DATABASE;
    return new Settings.Postgres(
        url, user, PASSWORD, schema, 4, false, true, Duration.ofHours(24), Duration.ofMinutes(5));
  }

  /** Applies the packaged migrations to the class's schema. */
  public PostgresTestSchema migrate() {
    PostgresMigrator.migrate(settings(), Migrations.fromClasspath());
    return this;
  }

  /** A pool on the class's schema, closed after the class. */
  public PostgresDatabase database() {
    return closeAfterAll(PostgresDatabase.connect(settings()));
  }

  public <T extends AutoCloseable> T closeAfterAll(T resource) {
    resources.add(resource);
    return resource;
  }

  /** The environment that points scripts/ci/run-migrations.sh at the test server. */
  public static Map<String, String> scriptEnvironment(String schema) {
    Map<String, String> env = new HashMap<>();
    env.put("POSTGRES_HOST", HOST);
    env.put("POSTGRES_PORT", Integer.toString(PORT));
    env.put("POSTGRES_DB", DATABASE);
    env.put("POSTGRES_USER", USER);
    env.put("POSTGRES_PASSWORD", PASSWORD);
    env.put("POSTGRES_SCHEMA", schema);
    return env;
  }

  /** A superuser connection outside any pool, for set-up and for looking at what was stored. */
  public static Connection admin() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
  }

  /** Runs a statement as the administrator. */
  public static void execute(String sql) throws SQLException {
    try (Connection connection = admin()) {
      connection.createStatement().execute(sql);
    }
  }

  /** The first column of the first row of a query (parameters bound as objects), or null. */
  public static Object queryValue(String sql, Object... parameters) throws SQLException {
    try (Connection connection = admin();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) statement.setObject(i + 1, parameters[i]);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? row.getObject(1) : null;
      }
    }
  }

  /** The first column of every row. */
  public static List<String> queryColumn(String sql, Object... parameters) throws SQLException {
    try (Connection connection = admin();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) statement.setObject(i + 1, parameters[i]);
      List<String> values = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) values.add(rows.getString(1));
      }
      return values;
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
