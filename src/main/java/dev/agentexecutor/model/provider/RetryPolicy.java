package dev.agentexecutor.model.provider;

import dev.agentexecutor.config.Settings;
import dev.agentexecutor.model.ModelException;
import dev.agentexecutor.observability.Metrics;
import dev.agentexecutor.observability.Redactor;
import dev.agentexecutor.util.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one retry policy of model calls: HTTP 429, 5xx and connection errors, and unusable answers
 * that {@link ModelAnswerException} marks retryable, are retried with exponential backoff and full
 * jitter (never less than the server's {@code Retry-After}); any other failure, or running out of
 * retries, ends in a {@link ModelException}. A streamed call that fails midway is retried from the
 * start, so listeners may see the first tokens twice.
 */
public final class RetryPolicy {
  private static final Logger log = LoggerFactory.getLogger(RetryPolicy.class);

  /** How the policy waits between attempts; tests replace it to avoid real sleeps. */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper SYSTEM = Thread::sleep;

    void sleep(Duration duration) throws InterruptedException;
  }

  /** One attempt of a call. */
  @FunctionalInterface
  interface Attempt<T> {
    T run() throws Exception;
  }

  private final int maxRetries;
  private final Backoff backoff;
  private final Sleeper sleeper;
  private final Clock clock;
  private final Runnable onRetry;
  private final Redactor redactor;

  RetryPolicy(
      int maxRetries,
      Duration initialBackoff,
      Duration maxBackoff,
      Sleeper sleeper,
      DoubleSupplier jitter,
      Clock clock,
      Runnable onRetry,
      Redactor redactor) {
    this.maxRetries = maxRetries;
    this.backoff = new Backoff(initialBackoff, maxBackoff, jitter);
    this.sleeper = sleeper;
    this.clock = clock;
    this.onRetry = onRetry;
    this.redactor = redactor;
  }

  /** The policy the settings describe, counting retries in the metrics and sleeping for real. */
  public static RetryPolicy from(Settings.ModelSettings settings, Metrics metrics) {
    return from(settings, metrics, Sleeper.SYSTEM);
  }

  public static RetryPolicy from(
      Settings.ModelSettings settings, Metrics metrics, Sleeper sleeper) {
    return new RetryPolicy(
        settings.maxRetries(),
        settings.initialBackoff(),
        settings.maxBackoff(),
        sleeper,
        () -> ThreadLocalRandom.current().nextDouble(),
        Clock.systemUTC(),
        metrics::modelRetry,
        new Redactor(settings.openAiApiKey(), settings.anthropicApiKey()));
  }

  /**
   * Runs the attempt until it succeeds or fails for good. {@code target} names the model in
   * messages, e.g. {@code openai (gpt-4o-mini)}.
   */
  <T> T call(String target, Attempt<T> attempt) {
    for (int attemptNumber = 1; ; attemptNumber++) {
      try {
        return attempt.run();
      } catch (ModelException e) {
        throw e;
      } catch (Exception e) {
        AttemptFailure failure = AttemptFailure.classify(e, clock);
        if (!failure.retryable() || attemptNumber > maxRetries) {
          throw finalFailure(target, attemptNumber, failure, e);
        }
        Duration wait = backoff(attemptNumber, failure);
        log.warn(
            "model call to {} failed ({}); retry {}/{} in {} ms",
            target,
            redactor.redact(failure.summary()),
            attemptNumber,
            maxRetries,
            wait.toMillis());
        onRetry.run();
        sleep(wait, target);
      }
    }
  }

  /** Full jitter over the exponential ceiling, raised to the server's Retry-After if larger. */
  Duration backoff(int retryNumber, AttemptFailure failure) {
    return backoff.delay(retryNumber, failure.retryAfter());
  }

  private void sleep(Duration wait, String target) {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelException(
          "model call to " + target + " interrupted while waiting to retry", 0, null);
    }
  }

  private ModelException finalFailure(
      String target, int attempts, AttemptFailure failure, Exception cause) {
    String message =
        "model call failed after %d attempt%s: %s from %s: %s"
            .formatted(
                attempts, attempts == 1 ? "" : "s", failure.kind(), target, failure.detail());
    return new ModelException(redactor.redact(message), failure.status(), redactor.redacted(cause));
  }
}
