package dev.agentexecutor.runner;

import dev.agentexecutor.core.problem.BackendUnavailableException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails parked jobs that waited longer than INTERRUPT_TTL_SECONDS, every interval, on one daemon
 * thread. Every replica may sweep: the store's atomic transition lets one of them fail each job and
 * publish its failed event. A sweep that fails is logged and the next one runs as planned.
 */
public final class ExpirySweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ExpirySweeper.class);
  private static final int BATCH = 100;

  private final ParkedJobs parked;
  private final Duration interval;
  private ScheduledExecutorService timer;

  ExpirySweeper(ParkedJobs parked, Duration interval) {
    if (interval.isZero() || interval.isNegative())
      throw new IllegalArgumentException("sweep interval must be positive: " + interval);
    this.parked = parked;
    this.interval = interval;
  }

  /** Sweeps after one interval and then every interval, until {@link #close()}. */
  public synchronized ExpirySweeper start() {
    if (timer != null) return this;
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("interrupt-expiry-sweeper").daemon().factory());
    timer.scheduleWithFixedDelay(
        this::sweepOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    log.info("expiry sweep every {} fails jobs parked longer than {}", interval, parked.ttl());
    return this;
  }

  /** Expires what is due now and returns how many jobs failed; never throws. */
  public int sweepOnce() {
    try {
      int expired = parked.expireDue(BATCH);
      if (expired > 0) log.info("expiry sweep failed {} parked job(s)", expired);
      return expired;
    } catch (BackendUnavailableException e) {
      log.warn("expiry sweep skipped, will retry in {}: {}", interval, e.getMessage());
    } catch (RuntimeException e) {
      log.error("expiry sweep failed, will retry in {}", interval, e);
    }
    return 0;
  }

  @Override
  public synchronized void close() {
    if (timer == null) return;
    timer.shutdown();
    timer = null;
  }
}
