package dev.agentexecutor.stream.redis;

import dev.agentexecutor.core.problem.BackendUnavailableException;
import io.lettuce.core.RedisFuture;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for Lettuce futures with a deadline and turns every failure into a backend outage. */
final class RedisCommands {
  static final String BACKEND = "redis";

  /** Deadline of one command; an answer slower than this means the backend is in trouble. */
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

  private RedisCommands() {}

  static <T> T await(RedisFuture<T> future, Duration timeout, String command) {
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new BackendUnavailableException(BACKEND, command + " timed out after " + timeout, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new BackendUnavailableException(
          BACKEND, command + " failed: " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendUnavailableException(BACKEND, command + " interrupted", e);
    }
  }
}
