package dev.agentexecutor.store;

import dev.agentexecutor.core.problem.BackendUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished jobs (and their checkpoints) once they are older than the retention, every
 * interval, on one daemon thread. A sweep that fails is logged and the next one runs as planned.
 */
public final class RetentionSweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RetentionSweeper.class);

  private final JobStore jobs;
  private final Duration retention;
  private final Duration interval;
  private final Clock clock;
  private ScheduledExecutorService timer;

  public RetentionSweeper(JobStore jobs, Duration retention, Duration interval, Clock clock) {
    if (retention.isNegative())
      throw new IllegalArgumentException("retention must not be negative: " + retention);
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("sweep interval must be positive: " + interval);
    }
    this.jobs = jobs;
    this.retention = retention;
    this.interval = interval;
    this.clock = clock;
  }

  public RetentionSweeper(JobStore jobs, Duration retention, Duration interval) {
    this(jobs, retention, interval, Clock.systemUTC());
  }

  /** Sweeps after one interval and then every interval, until {@link #stop()}. */
  public synchronized void start() {
    if (timer != null) return;
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("retention-sweeper").daemon().factory());
    timer.scheduleWithFixedDelay(
        this::sweepOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    log.info(
        "retention sweep every {} removes jobs finished more than {} ago", interval, retention);
  }

  /** Removes what is due now and returns how many jobs went; never throws. */
  public int sweepOnce() {
    Instant cutoff = clock.instant().minus(retention);
    try {
      int removed = jobs.deleteFinishedBefore(cutoff);
      if (removed > 0)
        log.info("retention sweep removed {} jobs finished before {}", removed, cutoff);
      else log.debug("retention sweep: no job finished before {}", cutoff);
      return removed;
    } catch (BackendUnavailableException e) {
      log.warn("retention sweep skipped, will retry in {}: {}", interval, e.getMessage());
    } catch (RuntimeException e) {
      log.error("retention sweep failed, will retry in {}", interval, e);
    }
    return 0;
  }

  /** Stops the schedule; a sweep in progress finishes. */
  public synchronized void stop() {
    if (timer == null) return;
    timer.shutdown();
    timer = null;
  }

  @Override
  public void close() {
    stop();
  }
}
