package dev.agentexecutor.util;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a start-up task (connect, migrate) on a virtual thread until it succeeds, backing off
 * exponentially with jitter, so a backend that is down at start-up delays readiness instead of
 * crashing the service.
 */
public final class BackgroundRetry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BackgroundRetry.class);
  private static final Backoff BACKOFF = Backoff.of(Duration.ofMillis(200), Duration.ofSeconds(15));

  private final String name;
  private final Thread thread;
  private volatile boolean done;

  private BackgroundRetry(String name, Runnable task) {
    this.name = name;
    this.thread = Thread.ofVirtual().name("startup-" + name).unstarted(() -> loop(task));
  }

  public static BackgroundRetry start(String name, Runnable task) {
    BackgroundRetry retry = new BackgroundRetry(name, task);
    retry.thread.start();
    return retry;
  }

  private void loop(Runnable task) {
    for (int attempt = 1; !Thread.currentThread().isInterrupted(); attempt++) {
      Duration delay = BACKOFF.delay(attempt);
      try {
        task.run();
        done = true;
        if (attempt > 1) log.info("{} succeeded after {} attempts", name, attempt);
        return;
      } catch (RuntimeException e) {
        log.warn(
            "{} failed (attempt {}), retrying in {} ms: {}",
            name,
            attempt,
            delay.toMillis(),
            e.getMessage());
      }
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  public boolean done() {
    return done;
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
