package dev.agentexecutor.store;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Thread turns in process memory (the embedded default): one lock makes every decision atomic. */
public final class MemoryThreadTurns implements ThreadTurns {
  private final Map<String, Row> rows = new LinkedHashMap<>();
  private final Clock clock;
  private long sequence;

  public MemoryThreadTurns(Clock clock) {
    this.clock = clock;
  }

  public MemoryThreadTurns() {
    this(Clock.systemUTC());
  }

  private record Row(ThreadRun run, boolean jumpsQueue, long order, Instant updatedAt) {
    Row touched(String status, Instant now) {
      return new Row(
          new ThreadRun(run.jobId(), run.threadId(), run.tenant(), status), jumpsQueue, order, now);
    }
  }

  @Override
  public synchronized Turn take(TurnRequest request) {
    Instant now = clock.instant();
    rows.values()
        .removeIf(
            row ->
                row.run().threadId().equals(request.threadId())
                    && row.updatedAt().isBefore(now.minus(staleAfter(row, request))));
    Row mine = rows.get(request.jobId());
    if (mine != null && ThreadRun.RUNNING.equals(mine.run().status())) return new Turn.Granted();
    if (mine != null && ThreadRun.CANCELLED.equals(mine.run().status()))
      return new Turn.Cancelled();
    List<Row> thread = new ArrayList<>();
    for (Row row : rows.values())
      if (row.run().threadId().equals(request.threadId())
          && !ThreadRun.CANCELLED.equals(row.run().status())) thread.add(row);
    thread.sort(Comparator.comparing((Row row) -> !row.jumpsQueue()).thenComparing(Row::order));
    List<String> active =
        thread.stream()
            .filter(row -> ThreadRun.RUNNING.equals(row.run().status()))
            .map(row -> row.run().jobId())
            .toList();
    boolean ahead =
        thread.stream()
            .filter(row -> ThreadRun.QUEUED.equals(row.run().status()))
            .filter(row -> !row.run().jobId().equals(request.jobId()))
            .anyMatch(row -> before(row, mine, request.jumpQueue()));
    if (active.isEmpty() && !request.othersActive() && !ahead) {
      rows.put(request.jobId(), row(request, mine, ThreadRun.RUNNING, now));
      return new Turn.Granted();
    }
    if (!request.queue()) return new Turn.Busy(active);
    rows.put(request.jobId(), row(request, mine, ThreadRun.QUEUED, now));
    return new Turn.Queued(active);
  }

  private static java.time.Duration staleAfter(Row row, TurnRequest request) {
    return switch (row.run().status()) {
      case ThreadRun.RUNNING -> request.runningStale();
      case ThreadRun.CANCELLED -> CANCELLED_KEPT;
      default -> request.queuedStale();
    };
  }

  /** Whether a waiting row goes before the asking job (whose row, when it has one, is mine). */
  private static boolean before(Row row, Row mine, boolean jumpQueue) {
    if (row.jumpsQueue() != jumpQueue) return row.jumpsQueue();
    return mine == null || row.order() < mine.order();
  }

  private Row row(TurnRequest request, Row mine, String status, Instant now) {
    if (mine != null) return mine.touched(status, now);
    return new Row(
        new ThreadRun(request.jobId(), request.threadId(), request.tenant(), status),
        request.jumpQueue(),
        ++sequence,
        now);
  }

  @Override
  public synchronized void release(String jobId) {
    rows.remove(jobId);
  }

  @Override
  public synchronized boolean cancelQueued(String jobId) {
    Row row = rows.get(jobId);
    if (row == null || ThreadRun.RUNNING.equals(row.run().status())) return false;
    rows.put(jobId, row.touched(ThreadRun.CANCELLED, clock.instant()));
    return true;
  }

  @Override
  public synchronized Optional<ThreadRun> find(String jobId) {
    return Optional.ofNullable(rows.get(jobId)).map(Row::run);
  }
}
