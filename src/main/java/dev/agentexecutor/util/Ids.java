package dev.agentexecutor.util;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Identifiers: random UUIDs, and time-ordered UUIDv7 strings that sort in creation order. */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();

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

  public static String uuid() {
    return UUID.randomUUID().toString();
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
    long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
