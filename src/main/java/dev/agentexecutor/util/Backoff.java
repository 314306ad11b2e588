package dev.agentexecutor.util;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The service's one retry delay (NATS reconnects and polls, stream followers, start-up tasks, model
 * calls, NATS redeliveries): exponential from {@code initial}, doubling per attempt up to {@code
 * max}, with full jitter (a uniform delay between zero and that ceiling, so that clients that
 * failed together do not retry together), and never shorter than a server's Retry-After.
 */
public record Backoff(Duration initial, Duration max, DoubleSupplier jitter) {
  /**
   * Past this many doublings any initial delay is beyond any sane cap; stopping avoids overflow.
   */
  private static final int MAX_DOUBLINGS = 30;

  public Backoff {
    if (initial.isNegative() || max.compareTo(initial) < 0)
      throw new IllegalArgumentException("backoff needs 0 <= initial <= max");
  }

  /** Jittered by a thread-local random number. */
  public static Backoff of(Duration initial, Duration max) {
    return new Backoff(initial, max, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** The ceiling of attempt {@code attempt} (from 1): initial × 2^(attempt-1), at most max. */
  public Duration ceiling(long attempt) {
    int doublings = (int) Math.min(Math.max(attempt - 1, 0), MAX_DOUBLINGS);
    long exponential = initial.toMillis() << doublings;
    return Duration.ofMillis(Math.min(Math.max(exponential, 0), max.toMillis()));
  }

  /** The delay before retry {@code attempt} (from 1): uniform between zero and its ceiling. */
  public Duration delay(long attempt) {
    return Duration.ofMillis((long) (jitter.getAsDouble() * ceiling(attempt).toMillis()));
  }

  /** {@link #delay(long)}, raised to what the server asked for when it asked for longer. */
  public Duration delay(long attempt, Optional<Duration> retryAfter) {
    Duration jittered = delay(attempt);
    return retryAfter.filter(after -> after.compareTo(jittered) > 0).orElse(jittered);
  }
}
