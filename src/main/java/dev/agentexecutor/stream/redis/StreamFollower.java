package dev.agentexecutor.stream.redis;

import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.stream.AgentEvent;
import dev.agentexecutor.stream.EventStream;
import dev.agentexecutor.stream.StreamedEvent;
import dev.agentexecutor.util.Backoff;
import dev.agentexecutor.util.Json;
import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One follow of a thread's stream on its own connection (XREAD BLOCK holds the connection). History
 * and live events come from the same XREAD loop on the last delivered id, so there is no boundary
 * between them where an event could be missed or delivered twice.
 */
final class StreamFollower implements EventStream.Subscription {
  private static final Logger log = LoggerFactory.getLogger(StreamFollower.class);
  static final Duration BLOCK = Duration.ofSeconds(1);
  private static final Duration READ_TIMEOUT = BLOCK.plus(RedisCommands.COMMAND_TIMEOUT);
  private static final int BATCH = 200;
  private static final Backoff BACKOFF = Backoff.of(Duration.ofMillis(100), Duration.ofSeconds(2));
  private static final Duration CONNECT_WAIT = Duration.ofSeconds(2);
  private static final Pattern STREAM_ID = Pattern.compile("\\d+(-\\d+)?");

  /**
   * Opens a connection asynchronously, so that a follow closed while connecting can close it too.
   */
  private final Supplier<ConnectionFuture<StatefulRedisConnection<String, String>>> connector;

  private final String streamKey;
  private final Consumer<StreamedEvent> listener;
  private Runnable onStop = () -> {};
  private volatile boolean closed;
  private volatile StatefulRedisConnection<String, String> connection;
  private volatile Thread thread;
  private String position;

  StreamFollower(
      Supplier<ConnectionFuture<StatefulRedisConnection<String, String>>> connector,
      String streamKey,
      String afterId,
      Consumer<StreamedEvent> listener) {
    this.connector = connector;
    this.streamKey = streamKey;
    // Like the memory stream, an id that is not a stream id means "from the start".
    this.position = afterId != null && STREAM_ID.matcher(afterId).matches() ? afterId : "0-0";
    this.listener = listener;
  }

  /** Starts following on a virtual thread; {@code onStop} runs when following is over. */
  void start(String threadName, Runnable onStop) {
    this.onStop = onStop;
    thread = Thread.ofVirtual().name(threadName).start(this::run);
  }

  private void run() {
    long failures = 0;
    try {
      while (!closed) {
        try {
          if (deliver(read())) return;
          failures = 0;
        } catch (BackendUnavailableException e) {
          if (closed) return;
          if (failures++ == 0) log.warn("following {} paused: {}", streamKey, e.getMessage());
          dropConnection();
          sleep(BACKOFF.delay(failures));
        }
      }
    } finally {
      dropConnection();
      onStop.run();
    }
  }

  private List<StreamMessage<String, String>> read() {
    var args = XReadArgs.Builder.block(BLOCK).count(BATCH);
    var offset = XReadArgs.StreamOffset.from(streamKey, position);
    List<StreamMessage<String, String>> batch =
        RedisCommands.await(connection().async().xread(args, offset), READ_TIMEOUT, "XREAD");
    return batch == null ? List.of() : batch;
  }

  /**
   * Hands the batch to the listener; true when following is over: closed, or an {@code end}
   * delivered that was the newest entry when read (a thread's later run follows its earlier run's
   * end; a full batch may not hold the newest entry, so its last end does not stop the follow).
   */
  private boolean deliver(List<StreamMessage<String, String>> batch) {
    for (int i = 0; i < batch.size(); i++) {
      StreamMessage<String, String> message = batch.get(i);
      if (closed) return true;
      position = message.getId();
      AgentEvent event = parse(message);
      if (event == null) continue;
      boolean last = event.isEnd() && i == batch.size() - 1 && batch.size() < BATCH;
      try {
        listener.accept(new StreamedEvent(message.getId(), event, last));
      } catch (RuntimeException e) {
        log.warn("listener of {} failed; stopping the follow", streamKey, e);
        return true;
      }
      if (last) return true;
    }
    return closed;
  }

  /**
   * The entry's event; null (logged) for an entry that is not one, which must not stop a follow.
   */
  static AgentEvent parse(StreamMessage<String, String> message) {
    String json = message.getBody().get(RedisEventStream.EVENT_FIELD);
    try {
      return Json.MAPPER.readValue(json, AgentEvent.class);
    } catch (Exception e) {
      log.warn("skipping unreadable entry {} of {}", message.getId(), message.getStream());
      return null;
    }
  }

  private StatefulRedisConnection<String, String> connection() {
    if (connection == null) connection = connect();
    StatefulRedisConnection<String, String> open = connection;
    if (closed || open == null) { // close() ran while connecting
      dropConnection();
      throw new BackendUnavailableException(RedisCommands.BACKEND, "follow closed", null);
    }
    return open;
  }

  /**
   * Connects, waiting at most {@link #CONNECT_WAIT}. A connection that completes after the wait was
   * abandoned (closed, interrupted or timed out) is closed when it arrives instead of lingering.
   */
  private StatefulRedisConnection<String, String> connect() {
    ConnectionFuture<StatefulRedisConnection<String, String>> pending = connector.get();
    try {
      return pending.get(CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw abandon(pending, "interrupted while connecting", e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      throw abandon(pending, "cannot connect: " + e.getMessage(), e);
    }
  }

  private static BackendUnavailableException abandon(
      ConnectionFuture<StatefulRedisConnection<String, String>> pending,
      String why,
      Exception cause) {
    pending.thenAccept(StatefulRedisConnection::closeAsync);
    return new BackendUnavailableException(RedisCommands.BACKEND, why, cause);
  }

  private void dropConnection() {
    StatefulRedisConnection<String, String> open = connection;
    connection = null;
    if (open != null) open.closeAsync();
  }

  private void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  @Override
  public void close() {
    closed = true;
    dropConnection(); // aborts a blocked XREAD at once
    Thread running = thread;
    if (running != null) running.interrupt();
  }
}
