package dev.agentexecutor.util;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Identifiers: random UUIDs, and time-ordered UUIDv7 strings that sort in creation order. */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Last (millisecond << 12 | counter) handed out, so ids stay ordered within one millisecond. */
  private static final AtomicLong LAST = new AtomicLong();

  private Ids() {}

  public static String uuid() {
    return UUID.randomUUID().toString();
  }

  /**
   * A UUIDv7 whose 48-bit timestamp and 12-bit counter make ids from this process strictly
   * increasing, and ids from a process started later larger still (checkpoint ids rely on it).
   */
  public static String timeOrdered() {
    long stamp = LAST.updateAndGet(previous -> Math.max(previous + 1, System.currentTimeMillis() << 12));
    long millis = stamp >>> 12;
    long counter = stamp & 0xFFF;
    long high = (millis << 16) | (0x7L << 12) | counter;
    long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
