package dev.agentexecutor.observability;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * W3C trace context of a job: the incoming {@code traceparent}/{@code tracestate}, or a fresh trace
 * when none (or an invalid one) came in. {@link #child()} continues the trace with a new span id,
 * which is what outgoing result events carry.
 */
public record TraceContext(String traceId, String spanId, String flags, String tracestate) {
  private static final Pattern TRACEPARENT =
      Pattern.compile("^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$");
  private static final SecureRandom RANDOM = new SecureRandom();

  public static TraceContext parse(String traceparent, String tracestate) {
    if (traceparent != null) {
      var m = TRACEPARENT.matcher(traceparent.trim().toLowerCase(java.util.Locale.ROOT));
      if (m.matches() && !m.group(1).matches("0+") && !m.group(2).matches("0+")) {
        return new TraceContext(m.group(1), m.group(2), m.group(3), blankToNull(tracestate));
      }
    }
    return fresh();
  }

  /** From headers looked up case-insensitively (HTTP, NATS, CloudEvent extensions). */
  public static TraceContext fromHeaders(Map<String, String> headers) {
    String parent = null;
    String state = null;
    for (var e : headers.entrySet()) {
      String key = e.getKey().toLowerCase(java.util.Locale.ROOT);
      if (key.equals("traceparent") || key.equals("ce-traceparent")) parent = e.getValue();
      if (key.equals("tracestate") || key.equals("ce-tracestate")) state = e.getValue();
    }
    return parse(parent, state);
  }

  public static TraceContext fresh() {
    return new TraceContext(randomHex(16), randomHex(8), "01", null);
  }

  public TraceContext child() {
    return new TraceContext(traceId, randomHex(8), flags, tracestate);
  }

  public String traceparent() {
    return "00-" + traceId + "-" + spanId + "-" + flags;
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
