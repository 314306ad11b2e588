package dev.agentexecutor.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The service has one secret redactor, with the strictest rules of the two it replaced: every
 * configured value of four characters or more, secret shapes in any text (model errors included),
 * and failures copied without their causes.
 */
class OneRedactorTest {
  @Test
  void masksShortConfiguredSecretsThatTheModelsRedactorLeftAlone() {
    Redactor redactor = new Redactor("k3y9", null, "ab");

    assertThat(redactor.redact("the key k3y9 was refused")).isEqualTo("the key *** was refused");
    assertThat(redactor.redact("ab stays: too short to be told from text")).startsWith("ab stays");
  }

  @Test
  void masksSecretShapesInModelErrorsWithoutTheKeyBeingConfigured() {
    Redactor redactor = new Redactor();

    assertThat(
            redactor.redact(
                "HTTP 401: Incorrect API key provided: sk-proj-abcdefghijklmnop, "
                    + "header x-api-key: sk-ant-abcdefghijklm"))
        .doesNotContain("sk-proj-abcdefghijklmnop")
        .doesNotContain("sk-ant-abcdefghijklm");
  }

  @Test
  void aRedactedFailureKeepsItsTypeAndStackButNeitherTheSecretNorItsCauses() {
    Redactor redactor = new Redactor("sk-secret-key");
    IOException failure =
        new IOException("refused sk-secret-key", new IllegalStateException("inner sk-secret-key"));

    RuntimeException copy = redactor.redacted(failure);

    assertThat(copy.getMessage())
        .isEqualTo("java.io.IOException: refused ***")
        .doesNotContain("sk-secret-key");
    assertThat(copy.getCause()).isNull();
    assertThat(Arrays.asList(copy.getStackTrace()))
        .isEqualTo(Arrays.asList(failure.getStackTrace()));
  }
}
