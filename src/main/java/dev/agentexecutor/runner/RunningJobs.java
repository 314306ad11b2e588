package dev.agentexecutor.runner;

import dev.agentexecutor.agent.run.RunControl;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs running in this process, by job id (and the thread each runs on): each claimed before it
 * runs and released when it ends. Shutdown closes intake (no claim succeeds afterwards), waits for
 * the running jobs with one deadline, abandons those still running through their run control and
 * joins them.
 */
final class RunningJobs {
  private static final Logger log = LoggerFactory.getLogger(RunningJobs.class);

  /**
   * One running job: its thread, whether it takes the thread's turn (it names its thread), its
   * control, a future completed when its run has ended, and its start.
   */
  record Run(
      String threadId,
      boolean takesTurn,
      RunControl control,
      CompletableFuture<Void> ended,
      Instant startedAt) {}

  private final Map<String, Run> byId = new ConcurrentHashMap<>();

  /** Makes closing intake and claiming exclusive: no claim slips past a shutdown unseen. */
  private final ReentrantLock intake = new ReentrantLock();

  private volatile boolean accepting = true;

  /** The job's run, claimed; empty when the id is running here already or intake is closed. */
  Optional<Run> claim(String jobId, String threadId, boolean takesTurn, RunControl control) {
    intake.lock();
    try {
      if (!accepting) return Optional.empty();
      Run run = new Run(threadId, takesTurn, control, new CompletableFuture<>(), control.now());
      return byId.putIfAbsent(jobId, run) == null ? Optional.of(run) : Optional.empty();
    } finally {
      intake.unlock();
    }
  }

  /** The run has ended: its id is free again and a shutdown waiting for it goes on. */
  void release(String jobId, Run run) {
    byId.remove(jobId, run);
    run.ended().complete(null);
  }

  Optional<Run> get(String jobId) {
    return Optional.ofNullable(byId.get(jobId));
  }

  /**
   * The ids of the jobs running here on the thread (a few at most: runs of a thread take turns).
   */
  List<String> onThread(String threadId) {
    return byId.entrySet().stream()
        .filter(entry -> entry.getValue().threadId().equals(threadId))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** The running jobs by id, as they are now. */
  Map<String, Run> all() {
    return Map.copyOf(byId);
  }

  int count() {
    return byId.size();
  }

  boolean accepting() {
    return accepting;
  }

  /**
   * Closes intake, waits until {@code deadline} passes for the running jobs to end, then abandons
   * the rest (their run stops at its next step boundary or tool call, to be resumed from its
   * checkpoints) and waits at most {@code joinGrace} for them. True when every job ended by itself
   * before the deadline.
   */
  boolean shutdown(Duration timeout, Duration joinGrace) {
    List<Run> runs = closeIntake();
    if (awaitEnd(runs, timeout)) return true;
    List<Run> left = runs.stream().filter(run -> !run.ended().isDone()).toList();
    log.warn(
        "{} job(s) still running after the drain timeout of {} s: abandoning them (they resume from"
            + " their checkpoints when run again)",
        left.size(),
        timeout.toSeconds());
    left.forEach(run -> run.control().abandon("this instance is shutting down"));
    if (!awaitEnd(left, joinGrace)) {
      log.warn(
          "{} abandoned job(s) did not stop within {} ms (a model call in flight finishes first)",
          left.stream().filter(run -> !run.ended().isDone()).count(),
          joinGrace.toMillis());
    }
    return false;
  }

  private List<Run> closeIntake() {
    intake.lock();
    try {
      accepting = false;
      return List.copyOf(byId.values());
    } finally {
      intake.unlock();
    }
  }

  /** Waits for every run to end within one deadline; true when they did. */
  private static boolean awaitEnd(List<Run> runs, Duration timeout) {
    CompletableFuture<Void> all =
        CompletableFuture.allOf(runs.stream().map(Run::ended).toArray(CompletableFuture[]::new));
    try {
      all.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("a run's end future cannot fail", e);
    }
  }
}
