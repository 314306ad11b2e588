package dev.agentexecutor.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.config.Settings;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The token table: exact matches only, each token's tenant, and nothing but SHA-256 hashes kept.
 */
class ApiTokensTest {
  private static final String ACME = "acme-token-0123456789abcdef";
  private static final String PLAIN = "plain-token-0123456789abcdef==";
  private final ApiTokens tokens =
      new ApiTokens(
          List.of(new Settings.ApiToken(ACME, "acme"), new Settings.ApiToken(PLAIN, "default")));

  @Test
  void aPresentedTokenMapsToItsTenantAndNothingElseMatches() {
    assertThat(tokens.enabled()).isTrue();
    assertThat(tokens.tenantOf(ACME)).hasValue("acme");
    assertThat(tokens.tenantOf(PLAIN)).hasValue("default");
    assertThat(tokens.tenantOf(ACME.substring(1))).isEmpty();
    assertThat(tokens.tenantOf(ACME + " ")).isEmpty();
    assertThat(tokens.tenantOf(ACME.toUpperCase(java.util.Locale.ROOT))).isEmpty();
    assertThat(tokens.tenantOf("")).isEmpty();
    assertThat(tokens.tenantOf(null)).isEmpty();
    assertThat(new ApiTokens(List.of()).enabled()).isFalse();
  }

  @Test
  void onlySha256HashesOfTheTokensAreKept() throws Exception {
    List<Object> reachable = new ArrayList<>();
    collect(tokens, reachable, 0);

    assertThat(reachable)
        .noneMatch(v -> v instanceof String s && (s.contains(ACME) || s.contains(PLAIN)));
    byte[] acmeHash =
        MessageDigest.getInstance("SHA-256").digest(ACME.getBytes(StandardCharsets.UTF_8));
    assertThat(reachable)
        .anyMatch(v -> v instanceof byte[] b && MessageDigest.isEqual(b, acmeHash));
    assertThat(reachable)
        .noneMatch(
            v -> v instanceof byte[] b && new String(b, StandardCharsets.UTF_8).contains(ACME));
  }

  /** Every value reachable from the object's fields (records, lists), a few levels deep. */
  private static void collect(Object value, List<Object> into, int depth)
      throws IllegalAccessException {
    if (value == null || depth > 4) return;
    into.add(value);
    if (value instanceof Iterable<?> items) {
      for (Object item : items) collect(item, into, depth + 1);
      return;
    }
    if (value instanceof String
        || value instanceof byte[]
        || value.getClass().getName().startsWith("java.")) return;
    for (Field field : value.getClass().getDeclaredFields()) {
      field.setAccessible(true);
      collect(field.get(value), into, depth + 1);
    }
  }
}
