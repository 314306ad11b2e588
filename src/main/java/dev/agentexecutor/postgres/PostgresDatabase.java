package dev.agentexecutor.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentexecutor.config.Settings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * The connection pool of one PostgreSQL schema: every connection's search_path is that schema, and
 * every SQL error that means "unreachable" becomes a {@link
 * dev.agentexecutor.core.problem.BackendUnavailableException}.
 */
public final class PostgresDatabase implements AutoCloseable {
  /** How long a caller waits for a connection before the outage is reported; short on purpose. */
  public static final Duration CONNECTION_TIMEOUT = Duration.ofMillis(2_500);

  /** {@link #ping()} answers within this, as /ready must answer within a second. */
  public static final Duration PING_TIMEOUT = Duration.ofSeconds(1);

  /** TCP connect timeout of one new connection, in seconds (the driver's unit). */
  private static final int CONNECT_TIMEOUT_SECONDS = 2;

  private final HikariDataSource pool;
  private final String schema;
  private final Settings.Postgres settings;
  private final ExecutorService pingThreads =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("postgres-ping-", 0).factory());

  private PostgresDatabase(HikariDataSource pool, String schema, Settings.Postgres settings) {
    this.pool = pool;
    this.schema = schema;
    this.settings = settings;
  }

  /**
   * Creates the pool without waiting for the server: when PostgreSQL is down at start-up, the pool
   * keeps trying in the background, {@link #ping()} says false and calls fail fast until it is up.
   */
  public static PostgresDatabase connect(Settings.Postgres settings) {
    String schema = Schemas.identifier(settings.schema());
    HikariConfig config = new HikariConfig();
    config.setPoolName("postgres-" + schema);
    config.setJdbcUrl(settings.jdbcUrl());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(settings.poolSize());
    config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    config.setValidationTimeout(PING_TIMEOUT.toMillis());
    config.setInitializationFailTimeout(-1);
    // Checkpoints may commit without waiting for the WAL flush (CHECKPOINT_SYNC_COMMIT=false);
    // PostgresJobStore switches it back on for results, whose flush covers every earlier commit.
    config.setConnectionInitSql(
        "SET search_path TO "
            + schema
            + (settings.syncCheckpointCommits() ? "" : "; SET synchronous_commit TO off"));
    config.addDataSourceProperty("connectTimeout", CONNECT_TIMEOUT_SECONDS);
    config.addDataSourceProperty("tcpKeepAlive", true);
    config.addDataSourceProperty("ApplicationName", "agent-executor");
    return new PostgresDatabase(new HikariDataSource(config), schema, settings);
  }

  /**
   * A new connection outside the pool, for a session that lives as long as its user (LISTEN): the
   * pool would retire it after its maximum lifetime. The caller closes it.
   */
  public Connection dedicatedConnection(String applicationName) throws SQLException {
    Properties properties = new Properties();
    if (settings.user() != null) properties.setProperty("user", settings.user());
    if (settings.password() != null) properties.setProperty("password", settings.password());
    properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("ApplicationName", applicationName);
    return DriverManager.getConnection(settings.jdbcUrl(), properties);
  }

  /** The pooled data source (connections already on the schema's search_path). */
  public DataSource dataSource() {
    return pool;
  }

  /** The schema, as PostgreSQL names it (lower case). */
  public String schema() {
    return schema;
  }

  /** {@code SELECT 1}, answered within {@link #PING_TIMEOUT}: false when unreachable or slow. */
  public boolean ping() {
    CompletableFuture<Boolean> answer = CompletableFuture.supplyAsync(this::selectOne, pingThreads);
    try {
      return answer.get(PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      answer.cancel(true);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean selectOne() {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.setQueryTimeout((int) PING_TIMEOUT.toSeconds());
      return statement.execute("SELECT 1");
    } catch (SQLException e) {
      return false;
    }
  }

  /** Runs {@code work} on one connection in auto-commit mode; {@code action} names it in errors. */
  public <T> T withConnection(String action, SqlWork<T> work) {
    try (Connection connection = pool.getConnection()) {
      return work.apply(connection);
    } catch (SQLException e) {
      throw PostgresErrors.translate(action, e);
    }
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
   */
  public <T> T inTransaction(String action, SqlWork<T> work) {
    return withConnection(action, connection -> Transactions.run(connection, work));
  }

  @Override
  public void close() {
    pingThreads.shutdownNow();
    pool.close();
  }
}
