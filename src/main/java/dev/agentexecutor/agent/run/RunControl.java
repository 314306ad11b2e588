package dev.agentexecutor.agent.run;

import dev.agentexecutor.core.Tenants;
import dev.agentexecutor.core.state.Usage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The limits, the stop switches and the owner (tenant) of one run, shared by the orchestrator and
 * its subagents: steps (model calls), wall time, token budget. Checked at every step boundary and
 * between tool calls; a tool call in progress on another thread is abandoned when the run is
 * cancelled, abandoned or out of time ({@link #stopped()}, {@link #timeLeft()}), and a model call
 * in progress is interrupted ({@link #interruptibly}). Cancelled means the caller asked it to stop
 * (it ends as cancelled); abandoned means the service is stopping (the run is left to be resumed
 * from its checkpoints, by a redelivery or a resubmission).
 */
public final class RunControl {
  private final int maxSteps;
  private final Instant deadline;
  private final Duration timeout;
  private final Optional<Long> tokenBudget;
  private final Clock clock;
  private final String tenant;
  private final AtomicInteger steps = new AtomicInteger();
  private final UsageLedger usage = new UsageLedger();
  private final AtomicReference<RunStoppedException> stop = new AtomicReference<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();

  /** Threads inside {@link #interruptibly} now, and those of them a stop has interrupted. */
  private final ReentrantLock sectionLock = new ReentrantLock();

  private final Set<Thread> inSection = new HashSet<>();
  private final Set<Thread> interruptedHere = new HashSet<>();

  /** Fires deadline alarms for work that would otherwise outlive the run; idle, it holds none. */
  private static final ScheduledThreadPoolExecutor ALARMS = alarms();

  private static ScheduledThreadPoolExecutor alarms() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().name("run-deadline-alarm").daemon().factory());
    executor.setRemoveOnCancelPolicy(true);
    executor.setKeepAliveTime(30, TimeUnit.SECONDS);
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  public RunControl(int maxSteps, Duration timeout, Optional<Long> tokenBudget, Clock clock) {
    this(maxSteps, timeout, tokenBudget, clock, Tenants.DEFAULT);
  }

  /** No limits worth the name, for tools called outside a run. */
  public static RunControl unlimited() {
    return new RunControl(
        Integer.MAX_VALUE, Duration.ofDays(3650), Optional.empty(), Clock.systemUTC());
  }

  public RunControl(
      int maxSteps, Duration timeout, Optional<Long> tokenBudget, Clock clock, String tenant) {
    this.tenant = tenant;
    this.maxSteps = maxSteps;
    this.timeout = timeout;
    this.deadline = clock.instant().plus(timeout);
    this.tokenBudget = tokenBudget;
    this.clock = clock;
  }

  /** The tenant the run belongs to; its checkpoints record it. */
  public String tenant() {
    return tenant;
  }

  /** Asks the run to stop at its next step boundary; it ends as cancelled. */
  public void cancel(String reason) {
    stopWith(new RunStoppedException(RunStoppedException.Kind.CANCELLED, reason));
  }

  /**
   * Stops the run for the service's sake (shutdown): like a cancel, but the run is not finished and
   * is resumed later from its checkpoints.
   */
  public void abandon(String reason) {
    stopWith(new RunStoppedException(RunStoppedException.Kind.ABANDONED, reason));
  }

  private void stopWith(RunStoppedException why) {
    stop.compareAndSet(null, why);
    stopped.complete(null);
    sectionLock.lock();
    try {
      inSection.forEach(this::interruptInSection);
    } finally {
      sectionLock.unlock();
    }
  }

  /**
   * Runs {@code work} (a model call) on this thread so that a stop of the run interrupts it, which
   * aborts a model request in flight, and so that the run's deadline does too when it comes before
   * {@code ownTimeout}, the work's own limit. The interrupt is the run's, never left behind: the
   * thread's flag is cleared when the work returns. Throws when the run is already stopped.
   */
  public <T> T interruptibly(Supplier<T> work, Duration ownTimeout) {
    Thread thread = Thread.currentThread();
    enterSection(thread);
    Duration left = timeLeft();
    ScheduledFuture<?> alarm =
        left.compareTo(ownTimeout) < 0
            ? ALARMS.schedule(
                () -> interruptIfInSection(thread),
                // just past the deadline, so that the interrupted work finds the run out of time
                Math.max(0, left.toNanos()) + TimeUnit.MILLISECONDS.toNanos(1),
                TimeUnit.NANOSECONDS)
            : null;
    try {
      return work.get();
    } finally {
      if (alarm != null) alarm.cancel(false);
      leaveSection(thread);
    }
  }

  private void enterSection(Thread thread) {
    sectionLock.lock();
    try {
      checkStopped();
      inSection.add(thread);
    } finally {
      sectionLock.unlock();
    }
  }

  private void leaveSection(Thread thread) {
    boolean interrupted;
    sectionLock.lock();
    try {
      inSection.remove(thread);
      interrupted = interruptedHere.remove(thread);
    } finally {
      sectionLock.unlock();
    }
    if (interrupted) Thread.interrupted(); // the run's interrupt, not the caller's
  }

  private void interruptIfInSection(Thread thread) {
    sectionLock.lock();
    try {
      if (inSection.contains(thread)) interruptInSection(thread);
    } finally {
      sectionLock.unlock();
    }
  }

  /** Called with the section lock held, so the thread cannot leave its section meanwhile. */
  private void interruptInSection(Thread thread) {
    if (interruptedHere.add(thread)) thread.interrupt();
  }

  /** The run was abandoned by the service (not cancelled by its caller). */
  public boolean abandoned() {
    RunStoppedException why = stop.get();
    return why != null && why.kind() == RunStoppedException.Kind.ABANDONED;
  }

  /** Completes when the run is cancelled or abandoned: what a wait for a tool call waits for. */
  public CompletableFuture<Void> stopped() {
    return stopped;
  }

  /** The time until the run's deadline (zero or negative once it has passed). */
  public Duration timeLeft() {
    return Duration.between(clock.instant(), deadline);
  }

  /** The run is out of time: what {@link #checkBoundary()} throws after the deadline. */
  public RunStoppedException timedOut() {
    return new RunStoppedException(
        RunStoppedException.Kind.TIMEOUT,
        "the run exceeded its time limit of " + timeout.toSeconds() + " s (RUN_TIMEOUT_SECONDS)");
  }

  /** Cancelled or abandoned. */
  public boolean cancelled() {
    return stop.get() != null;
  }

  /** Throws when the run must stop before its next step: stopped, out of time or tokens. */
  public void checkBoundary() {
    checkStopped();
    tokenBudget.ifPresent(
        budget -> {
          long used = usage.total().total();
          if (used >= budget) {
            throw new RunStoppedException(
                RunStoppedException.Kind.TOKEN_BUDGET,
                "the run used "
                    + used
                    + " tokens, reaching its budget of "
                    + budget
                    + " (TOKEN_BUDGET)");
          }
        });
  }

  /** Throws when the run is cancelled, abandoned or out of time: checked between tool calls too. */
  public void checkStopped() {
    RunStoppedException why = stop.get();
    if (why != null) throw new RunStoppedException(why.kind(), why.getMessage());
    if (clock.instant().isAfter(deadline)) throw timedOut();
  }

  /** Counts a model call against the step limit; throws when the limit is reached. */
  public void beginModelCall() {
    checkBoundary();
    if (steps.incrementAndGet() > maxSteps) {
      throw new RunStoppedException(
          RunStoppedException.Kind.MAX_STEPS,
          "the run reached its limit of " + maxSteps + " model calls (MAX_STEPS)");
    }
  }

  public void addUsage(Usage callUsage) {
    usage.add(null, null, callUsage);
  }

  /** Counts one model call of {@code node} on {@code model} ("provider/model"). */
  public void addUsage(String node, String model, Usage callUsage) {
    usage.add(node, model, callUsage);
  }

  /** Tokens of every model call of this run so far (orchestrator and subagents). */
  public Usage usage() {
    return usage.total();
  }

  /** This run's tokens per node and per model. */
  public UsageLedger usageLedger() {
    return usage;
  }

  public Instant now() {
    return clock.instant();
  }
}
