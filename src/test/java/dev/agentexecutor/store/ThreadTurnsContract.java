package dev.agentexecutor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.store.ThreadTurns.Turn;
import dev.agentexecutor.store.ThreadTurns.TurnRequest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link ThreadTurns} must do; each implementation's test extends this. */
public abstract class ThreadTurnsContract {
  private static final Duration HOUR = Duration.ofHours(1);
  private final String thread = "thread-" + UUID.randomUUID();

  protected abstract ThreadTurns turns();

  /** Lets the store's clock (memory) or the database's time move on by {@code by}. */
  protected abstract void elapse(Duration by) throws Exception;

  private static String job(String name) {
    return name + "-" + UUID.randomUUID();
  }

  private TurnRequest enqueue(String jobId) {
    return new TurnRequest(thread, jobId, "acme", false, true, false, HOUR, HOUR);
  }

  private TurnRequest reject(String jobId) {
    return new TurnRequest(thread, jobId, "acme", false, false, false, HOUR, HOUR);
  }

  private TurnRequest interrupt(String jobId) {
    return new TurnRequest(thread, jobId, "acme", false, true, true, HOUR, HOUR);
  }

  @Test
  void aFreeThreadsTurnIsGrantedAndStaysWithItsJobWhenAskedAgain() {
    String first = job("first");

    assertThat(turns().take(reject(first))).isInstanceOf(Turn.Granted.class);
    assertThat(turns().take(reject(first))).as("a redelivery").isInstanceOf(Turn.Granted.class);
    assertThat(turns().find(first))
        .contains(new ThreadTurns.ThreadRun(first, thread, "acme", "running"));
  }

  @Test
  void aBusyThreadRefusesAJobThatMayNotWaitAndRecordsNothing() {
    String first = job("first");
    String second = job("second");
    turns().take(reject(first));

    assertThat(turns().take(reject(second))).isEqualTo(new Turn.Busy(java.util.List.of(first)));
    assertThat(turns().find(second)).isEmpty();
  }

  @Test
  void queuedJobsGetTheTurnInTheOrderTheyCameAfterTheRunningOneEnds() {
    String first = job("first");
    String second = job("second");
    String third = job("third");
    turns().take(enqueue(first));
    assertThat(turns().take(enqueue(second))).isEqualTo(new Turn.Queued(java.util.List.of(first)));
    assertThat(turns().take(enqueue(third))).isInstanceOf(Turn.Queued.class);
    assertThat(turns().find(second).orElseThrow().status()).isEqualTo("queued");

    turns().release(first);

    assertThat(turns().take(enqueue(third)))
        .as("the second came first")
        .isEqualTo(new Turn.Queued(java.util.List.of()));
    assertThat(turns().take(enqueue(second))).isInstanceOf(Turn.Granted.class);
    assertThat(turns().take(enqueue(third))).isInstanceOf(Turn.Queued.class);
    turns().release(second);
    assertThat(turns().take(enqueue(third))).isInstanceOf(Turn.Granted.class);
  }

  @Test
  void anInterruptingJobGoesBeforeTheJobsWaiting() {
    String first = job("first");
    String waiting = job("waiting");
    String urgent = job("urgent");
    turns().take(enqueue(first));
    turns().take(enqueue(waiting));
    assertThat(turns().take(interrupt(urgent))).isInstanceOf(Turn.Queued.class);

    turns().release(first);

    assertThat(turns().take(enqueue(waiting))).isInstanceOf(Turn.Queued.class);
    assertThat(turns().take(interrupt(urgent))).isInstanceOf(Turn.Granted.class);
  }

  @Test
  void aRunTheStoreCannotSeeKeepsTheTurn() {
    String job = job("job");
    TurnRequest othersActive = new TurnRequest(thread, job, "acme", true, true, false, HOUR, HOUR);

    assertThat(turns().take(othersActive)).isEqualTo(new Turn.Queued(java.util.List.of()));
    assertThat(turns().take(enqueue(job))).isInstanceOf(Turn.Granted.class);
  }

  @Test
  void rowsOfRunsThatDiedAreSkipped() throws Exception {
    String dead = job("dead");
    String gone = job("gone");
    String next = job("next");
    turns().take(enqueue(dead));
    turns().take(enqueue(gone));
    elapse(Duration.ofSeconds(3));
    TurnRequest quick =
        new TurnRequest(
            thread, next, "acme", false, true, false, Duration.ofSeconds(2), Duration.ofSeconds(2));

    assertThat(turns().take(quick)).isInstanceOf(Turn.Granted.class);
    assertThat(turns().find(dead)).isEmpty();
    assertThat(turns().find(gone)).isEmpty();
  }

  @Test
  void aQueuedJobCancelledInLineNeverGetsTheTurnAndTheJobsBehindItMoveUp() {
    String first = job("first");
    String cancelled = job("cancelled");
    String third = job("third");
    turns().take(enqueue(first));
    turns().take(enqueue(cancelled));
    turns().take(enqueue(third));

    assertThat(turns().cancelQueued(cancelled)).isTrue();
    assertThat(turns().cancelQueued(cancelled)).as("cancelling again is harmless").isTrue();
    assertThat(turns().find(cancelled).orElseThrow().status()).isEqualTo("cancelled");
    turns().release(first);

    assertThat(turns().take(enqueue(cancelled)))
        .as("the cancelled job asks again, the thread being free")
        .isInstanceOf(Turn.Cancelled.class);
    assertThat(turns().find(cancelled).orElseThrow().status())
        .as("its row stays until the job has ended and released it")
        .isEqualTo("cancelled");
    assertThat(turns().take(enqueue(third)))
        .as("the job behind the cancelled one moves up")
        .isInstanceOf(Turn.Granted.class);
    turns().release(cancelled);
    assertThat(turns().find(cancelled)).isEmpty();
  }

  @Test
  void aCancelledRowIsNeitherActiveNorAheadForAJobArrivingLater() {
    String cancelled = job("cancelled");
    String first = job("first");
    turns().take(enqueue(first));
    turns().take(enqueue(cancelled));
    turns().cancelQueued(cancelled);
    turns().release(first);

    assertThat(turns().take(reject(job("later")))).isInstanceOf(Turn.Granted.class);
  }

  @Test
  void onlyAQueuedJobCanBeCancelledInLine() {
    String running = job("running");
    turns().take(enqueue(running));

    assertThat(turns().cancelQueued(running)).as("it has the turn").isFalse();
    assertThat(turns().cancelQueued(job("unknown"))).as("no row").isFalse();
    assertThat(turns().take(enqueue(running))).isInstanceOf(Turn.Granted.class);
  }

  @Test
  void aRowCancelledInLineOutlivesTheQueuedStalenessSoItsRedeliveredJobStillHearsIt()
      throws Exception {
    String first = job("first");
    String cancelled = job("cancelled");
    turns().take(enqueue(first));
    turns().take(enqueue(cancelled));
    turns().cancelQueued(cancelled);
    elapse(Duration.ofSeconds(3));
    TurnRequest quick =
        new TurnRequest(
            thread,
            cancelled,
            "acme",
            false,
            true,
            false,
            Duration.ofSeconds(2),
            Duration.ofSeconds(2));

    assertThat(turns().take(quick)).isInstanceOf(Turn.Cancelled.class);
  }

  @Test
  void threadsAreIndependent() {
    turns().take(reject(job("here")));
    TurnRequest elsewhere =
        new TurnRequest(
            "other-" + UUID.randomUUID(), job("there"), "acme", false, false, false, HOUR, HOUR);

    assertThat(turns().take(elsewhere)).isInstanceOf(Turn.Granted.class);
  }
}
