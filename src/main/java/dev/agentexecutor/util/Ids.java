package dev.agentexecutor.util;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Identifiers: random UUIDs, and time-ordered UUIDv7 strings that sort in creation order. They name
 * events, checkpoints and tool calls: they must be unique, not secret (no id here grants access to
 * anything), so their random bits come from {@link ThreadLocalRandom} rather than the OS's secure
 * generator, which costs a system call per id on the hot path of every job.
 */
public final class Ids {
  /** Last (millisecond << 12 | counter) handed out, so ids stay ordered within one millisecond. */
  private static final AtomicLong LAST = new AtomicLong();

  /** Longest job, trace or thread id a client may choose. */
  public static final int MAX_CLIENT_ID_LENGTH = 256;

  /**
   * The alphabet of client-chosen ids (job_id, trace_id, thread ids): letters, digits and {@code .
   * _ : @ -}, starting with a letter or digit. Ids travel into URL paths, NATS headers
   * (Nats-Msg-Id), Redis keys and PostgreSQL text, so nothing else is safe in all of them.
   */
  public static final String CLIENT_ID_ALPHABET =
      "letters, digits and . _ : @ - (starting with a letter or digit)";

  private Ids() {}

  /**
   * The value is a valid client-chosen id: non-empty, at most 256 characters of the safe alphabet.
   */
  public static boolean isValidClientId(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_CLIENT_ID_LENGTH) return false;
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean alphanumeric =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alphanumeric && (i == 0 || ".-_:@".indexOf(c) < 0)) return false;
    }
    return true;
  }

  /** A random (version 4) UUID. */
  public static String uuid() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
    return new UUID(high, low).toString();
  }

  /**
   * A UUIDv7 whose 48-bit timestamp and 12-bit counter make ids from this process strictly
   * increasing, and ids from a process started later larger still (checkpoint ids rely on it).
   */
  public static String timeOrdered() {
    long stamp =
        LAST.updateAndGet(previous -> Math.max(previous + 1, System.currentTimeMillis() << 12));
    long millis = stamp >>> 12;
    long counter = stamp & 0xFFF;
    long high = (millis << 16) | (0x7L << 12) | counter;
    long low = (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
