package dev.agentexecutor.checkpoint.postgres;

import java.util.Map;

/**
 * Channel versions in LangGraph's shape: {@code "%032d.%016d"}, a counter that sorts as text, then
 * a fraction. The counter is one more than the parent checkpoint's highest; the fraction is derived
 * from the checkpoint id, so that putting the same checkpoint twice yields the same versions while
 * two checkpoints forked from one parent do not collide.
 */
final class ChannelVersions {
  private static final int COUNTER_DIGITS = 32;
  private static final long FRACTION_BOUND = 10_000_000_000_000_000L; // 16 digits

  private ChannelVersions() {}

  /** The version of every channel that changes in checkpoint {@code checkpointId}. */
  static String next(Map<String, String> parentVersions, String checkpointId) {
    long counter =
        1 + parentVersions.values().stream().mapToLong(ChannelVersions::counter).max().orElse(0);
    return zeroPadded(counter, COUNTER_DIGITS) + "." + zeroPadded(fraction(checkpointId), 16);
  }

  static long counter(String version) {
    int dot = version.indexOf('.');
    return Long.parseLong(dot < 0 ? version : version.substring(0, dot));
  }

  private static long fraction(String checkpointId) {
    long hash = 0xcbf29ce484222325L; // FNV-1a, 64 bit
    for (int i = 0; i < checkpointId.length(); i++) {
      hash = (hash ^ checkpointId.charAt(i)) * 0x100000001b3L;
    }
    return Math.floorMod(hash, FRACTION_BOUND);
  }

  private static String zeroPadded(long value, int width) {
    String digits = Long.toString(value);
    return "0".repeat(Math.max(0, width - digits.length())) + digits;
  }
}
