package dev.agentexecutor.model.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentexecutor.model.ModelException;
import dev.agentexecutor.observability.Redactor;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The retry policy with an injected sleeper, jitter and clock: no test here waits. */
class RetryPolicyTest {
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
  private final List<Duration> sleeps = new ArrayList<>();
  private final AtomicInteger retries = new AtomicInteger();

  private RetryPolicy policy(int maxRetries, double jitter) {
    return new RetryPolicy(
        maxRetries,
        Duration.ofMillis(100),
        Duration.ofMillis(1000),
        sleeps::add,
        () -> jitter,
        Clock.fixed(NOW, ZoneOffset.UTC),
        retries::incrementAndGet,
        new Redactor("sk-secret-key"));
  }

  /** An attempt that throws the given failures in turn, then answers "ok". */
  private static RetryPolicy.Attempt<String> failing(Exception... failures) {
    Queue<Exception> pending = new ArrayDeque<>(List.of(failures));
    return () -> {
      if (!pending.isEmpty()) throw pending.poll();
      return "ok";
    };
  }

  @Test
  void anAttemptInterruptedByItsCallerIsNeverRetried() {
    IOException aborted = new IOException("closed", new InterruptedException());
    ModelException thrown =
        catchThrowableOfType(
            ModelException.class,
            () -> policy(5, 0.5).call("openai (m)", failing(aborted, aborted)));

    assertThat(thrown).hasMessageContaining("interrupted");
    assertThat(retries).hasValue(0);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void aReadTimeoutIsStillRetried() {
    String answer =
        policy(5, 0.5)
            .call("openai (m)", failing(new java.net.SocketTimeoutException("read timed out")));

    assertThat(answer).isEqualTo("ok");
    assertThat(retries).hasValue(1);
  }

  @Test
  void backsOffExponentiallyUpToTheCapWithFullJitter() {
    RetryPolicy maxJitter = policy(10, 0.999999);
    assertThat(
            List.of(1, 2, 3, 4, 5, 6).stream()
                .map(n -> maxJitter.backoff(n, transientFailure()).toMillis()))
        .containsExactly(99L, 199L, 399L, 799L, 999L, 999L);
    assertThat(policy(10, 0.0).backoff(4, transientFailure())).isZero();
    assertThat(policy(10, 0.5).backoff(2, transientFailure())).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void waitsAtLeastRetryAfterEvenBeyondTheCap() {
    var failure =
        new AttemptFailure(429, true, Optional.of(Duration.ofSeconds(5)), "HTTP 429", "slow down");
    assertThat(policy(3, 0.5).backoff(1, failure)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void readsRetryAfterAsSecondsOrHttpDate() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    assertThat(AttemptFailure.parseRetryAfter("7", clock)).contains(Duration.ofSeconds(7));
    assertThat(AttemptFailure.parseRetryAfter("Wed, 01 Jan 2025 00:00:30 GMT", clock))
        .contains(Duration.ofSeconds(30));
    assertThat(AttemptFailure.parseRetryAfter("Tue, 31 Dec 2024 23:59:00 GMT", clock))
        .contains(Duration.ZERO);
    assertThat(AttemptFailure.parseRetryAfter("soon", clock)).isEmpty();
  }

  @Test
  void retries429And5xxAndConnectionErrorsThenSucceeds() {
    String answer =
        policy(3, 0.5)
            .call(
                "openai (m)",
                failing(
                    new ModelHttpException(429, "busy", "2"),
                    new ModelHttpException(503, "down", null),
                    new HttpTimeoutException("slow")));

    assertThat(answer).isEqualTo("ok");
    assertThat(retries).hasValue(3);
    assertThat(sleeps)
        .containsExactly(Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void givesUpAfterMaxRetriesNamingAttemptsStatusAndTarget() {
    ModelException failure =
        catchThrowableOfType(
            ModelException.class,
            () ->
                policy(2, 0.5)
                    .call(
                        "openai (m)",
                        failing(
                            new ModelHttpException(500, "a", null),
                            new ModelHttpException(500, "b", null),
                            new ModelHttpException(502, "bad gateway", null))));

    assertThat(failure.getMessage())
        .isEqualTo("model call failed after 3 attempts: HTTP 502 from openai (m): bad gateway");
    assertThat(failure.status()).isEqualTo(502);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void failsOtherClientErrorsAndUnknownFailuresWithoutRetrying() {
    ModelException unauthorized =
        catchThrowableOfType(
            ModelException.class,
            () ->
                policy(5, 0.5)
                    .call("anthropic (m)", failing(new ModelHttpException(401, "no", null))));
    ModelException bug =
        catchThrowableOfType(
            ModelException.class,
            () ->
                policy(5, 0.5).call("anthropic (m)", failing(new IllegalStateException("broken"))));

    assertThat(unauthorized.status()).isEqualTo(401);
    assertThat(bug.getMessage())
        .isEqualTo(
            "model call failed after 1 attempt: error from anthropic (m):"
                + " java.lang.IllegalStateException: broken");
    assertThat(retries).hasValue(0);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void redactsSecretsFromTheMessageAndTheAttachedCause() {
    ModelException failure =
        catchThrowableOfType(
            ModelException.class,
            () ->
                policy(0, 0.5)
                    .call(
                        "openai (m)",
                        failing(
                            new IOException(
                                "proxy refused key sk-secret-key",
                                new IOException("again sk-secret-key")))));

    assertThat(failure.getMessage())
        .contains("connection error")
        .contains("***")
        .doesNotContain("sk-secret-key");
    assertThat(failure.getCause().getMessage()).doesNotContain("sk-secret-key");
    assertThat(failure.getCause().getCause()).isNull();
  }

  @Test
  void stopsWaitingWhenInterrupted() {
    var policy =
        new RetryPolicy(
            3,
            Duration.ofMillis(100),
            Duration.ofMillis(100),
            d -> {
              throw new InterruptedException();
            },
            () -> 0.5,
            Clock.systemUTC(),
            () -> {},
            new Redactor());

    ModelException failure =
        catchThrowableOfType(
            ModelException.class,
            () -> policy.call("openai (m)", failing(new ModelHttpException(503, "down", null))));

    assertThat(failure.getMessage()).contains("interrupted");
    assertThat(Thread.interrupted()).isTrue(); // the flag was restored (and is cleared here)
  }

  private static AttemptFailure transientFailure() {
    return new AttemptFailure(503, true, Optional.empty(), "HTTP 503", "down");
  }
}
