package dev.agentexecutor.agent.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A run's stop reaches work in progress: a model call inside {@code interruptibly}. */
class RunControlTest {
  private static RunControl control(Duration timeout) {
    return new RunControl(100, timeout, Optional.empty(), Clock.systemUTC());
  }

  /** Sleeps until interrupted; says whether it was. */
  private static boolean sleepUntilInterrupted(CountDownLatch entered) {
    return sleep(entered, 10_000);
  }

  private static boolean sleep(CountDownLatch entered, long millis) {
    entered.countDown();
    try {
      Thread.sleep(millis);
      return false;
    } catch (InterruptedException e) {
      return true;
    }
  }

  @Test
  void aCancelInterruptsWorkInProgressAndTheInterruptIsNotLeftBehind() throws Exception {
    RunControl control = control(Duration.ofMinutes(1));
    CountDownLatch entered = new CountDownLatch(1);
    CompletableFuture<String> worker =
        CompletableFuture.supplyAsync(
            () -> {
              boolean interrupted =
                  control.interruptibly(
                      () -> sleepUntilInterrupted(entered), Duration.ofMinutes(5));
              return interrupted + " " + Thread.currentThread().isInterrupted();
            });
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

    control.cancel("stop");

    assertThat(worker.get(1, TimeUnit.SECONDS)).isEqualTo("true false");
  }

  @Test
  void theDeadlineInterruptsWorkThatWouldOutliveTheRun() {
    RunControl control = control(Duration.ofMillis(200));
    long start = System.nanoTime();

    boolean interrupted =
        control.interruptibly(
            () -> sleepUntilInterrupted(new CountDownLatch(1)), Duration.ofMinutes(5));

    assertThat(interrupted).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThatThrownBy(control::checkStopped)
        .isInstanceOfSatisfying(
            RunStoppedException.class,
            e -> assertThat(e.kind()).isEqualTo(RunStoppedException.Kind.TIMEOUT));
  }

  @Test
  void workThatEndsOnItsOwnBeforeTheDeadlineIsLeftAlone() {
    RunControl control = control(Duration.ofMillis(300));

    boolean interrupted =
        control.interruptibly(() -> sleep(new CountDownLatch(1), 500), Duration.ofMillis(100));

    assertThat(interrupted).as("no alarm: the work's own limit comes first").isFalse();
  }

  @Test
  void aStoppedRunStartsNoFurtherWork() {
    RunControl control = control(Duration.ofMinutes(1));
    control.abandon("shutting down");

    assertThatThrownBy(() -> control.interruptibly(() -> "never", Duration.ofMinutes(1)))
        .isInstanceOfSatisfying(
            RunStoppedException.class,
            e -> assertThat(e.kind()).isEqualTo(RunStoppedException.Kind.ABANDONED));
  }

  @Test
  void aStopAfterTheWorkEndedInterruptsNothing() {
    RunControl control = control(Duration.ofMinutes(1));
    control.interruptibly(() -> "done", Duration.ofMinutes(1));

    control.cancel("late");

    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }
}
