package dev.agentexecutor.ingress.nats;

import dev.agentexecutor.job.InvalidJobException;
import dev.agentexecutor.job.Job;
import dev.agentexecutor.job.ResumeRequest;
import dev.agentexecutor.observability.TraceContext;
import dev.agentexecutor.runner.JobExecutor;
import dev.agentexecutor.runner.Outcome;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A JobExecutor for worker tests: runs a scripted behaviour per call, records every execute, reject
 * and give-up, and counts how many jobs run at once.
 */
final class RecordingExecutor implements JobExecutor {
  /** What one execute does: gets the job and how many times it was executed before. */
  interface Behaviour extends BiFunction<Job, Integer, Outcome> {}

  record Call(String jobId, TraceContext trace, long atNanos) {}

  private final Behaviour behaviour;
  final List<Call> executed = new CopyOnWriteArrayList<>();
  final List<InvalidJobException> rejected = new CopyOnWriteArrayList<>();
  final List<String> gaveUp = new CopyOnWriteArrayList<>();
  final List<String> finished = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  RecordingExecutor(Behaviour behaviour) {
    this.behaviour = behaviour;
  }

  static RecordingExecutor completing() {
    return new RecordingExecutor((job, previous) -> completed(job));
  }

  static RecordingExecutor sleeping(long millis) {
    return new RecordingExecutor(
        (job, previous) -> {
          sleep(millis);
          return completed(job);
        });
  }

  static Outcome completed(Job job) {
    return new Outcome.Completed(job.jobId(), null, false);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public Outcome execute(Job job) {
    int previous = (int) executed.stream().filter(c -> c.jobId().equals(job.jobId())).count();
    executed.add(new Call(job.jobId(), job.trace(), System.nanoTime()));
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      Outcome outcome = behaviour.apply(job, previous);
      finished.add(job.jobId());
      return outcome;
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** Resumes record their job id and whether NATS redelivered them; nothing runs. */
  final List<String> resumed = new CopyOnWriteArrayList<>();

  @Override
  public Outcome resume(ResumeRequest request, boolean redelivered) {
    resumed.add(request.jobId() + (redelivered ? " (redelivered)" : ""));
    return new Outcome.Ignored(request.jobId(), "recorded");
  }

  @Override
  public Outcome reject(InvalidJobException problem, TraceContext trace) {
    rejected.add(problem);
    return new Outcome.Rejected(problem.jobId(), null, problem.getMessage());
  }

  @Override
  public Outcome giveUp(String jobId, String tenant, TraceContext trace, String reason) {
    gaveUp.add(jobId);
    return new Outcome.Failed(jobId, null, false);
  }

  long executions(String jobId) {
    return executed.stream().filter(c -> c.jobId().equals(jobId)).count();
  }

  int maxInFlight() {
    return maxInFlight.get();
  }
}
