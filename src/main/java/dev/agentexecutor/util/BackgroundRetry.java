package dev.agentexecutor.util;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a start-up task (connect, migrate) on a virtual thread until it succeeds, backing off
 * exponentially with jitter, so a backend that is down at start-up delays readiness instead of
 * crashing the service.
 */
public final class BackgroundRetry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BackgroundRetry.class);
  private static final Duration FIRST_DELAY = Duration.ofMillis(200);
  private static final Duration MAX_DELAY = Duration.ofSeconds(15);

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
    long delay = FIRST_DELAY.toMillis();
    for (int attempt = 1; !Thread.currentThread().isInterrupted(); attempt++) {
      try {
        task.run();
        done = true;
        if (attempt > 1) log.info("{} succeeded after {} attempts", name, attempt);
        return;
      } catch (RuntimeException e) {
        log.warn(
            "{} failed (attempt {}), retrying in {} ms: {}", name, attempt, delay, e.getMessage());
      }
      try {
        Thread.sleep(delay + ThreadLocalRandom.current().nextLong(delay / 2 + 1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      delay = Math.min(delay * 2, MAX_DELAY.toMillis());
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
