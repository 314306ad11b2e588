package dev.agentexecutor.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.config.Settings;
import dev.agentexecutor.observability.Redactor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** API tokens are secrets: the service's redactor removes them from errors and logs by value. */
class ApiTokenRedactionTest {
  @Test
  void everyConfiguredApiTokenIsRedacted() {
    Settings settings =
        Settings.from(Map.of("API_TOKENS", "acme-token-0123456789=acme,plain-token-0123456789"));
    Redactor redactor = Application.redactor(settings);

    String text =
        redactor.redact("calls with acme-token-0123456789 and token=plain-token-0123456789 failed");

    assertThat(text)
        .doesNotContain("acme-token-0123456789")
        .doesNotContain("plain-token-0123456789")
        .contains("***");
  }
}
