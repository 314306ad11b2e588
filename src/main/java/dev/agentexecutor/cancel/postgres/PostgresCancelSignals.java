package dev.agentexecutor.cancel.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.cancel.CancelSignals;
import dev.agentexecutor.cancel.MemoryCancelSignals;
import dev.agentexecutor.core.Tenants;
import dev.agentexecutor.postgres.PostgresDatabase;
import dev.agentexecutor.util.Backoff;
import dev.agentexecutor.util.Ids;
import dev.agentexecutor.util.Json;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancel requests between replicas through PostgreSQL's LISTEN/NOTIFY. Every replica listens on the
 * schema's channel on a dedicated connection, in a virtual thread that reconnects with the
 * service's backoff when the connection is lost. A request is a {@code pg_notify} on that channel
 * with {@code {"request", "job_id", "tenant"}} as payload; the replica that stops the job answers
 * on the same channel with {@code {"answer": request}}, which the sender waits for. Requests sent
 * while a replica is reconnecting do not reach it (NOTIFY keeps nothing for sessions that are not
 * listening); a caller may send them again.
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

  /** Longest payload read: a request is far shorter (ids of at most 256 characters). */
  private static final int MAX_PAYLOAD = 1_000;

  private final List<Predicate<Request>> handlers = new CopyOnWriteArrayList<>();

  /** Requests sent from here that wait for an answer, by request id. */
  private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

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
  public boolean request(Request request, Duration wait) {
    if (!Ids.isValidClientId(request.jobId()))
      throw new IllegalArgumentException("not a job id: " + request.jobId());
    String id = Ids.uuid();
    ObjectNode payload = Json.object().put("request", id).put("job_id", request.jobId());
    payload.put("tenant", request.tenant());
    CompletableFuture<Void> answered = new CompletableFuture<>();
    waiting.put(id, answered);
    try {
      notify(payload);
      answered.get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("an answer future is only ever completed", e);
    } finally {
      waiting.remove(id);
    }
  }

  private void notify(ObjectNode payload) {
    database.withConnection(
        "sending a cancel request",
        connection -> {
          try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, channel);
            notify.setString(2, Json.write(payload));
            notify.execute();
            return null;
          }
        });
  }

  @Override
  public void subscribe(Predicate<Request> handler) {
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

  /**
   * A request goes to every handler and is answered when one stopped the job; an answer completes
   * the request it names, if it was sent from here. Anything else is dropped: a notification is
   * input like any other.
   */
  private void receive(PGNotification[] notifications) {
    if (notifications == null) return;
    for (PGNotification notification : notifications) {
      JsonNode payload = payload(notification.getParameter());
      String answer = payload.path("answer").asText("");
      String request = payload.path("request").asText("");
      String jobId = payload.path("job_id").asText("");
      JsonNode tenant = payload.path("tenant");
      if (!answer.isEmpty()) {
        CompletableFuture<Void> sent = waiting.get(answer);
        if (sent != null) sent.complete(null);
      } else if (!request.isEmpty()
          && request.length() <= 64
          && Ids.isValidClientId(jobId)
          && (tenant.isNull() || (tenant.isTextual() && Tenants.isValid(tenant.asText())))) {
        Request cancel = new Request(jobId, tenant.isNull() ? null : tenant.asText());
        if (MemoryCancelSignals.deliver(handlers, cancel)) answer(request);
      } else {
        log.warn("ignored a notification on {} that is no cancel request", channel);
      }
    }
  }

  private static JsonNode payload(String text) {
    if (text == null || text.length() > MAX_PAYLOAD) return Json.object();
    try {
      JsonNode node = Json.parse(text);
      return node != null && node.isObject() ? node : Json.object();
    } catch (RuntimeException e) {
      return Json.object();
    }
  }

  private void answer(String request) {
    try {
      notify(Json.object().put("answer", request));
    } catch (RuntimeException e) {
      log.warn("could not answer cancel request {}: {}", request, e.toString());
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
