package dev.agentexecutor.nats;

import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.observability.Redactor;
import dev.agentexecutor.util.Backoff;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's one NATS connection. {@link #start()} connects in the background, retrying with
 * backoff until NATS is reachable and the streams and consumer are in place, so an unreachable NATS
 * never stops start-up; afterwards the client reconnects by itself, forever.
 */
public final class NatsConnector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NatsConnector.class);

  /** How long a JetStream request (publish ack, management call) may take. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** Reconnects, start-up and the worker's poll loop: 250 ms doubling to 5 s, jittered. */
  private static final Backoff BACKOFF = Backoff.of(Duration.ofMillis(250), Duration.ofSeconds(5));

  private final Settings.Nats settings;
  private final NatsStreams streams;
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile Connection connection;
  private volatile JetStream jetStream;
  private volatile String problem = "not started";
  private volatile boolean closed;
  private Thread connector;

  public NatsConnector(Settings.Nats settings) {
    this.settings = settings;
    this.streams = new NatsStreams(settings);
  }

  public Settings.Nats settings() {
    return settings;
  }

  /** Starts connecting on thread {@code nats-connect}; returns at once. */
  public synchronized NatsConnector start() {
    if (connector == null) {
      problem = "connecting to " + Redactor.url(settings.url());
      connector = Thread.ofVirtual().name("nats-connect").start(this::connectUntilReady);
    }
    return this;
  }

  /** Waits until connected with the topology in place; false when the timeout passed first. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    return ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS) && isReady();
  }

  /** Connected now, streams and consumer verified (for /ready). */
  public boolean isReady() {
    Connection open = connection;
    return ready.getCount() == 0 && open != null && open.getStatus() == Connection.Status.CONNECTED;
  }

  /** Why the connector is not ready, or "connected" (for /ready and the start-up log). */
  public String status() {
    if (isReady()) return "connected to " + Redactor.url(connection.getConnectedUrl());
    Connection open = connection;
    return ready.getCount() == 0 && open != null
        ? "connection " + open.getStatus().name().toLowerCase(java.util.Locale.ROOT)
        : problem;
  }

  /** The JetStream context (publish with ack); throws while not ready. */
  public JetStream jetStream() {
    JetStream current = jetStream;
    if (current == null || ready.getCount() > 0) throw notReady();
    return current;
  }

  /**
   * Asks the server for the job consumer, throwing when it is gone or unreachable: a pull on a
   * deleted consumer just returns nothing, so the worker would otherwise wait for ever, looking
   * healthy. When stream creation is enabled a deleted consumer is created again.
   */
  public void verifyConsumer() throws java.io.IOException, io.nats.client.JetStreamApiException {
    if (ready.getCount() > 0 || connection == null) throw notReady();
    var management = connection.jetStreamManagement(jetStreamOptions());
    try {
      management.getConsumerInfo(settings.streamName(), settings.consumerName());
    } catch (io.nats.client.JetStreamApiException e) {
      if (!settings.createStreams()) throw e;
      log.warn(
          "consumer {} on stream {} is gone ({}); creating it again",
          settings.consumerName(),
          settings.streamName(),
          e.getMessage());
      streams.ensure(management);
      throw e; // this poll fails; the next one subscribes to the new consumer
    }
  }

  private BackendUnavailableException notReady() {
    return new BackendUnavailableException("nats", problem, null);
  }

  private void connectUntilReady() {
    for (int attempt = 1; !closed; attempt++) {
      try {
        if (connection == null) connection = Nats.connect(options());
        streams.ensure(connection.jetStreamManagement(jetStreamOptions()));
        jetStream = connection.jetStream(jetStreamOptions());
        problem = "connected";
        ready.countDown();
        log.info(
            "NATS ready at {}: stream {}, consumer {}, results {}",
            Redactor.url(connection.getConnectedUrl()),
            settings.streamName(),
            settings.consumerName(),
            settings.resultStreamName());
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        problem =
            (connection == null ? "cannot connect to " + Redactor.url(settings.url()) + ": " : "")
                + e.getMessage();
        if (attempt == 1 || attempt % 10 == 0)
          log.warn("NATS not ready (attempt {}): {}", attempt, problem);
        if (!sleep(backoff(attempt))) return;
      }
    }
  }

  private Options options() {
    return Options.builder()
        .server(settings.url())
        .connectionName("agent-executor")
        .connectionTimeout(CONNECT_TIMEOUT)
        .maxReconnects(-1) // forever: a worker without NATS is useless, not finished
        .reconnectDelayHandler(NatsConnector::backoff)
        .connectionListener(loggingConnectionListener())
        .errorListener(loggingErrorListener())
        .build();
  }

  private static JetStreamOptions jetStreamOptions() {
    return JetStreamOptions.builder().requestTimeout(REQUEST_TIMEOUT).build();
  }

  /**
   * The NATS retry delay of attempt {@code attempt} (reconnects, start-up, the worker's poll loop),
   * jittered so that restarted pods do not retry in step.
   */
  public static Duration backoff(long attempt) {
    return BACKOFF.delay(attempt);
  }

  private static ConnectionListener loggingConnectionListener() {
    return (conn, event) -> {
      switch (event) {
        case DISCONNECTED -> log.warn("NATS disconnected; reconnecting");
        case RECONNECTED, RESUBSCRIBED -> log.info("NATS {}", event.getEvent());
        default -> log.debug("NATS {}", event.getEvent());
      }
    };
  }

  private static ErrorListener loggingErrorListener() {
    return new ErrorListener() {
      @Override
      public void errorOccurred(Connection conn, String error) {
        log.warn("NATS error: {}", error);
      }

      @Override
      public void exceptionOccurred(Connection conn, Exception exception) {
        log.warn("NATS client exception: {}", exception.toString());
      }
    };
  }

  private boolean sleep(Duration duration) {
    try {
      Thread.sleep(duration);
      return !closed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Closes the connection; call after the worker has drained. */
  @Override
  public void close() {
    closed = true;
    Thread running = connector;
    if (running != null) running.interrupt();
    Connection open = connection;
    if (open == null) return;
    try {
      open.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
