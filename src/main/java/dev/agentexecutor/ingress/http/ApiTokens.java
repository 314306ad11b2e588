package dev.agentexecutor.ingress.http;

import dev.agentexecutor.config.Settings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * The API tokens of API_TOKENS, kept only as SHA-256 hashes with their tenants. A presented token
 * is hashed and compared with every entry in constant time (MessageDigest.isEqual, no early exit),
 * so neither a token's content nor its position leaks through timing.
 */
final class ApiTokens {
  private record Entry(byte[] sha256, String tenant) {}

  private final List<Entry> entries;

  ApiTokens(List<Settings.ApiToken> tokens) {
    this.entries = tokens.stream().map(t -> new Entry(sha256(t.token()), t.tenant())).toList();
  }

  /** False when no tokens are configured: the API is open. */
  boolean enabled() {
    return !entries.isEmpty();
  }

  /** The tenant of the presented token, or empty when it is not one of ours. */
  Optional<String> tenantOf(String presented) {
    if (presented == null || presented.isEmpty()) return Optional.empty();
    byte[] hash = sha256(presented);
    String match = null;
    for (Entry entry : entries) {
      if (MessageDigest.isEqual(entry.sha256(), hash) && match == null) match = entry.tenant();
    }
    return Optional.ofNullable(match);
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
