package dev.agentexecutor.runner;

import dev.agentexecutor.store.JobQuery;
import dev.agentexecutor.util.Ids;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;

/**
 * The opaque {@code cursor} of GET /jobs: the list position of a page's last job (its creation time
 * and id), versioned and base64url-encoded. Clients pass it back as it is; anything else is
 * refused, never guessed at.
 */
public final class JobCursor {
  /** Longer than any cursor this service writes (a 256-character job id and a timestamp). */
  public static final int MAX_LENGTH = 512;

  private static final String VERSION = "v1";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private JobCursor() {}

  public static String encode(JobQuery.Position position) {
    String text = VERSION + "|" + position.createdAt() + "|" + position.jobId();
    return ENCODER.encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The position the cursor names; empty when it is not one this service wrote. */
  public static Optional<JobQuery.Position> decode(String cursor) {
    if (cursor == null || cursor.isEmpty() || cursor.length() > MAX_LENGTH) return Optional.empty();
    String text;
    try {
      text = new String(DECODER.decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String[] parts = text.split("\\|", -1);
    if (parts.length != 3 || !VERSION.equals(parts[0]) || !Ids.isValidClientId(parts[2]))
      return Optional.empty();
    try {
      return Optional.of(new JobQuery.Position(Instant.parse(parts[1]), parts[2]));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
