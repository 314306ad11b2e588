package dev.agentexecutor.stream.redis;

import dev.agentexecutor.core.problem.BackendUnavailableException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A connection opened on first use, so that a Redis that is down at start-up does not stop the
 * service. Failed attempts are retried at most every {@link #RETRY_INTERVAL}; once open, Lettuce
 * reconnects by itself after any outage.
 */
final class LazyConnection implements AutoCloseable {
  static final Duration RETRY_INTERVAL = Duration.ofMillis(500);

  private final Supplier<StatefulRedisConnection<String, String>> opener;
  private volatile StatefulRedisConnection<String, String> connection;

  /** Connecting happens under it: a lock, so that virtual threads waiting are not pinned. */
  private final ReentrantLock lock = new ReentrantLock();

  private long nextAttemptNanos = System.nanoTime();
  private RuntimeException lastFailure;
  private boolean closed;

  LazyConnection(Supplier<StatefulRedisConnection<String, String>> opener) {
    this.opener = opener;
  }

  StatefulRedisConnection<String, String> get() {
    StatefulRedisConnection<String, String> open = connection;
    return open != null ? open : openOrFail();
  }

  private StatefulRedisConnection<String, String> openOrFail() {
    lock.lock();
    try {
      return openLocked();
    } finally {
      lock.unlock();
    }
  }

  private StatefulRedisConnection<String, String> openLocked() {
    if (closed) throw new BackendUnavailableException(RedisCommands.BACKEND, "closed", null);
    if (connection != null) return connection;
    if (System.nanoTime() - nextAttemptNanos < 0) {
      throw new BackendUnavailableException(
          RedisCommands.BACKEND, "not connected: " + lastFailure.getMessage(), lastFailure);
    }
    try {
      connection = opener.get();
      return connection;
    } catch (RuntimeException e) {
      lastFailure = e;
      nextAttemptNanos = System.nanoTime() + RETRY_INTERVAL.toNanos();
      throw new BackendUnavailableException(
          RedisCommands.BACKEND, "cannot connect: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      if (connection != null) connection.close();
    } finally {
      lock.unlock();
    }
  }
}
