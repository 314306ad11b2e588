package dev.agentexecutor.model.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentexecutor.config.Settings;
import dev.agentexecutor.model.ModelException;
import dev.agentexecutor.observability.Metrics;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Model errors go through the service's one redactor: a key the server echoes back is removed by
 * its shape even when it is not one the settings hold (another tenant's, a rotated one).
 */
class RetryPolicyRedactionTest {
  @Test
  void aKeyShapedValueInAModelErrorIsRedactedThoughItIsNotConfigured() {
    Settings.ModelSettings settings =
        new Settings.ModelSettings(
            "openai",
            "gpt-4o-mini",
            "sk-configured-key",
            "http://127.0.0.1:9/v1",
            "",
            "http://127.0.0.1:9/v1",
            Duration.ofSeconds(1),
            0,
            Duration.ofMillis(1),
            Duration.ofMillis(1));
    RetryPolicy policy = RetryPolicy.from(settings, new Metrics(), duration -> {});

    ModelException failure =
        catchThrowableOfType(
            ModelException.class,
            () ->
                policy.call(
                    "openai (gpt-4o-mini)",
                    () -> {
                      throw new ModelHttpException(
                          401,
                          "Incorrect API key provided: sk-proj-abcdefghijklmnop1234. "
                              + "Authorization: Bearer abcdefghijklmnopqrst",
                          null);
                    }));

    assertThat(failure.getMessage())
        .contains("HTTP 401")
        .doesNotContain("sk-proj-abcdefghijklmnop1234")
        .doesNotContain("abcdefghijklmnopqrst");
  }
}
