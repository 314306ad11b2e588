package dev.agentexecutor.cancel.postgres;

import dev.agentexecutor.cancel.CancelSignals;
import dev.agentexecutor.cancel.MemoryCancelSignals;
import dev.agentexecutor.postgres.PostgresDatabase;
import dev.agentexecutor.util.Backoff;
import dev.agentexecutor.util.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancel requests between replicas through PostgreSQL's LISTEN/NOTIFY: a request is a {@code
 * pg_notify} on the schema's channel with the job id as payload, and every replica listens on that
 * channel on a dedicated connection, in a virtual thread that reconnects with the service's backoff
 * when the connection is lost. Requests sent while a replica is reconnecting do not reach it
 * (NOTIFY keeps nothing for sessions that are not listening); a caller may send them again.
 */
public final class PostgresCancelSignals implements CancelSignals {
  private static final Logger log = LoggerFactory.getLogger(PostgresCancelSignals.class);

  /** Longest wait for notifications in one call: bounds how quickly {@link #close} is noticed. */
  static final Duration POLL = Duration.ofMillis(500);

  private static final Backoff RECONNECT =
      Backoff.of(Duration.ofMillis(200), Duration.ofSeconds(15));

  /** PostgreSQL's longest identifier (NAMEDATALEN - 1), which a channel name is. */
  private static final int MAX_CHANNEL = 63;

  private static final String PREFIX = "agent_cancel_";

  private final PostgresDatabase database;
  private final String channel;
  private final List<Consumer<String>> handlers = new CopyOnWriteArrayList<>();
  private final Thread listener;
  private volatile boolean closed;
  private volatile boolean listening;

  private PostgresCancelSignals(PostgresDatabase database) {
    this.database = database;
    this.channel = channel(database.schema());
    this.listener = Thread.ofVirtual().name("cancel-listener").unstarted(this::listen);
  }

  /** Starts listening in the background; it does not wait for the server. */
  public static PostgresCancelSignals start(PostgresDatabase database) {
    PostgresCancelSignals signals = new PostgresCancelSignals(database);
    signals.listener.start();
    return signals;
  }

  /**
   * The schema's channel, so that deployments sharing a database in different schemas do not cancel
   * each other's jobs: {@code agent_cancel_<schema>}, or with a hash of the schema when that is
   * longer than an identifier may be.
   */
  static String channel(String schema) {
    String name = PREFIX + schema;
    if (name.length() <= MAX_CHANNEL) return name;
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(schema.getBytes(StandardCharsets.UTF_8));
      return PREFIX + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public void publish(String jobId) {
    if (!Ids.isValidClientId(jobId)) throw new IllegalArgumentException("not a job id: " + jobId);
    database.withConnection(
        "sending a cancel request",
        connection -> {
          try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, channel);
            notify.setString(2, jobId);
            notify.execute();
            return null;
          }
        });
  }

  @Override
  public void subscribe(Consumer<String> handler) {
    handlers.add(handler);
  }

  @Override
  public boolean crossReplica() {
    return true;
  }

  /** Listening now (connected, LISTEN done): for tests and diagnostics. */
  public boolean listening() {
    return listening;
  }

  private void listen() {
    long failures = 0;
    while (!closed) {
      try (Connection connection = database.dedicatedConnection("agent-executor-cancel")) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + channel); // a plain identifier: see channel()
        }
        if (failures > 0) log.info("listening for cancel requests again");
        failures = 0;
        listening = true;
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (!closed) receive(pg.getNotifications((int) POLL.toMillis()));
      } catch (SQLException | RuntimeException e) {
        listening = false;
        if (closed) return;
        failures++;
        if (failures == 1 || failures % 10 == 0)
          log.warn(
              "listening for cancel requests failed (attempt {}): {}; cancels from other replicas"
                  + " do not reach this one until it reconnects",
              failures,
              e.toString());
        if (!pause(RECONNECT.delay(failures))) return;
      }
    }
    listening = false;
  }

  /** Each notification's payload, when it is a job id, goes to every handler. */
  private void receive(PGNotification[] notifications) {
    if (notifications == null) return;
    for (PGNotification notification : notifications) {
      String jobId = notification.getParameter();
      if (Ids.isValidClientId(jobId)) MemoryCancelSignals.deliver(handlers, jobId);
      else log.warn("ignored a cancel request whose payload is not a job id");
    }
  }

  private boolean pause(Duration delay) {
    try {
      Thread.sleep(delay);
      return !closed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stops listening and closes the connection (before the pool closes: see app/Resources). */
  @Override
  public void close() {
    closed = true;
    listener.interrupt();
    try {
      if (!listener.join(POLL.multipliedBy(4)))
        log.warn("the cancel listener did not stop within {} ms", POLL.multipliedBy(4).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
