package dev.agentexecutor.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Whose turn it is on a thread, across replicas: a job that names a thread takes the thread's turn
 * before it runs, waits in line (queued) while another run has it, and gives it back when its run
 * ends. At most one run of a thread holds the turn; queued runs get it in the order they came,
 * except that one which interrupts goes first. A queued job can be cancelled before its turn: its
 * row stays, marked cancelled, until the job asks again and learns it ({@link Turn.Cancelled}).
 * Implementations decide atomically: memory under a lock, PostgreSQL under an advisory lock per
 * thread.
 */
public interface ThreadTurns {
  /**
   * Takes the turn for the request's job, or says who holds it. When the job may wait ({@code
   * queue}), it is recorded queued (once; asking again refreshes it and keeps its place).
   */
  Turn take(TurnRequest request);

  /** How long a row cancelled in line waits for its job to ask again (a NATS redelivery). */
  Duration CANCELLED_KEPT = Duration.ofDays(1);

  /** The job's run is over (finished, refused or given up): its turn or place in line goes. */
  void release(String jobId);

  /**
   * Cancels a queued job before its turn, in one atomic step with the turn decisions: its row is
   * marked cancelled, so it never gets the turn and the jobs behind it move up; the job itself
   * learns it when it asks again ({@link Turn.Cancelled}) and ends as cancelled. True when the job
   * was queued (or already cancelled in line); false when it is running or has no row.
   */
  boolean cancelQueued(String jobId);

  /** The job's row: running or queued on its thread. */
  Optional<ThreadRun> find(String jobId);

  /**
   * What a job asks for.
   *
   * @param othersActive another run of the thread is active that this store cannot see (one of a
   *     job that names no thread, seen through its checkpoints): the turn is not free
   * @param queue wait in line when the thread is busy (enqueue, interrupt); false: refuse
   * @param jumpQueue go before the jobs waiting in line (interrupt)
   * @param runningStale a running row older than this belongs to a run that died (a run never lasts
   *     longer than RUN_TIMEOUT_SECONDS)
   * @param queuedStale a queued row not refreshed for this long belongs to a job nobody waits for
   *     (a row cancelled in line is kept for {@link #CANCELLED_KEPT}, until its job hears it)
   */
  record TurnRequest(
      String threadId,
      String jobId,
      String tenant,
      boolean othersActive,
      boolean queue,
      boolean jumpQueue,
      Duration runningStale,
      Duration queuedStale) {}

  /** A job's row on a thread. */
  record ThreadRun(String jobId, String threadId, String tenant, String status) {
    public static final String RUNNING = "running";
    public static final String QUEUED = "queued";

    /** Cancelled while queued; the row goes when its job hears it (or after a day). */
    public static final String CANCELLED = "cancelled";
  }

  /** What asking for the turn gave. */
  sealed interface Turn {
    /** The job has the turn (it may have had it: a redelivered job). */
    record Granted() implements Turn {}

    /** The thread is busy and the job may not wait: nothing was recorded. */
    record Busy(List<String> active) implements Turn {}

    /** The thread is busy (or others wait before the job): the job is queued. */
    record Queued(List<String> active) implements Turn {}

    /** The job was cancelled while it waited in line: it must not run. Its row stays. */
    record Cancelled() implements Turn {}
  }
}
