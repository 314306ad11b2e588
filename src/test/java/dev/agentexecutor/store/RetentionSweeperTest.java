package dev.agentexecutor.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentexecutor.checkpoint.MemoryCheckpointer;
import dev.agentexecutor.core.problem.BackendUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class RetentionSweeperTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void sweepRemovesJobsFinishedBeforeTheRetention() {
    MemoryJobStore jobs = new MemoryJobStore(new MemoryCheckpointer());
    jobs.save(finished("old", NOW.minus(Duration.ofHours(25))));
    jobs.save(finished("recent", NOW.minus(Duration.ofHours(23))));
    RetentionSweeper sweeper =
        new RetentionSweeper(jobs, Duration.ofHours(24), Duration.ofMinutes(5), CLOCK);

    assertThat(sweeper.sweepOnce()).isEqualTo(1);
    assertThat(jobs.find("old")).isEmpty();
    assertThat(jobs.find("recent")).isPresent();
  }

  @Test
  void aFailingSweepIsLoggedAndTheScheduleGoesOn() throws InterruptedException {
    AtomicInteger attempts = new AtomicInteger();
    CountDownLatch thirdAttempt = new CountDownLatch(3);
    JobStore unavailable =
        new SweepOnlyJobStore(
            () -> {
              attempts.incrementAndGet();
              thirdAttempt.countDown();
              throw new BackendUnavailableException("postgresql", "connection refused", null);
            });

    try (RetentionSweeper sweeper =
        new RetentionSweeper(unavailable, Duration.ofHours(24), Duration.ofMillis(20), CLOCK)) {
      assertThat(sweeper.sweepOnce()).isZero();
      sweeper.start();
      assertThat(thirdAttempt.await(5, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(attempts.get()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void stopEndsTheSchedule() throws InterruptedException {
    AtomicInteger sweeps = new AtomicInteger();
    JobStore counting =
        new SweepOnlyJobStore(
            () -> {
              sweeps.incrementAndGet();
              return 0;
            });
    RetentionSweeper sweeper =
        new RetentionSweeper(counting, Duration.ZERO, Duration.ofMillis(10), CLOCK);
    sweeper.start();
    Thread.sleep(100);
    sweeper.stop();
    Thread.sleep(50); // a sweep that was already running may still finish
    int afterStop = sweeps.get();
    Thread.sleep(100);

    assertThat(afterStop).isPositive();
    assertThat(sweeps.get()).isEqualTo(afterStop);
  }

  private static JobRecord finished(String id, Instant at) {
    return new JobRecord(id, "trace", JobStatus.COMPLETED, at, at, null, null);
  }

  /** A store whose sweep runs the given action; nothing else is used by the sweeper. */
  private record SweepOnlyJobStore(IntSupplier sweep) implements JobStore {
    @Override
    public Optional<JobRecord> find(String jobId) {
      return Optional.empty();
    }

    @Override
    public void save(JobRecord record) {}

    @Override
    public boolean transition(String jobId, JobStatus expected, JobRecord next) {
      return false;
    }

    @Override
    public List<JobRecord> interruptedBefore(Instant cutoff, int limit) {
      return List.of();
    }

    @Override
    public boolean delete(String jobId) {
      return false;
    }

    @Override
    public int deleteFinishedBefore(Instant cutoff) {
      return sweep.getAsInt();
    }

    @Override
    public java.util.List<JobRecord> list(JobQuery query) {
      return java.util.List.of();
    }
  }
}
