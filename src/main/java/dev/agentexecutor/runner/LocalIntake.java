package dev.agentexecutor.runner;

import dev.agentexecutor.job.Job;
import dev.agentexecutor.job.ResumeRequest;
import dev.agentexecutor.observability.LogContext;
import dev.agentexecutor.util.Backoff;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP jobs without a job queue (no NATS): run in this process, and run again after a backend
 * outage (PostgreSQL, Redis) with the one backoff's documented schedule
 * (LOCAL_RETRY_BACKOFF_SECONDS doubled per attempt), at most LOCAL_RETRY_MAX_ATTEMPTS runs; then
 * the job is recorded as failed and its failed event published, so that no job stays "running". A
 * job abandoned by this instance's shutdown is not retried here: it resumes when submitted again.
 */
public final class LocalIntake implements JobIntake {
  private static final Logger log = LoggerFactory.getLogger(LocalIntake.class);

  /** Longest wait between two attempts to record a given-up job while the job store is down. */
  private static final Duration MAX_RECORD_DELAY = Duration.ofSeconds(30);

  private final JobRunner runner;
  private final Duration resultWait;
  private final int maxAttempts;
  private final Backoff backoff;

  public LocalIntake(JobRunner runner, Duration resultWait, int maxAttempts, Duration firstDelay) {
    this.runner = runner;
    this.resultWait = resultWait;
    this.maxAttempts = maxAttempts;
    this.backoff = Backoff.of(firstDelay, firstDelay.multipliedBy(1L << 10));
  }

  @Override
  public Submission run(Job job, Runnable whenDone) {
    CompletableFuture<Outcome> ended = new CompletableFuture<>();
    Optional<Outcome> refused = launch(job, ended, whenDone);
    if (refused.isPresent()) return new Submission.Done(refused.get());
    try {
      return new Submission.Done(ended.get(resultWait.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      return new Submission.Pending(job.jobId(), "running");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Submission.Pending(job.jobId(), "running");
    } catch (ExecutionException e) {
      throw new IllegalStateException("the job's thread failed", e.getCause());
    }
  }

  /** Without a queue the continuation runs here, on a thread of its own. */
  @Override
  public Resumption resume(ResumeRequest request, Caller caller, Runnable whenDone) {
    return runner.startResume(request, caller, whenDone);
  }

  @Override
  public Submission start(Job job, Runnable whenDone) {
    return launch(job, new CompletableFuture<>(), whenDone)
        .<Submission>map(Submission.Done::new)
        .orElseGet(() -> new Submission.Pending(job.jobId(), "running"));
  }

  /** Starts the job with its retries; the outcome that refused it, when it did not start. */
  private Optional<Outcome> launch(Job job, CompletableFuture<Outcome> ended, Runnable whenDone) {
    Runnable once = once(whenDone);
    boolean started =
        runner.start(
            job,
            first -> {
              try {
                ended.complete(afterOutages(job, first));
              } catch (RuntimeException | Error e) {
                ended.completeExceptionally(e);
                throw e;
              } finally {
                once.run();
              }
            });
    if (started) return Optional.empty();
    once.run();
    if (!runner.accepting())
      return Optional.of(new Outcome.Retry(job.jobId(), "this instance is shutting down"));
    boolean otherTenant =
        runner.runningTenant(job.jobId()).filter(t -> !t.equals(job.tenant())).isPresent();
    return Optional.of(
        otherTenant
            ? new Outcome.OtherTenant(job.jobId())
            : new Outcome.AlreadyRunning(job.jobId()));
  }

  /** Runs the job again while it meets outages, then gives up with a stored failed result. */
  private Outcome afterOutages(Job job, Outcome first) {
    Outcome outcome = first;
    try (LogContext ignored = LogContext.of(job.traceId(), job.jobId())) {
      for (int attempt = 1; outcome instanceof Outcome.Retry retry; attempt++) {
        if (!runner.accepting()) return outcome; // abandoned by shutdown, not by an outage
        if (attempt >= maxAttempts) return givenUp(job, retry.reason(), attempt);
        Duration delay = backoff.ceiling(attempt);
        log.warn(
            "attempt {} of {} met a backend outage ({}); running the job again in {} ms",
            attempt,
            maxAttempts,
            retry.reason(),
            delay.toMillis());
        if (!sleep(delay)) return outcome;
        outcome = runner.executeInTurn(job);
      }
      return outcome;
    }
  }

  /**
   * Records and publishes the job's failed result, trying again while the job store is down: a job
   * without a final record would look "running" for ever.
   */
  private Outcome givenUp(Job job, String reason, int attempts) {
    String why = "gave up after %d attempts: %s".formatted(attempts, reason);
    Outcome outcome = runner.giveUp(job.jobId(), job.tenant(), job.trace(), why);
    for (int attempt = 1; outcome instanceof Outcome.Retry retry; attempt++) {
      if (!runner.accepting()) return outcome;
      Duration delay = backoff.ceiling(attempt);
      if (delay.compareTo(MAX_RECORD_DELAY) > 0) delay = MAX_RECORD_DELAY;
      log.warn(
          "the failed result cannot be stored yet ({}); again in {} ms",
          retry.reason(),
          delay.toMillis());
      if (!sleep(delay)) return outcome;
      outcome = runner.giveUp(job.jobId(), job.tenant(), job.trace(), why);
    }
    return outcome;
  }

  private static boolean sleep(Duration delay) {
    try {
      Thread.sleep(delay);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Runnable once(Runnable action) {
    AtomicBoolean ran = new AtomicBoolean();
    return () -> {
      if (ran.compareAndSet(false, true)) action.run();
    };
  }
}
