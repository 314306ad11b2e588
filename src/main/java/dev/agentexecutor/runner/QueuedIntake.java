package dev.agentexecutor.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.core.problem.ProblemCode;
import dev.agentexecutor.job.Job;
import dev.agentexecutor.job.ResultEvents;
import dev.agentexecutor.job.ResumeRequest;
import dev.agentexecutor.store.JobRecord;
import dev.agentexecutor.store.JobStatus;
import dev.agentexecutor.util.Backoff;
import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP jobs on the durable path: put on the job queue (NATS), taken by any replica's worker, so
 * that redelivery, outage backoff and crash recovery apply to them as to NATS jobs. POST / then
 * waits for the job's result: handed over at once when it ends in this process, otherwise found in
 * the job store, which it polls with a growing interval (50 ms to 1 s), for at most
 * HTTP_RESULT_WAIT_SECONDS.
 */
public final class QueuedIntake implements JobIntake {
  private static final Logger log = LoggerFactory.getLogger(QueuedIntake.class);

  /** How often the job store is asked for a result that ended on another replica. */
  static final Backoff STORE_POLL = Backoff.of(Duration.ofMillis(50), Duration.ofSeconds(1));

  private final JobQueue queue;
  private final JobRunner runner;
  private final ThreadAdmin admin;
  private final Backends backends;
  private final ResultWaiters waiters;
  private final Duration resultWait;

  public QueuedIntake(
      JobQueue queue,
      JobRunner runner,
      Backends backends,
      ResultWaiters waiters,
      Duration resultWait) {
    this.queue = queue;
    this.runner = runner;
    this.admin = new ThreadAdmin(backends, runner);
    this.backends = backends;
    this.waiters = waiters;
    this.resultWait = resultWait;
  }

  @Override
  public Submission run(Job job, Runnable whenDone) {
    try {
      Optional<Outcome> known = known(job);
      if (known.isPresent()) return new Submission.Done(known.get());
      CompletableFuture<CloudEvent> result = waiters.await(job.jobId());
      try {
        queue.enqueue(job);
        return await(job, result);
      } finally {
        waiters.release(job.jobId(), result);
      }
    } catch (BackendUnavailableException e) {
      return new Submission.Done(new Outcome.Retry(job.jobId(), e.getMessage()));
    } finally {
      whenDone.run();
    }
  }

  /**
   * Takes the continuation here, so that the caller hears at once whether it was the one (202, or
   * 404 / 409 / 400), then hands it to the queue: a worker on any replica runs it, and the next one
   * continues it if that worker dies. While the queue is unreachable it runs here instead, as
   * without a queue.
   */
  @Override
  public Resumption resume(ResumeRequest request, Caller caller, Runnable whenDone) {
    Resumption taken = runner.takeResume(request, caller);
    if (!(taken instanceof Resumption.Started)) {
      whenDone.run();
      return taken;
    }
    try {
      queue.enqueueResume(request.withTenant(caller.tenant()));
      whenDone.run();
    } catch (BackendUnavailableException e) {
      log.warn(
          "resume of {} runs here: the queue is unavailable ({})", request.jobId(), e.getMessage());
      runner.continueTaken(request.withTenant(caller.tenant()), whenDone);
    }
    return taken;
  }

  @Override
  public Submission start(Job job, Runnable whenDone) {
    try {
      if (!runner.accepting())
        return new Submission.Done(
            new Outcome.Retry(job.jobId(), "this instance is shutting down"));
      if (runner.isRunning(job.jobId()))
        return new Submission.Done(
            runner.runningTenant(job.jobId()).filter(t -> !t.equals(job.tenant())).isPresent()
                ? new Outcome.OtherTenant(job.jobId())
                : new Outcome.AlreadyRunning(job.jobId()));
      queue.enqueue(job);
      return new Submission.Pending(job.jobId(), "queued");
    } catch (BackendUnavailableException e) {
      return new Submission.Done(new Outcome.Retry(job.jobId(), e.getMessage()));
    } finally {
      whenDone.run();
    }
  }

  /**
   * What is known before queueing: shutting down, another tenant's job id, or a stored result (the
   * job already ended: answered from the store, as a redelivery would). While the job store is down
   * nothing is known, and the job is queued: the worker checks ownership again.
   */
  private Optional<Outcome> known(Job job) {
    if (!runner.accepting())
      return Optional.of(new Outcome.Retry(job.jobId(), "this instance is shutting down"));
    try {
      ThreadAdmin.ThreadView view = admin.view(job.jobId());
      if (view.owner().filter(owner -> !owner.equals(job.tenant())).isPresent())
        return Optional.of(new Outcome.OtherTenant(job.jobId()));
      return view.record().flatMap(QueuedIntake::answer);
    } catch (BackendUnavailableException e) {
      log.debug("job store unavailable before queueing {}: {}", job.jobId(), e.getMessage());
      return Optional.empty();
    }
  }

  /** Waits for the result: from this process, or from the job store; Pending at the deadline. */
  private Submission await(Job job, CompletableFuture<CloudEvent> result) {
    long deadline = System.nanoTime() + resultWait.toNanos();
    for (int poll = 1; ; poll++) {
      long left = deadline - System.nanoTime();
      if (left <= 0) return new Submission.Pending(job.jobId(), status(job.jobId()));
      long wait = Math.min(left, STORE_POLL.ceiling(poll).toNanos());
      try {
        return new Submission.Done(outcome(result.get(wait, TimeUnit.NANOSECONDS)));
      } catch (TimeoutException e) {
        Optional<Outcome> stored = stored(job.jobId());
        if (stored.isPresent()) return new Submission.Done(stored.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Submission.Pending(job.jobId(), "queued");
      } catch (ExecutionException e) {
        throw new IllegalStateException("result waiter failed", e.getCause());
      }
    }
  }

  private Optional<Outcome> stored(String jobId) {
    try {
      return backends.jobs().find(jobId).flatMap(QueuedIntake::answer);
    } catch (BackendUnavailableException e) {
      return Optional.empty(); // the result is handed over when it ends here, or found later
    }
  }

  /** A record that answers the call: its run ended (or parked) with a stored result event. */
  private static Optional<Outcome> answer(JobRecord record) {
    if (record.resultEvent() == null || record.status() == JobStatus.RUNNING)
      return Optional.empty();
    return Optional.of(outcome(ResultEvents.fromJson(record.resultEvent())));
  }

  private static Outcome outcome(CloudEvent event) {
    String jobId = event.getSubject();
    return switch (event.getType()) {
      case ResultEvents.COMPLETED_TYPE -> new Outcome.Completed(jobId, event, false);
      case ResultEvents.CANCELLED_TYPE -> new Outcome.Cancelled(jobId, event, false);
      case ResultEvents.INTERRUPTED_TYPE -> new Outcome.Interrupted(jobId, event, false);
      default -> refusal(jobId, event).orElseGet(() -> new Outcome.Failed(jobId, event, false));
    };
  }

  /**
   * A job its thread refused on the worker (busy, another tenant's thread, unknown fork point):
   * answered with the problem's status, as when the job ran here, not as a failed run.
   */
  private static Optional<Outcome> refusal(String jobId, CloudEvent event) {
    JsonNode error = ResultEvents.data(event).path("error");
    String path =
        switch (error.path("type").asText()) {
          case "THREAD_BUSY", "THREAD_UNAVAILABLE" -> "$.thread_id";
          case "CHECKPOINT_NOT_FOUND" -> "$.checkpoint_id";
          default -> null;
        };
    if (path == null) return Optional.empty();
    return Optional.of(
        new Outcome.Refused(
            jobId,
            event,
            ProblemCode.valueOf(error.path("type").asText()),
            path,
            error.path("message").asText()));
  }

  /** Running once a worker took it (running here, or it has a checkpoint), queued before. */
  private String status(String jobId) {
    if (runner.isRunning(jobId)) return "running";
    try {
      return backends.checkpointer().latest(jobId, "").isPresent() ? "running" : "queued";
    } catch (BackendUnavailableException e) {
      return "queued";
    }
  }
}
