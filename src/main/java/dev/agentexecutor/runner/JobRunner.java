package dev.agentexecutor.runner;

import dev.agentexecutor.agent.AgentRuntime;
import dev.agentexecutor.agent.DeepAgent;
import dev.agentexecutor.agent.ForeignThreadException;
import dev.agentexecutor.agent.run.RunControl;
import dev.agentexecutor.agent.run.RunRequest;
import dev.agentexecutor.agent.run.RunResult;
import dev.agentexecutor.agent.run.RunStoppedException;
import dev.agentexecutor.agent.tools.HttpToolClient;
import dev.agentexecutor.agent.tools.HttpToolPolicy;
import dev.agentexecutor.agent.tools.mcp.McpConnector;
import dev.agentexecutor.agent.tools.mcp.McpServerException;
import dev.agentexecutor.checkpoint.CheckpointIncompatibleException;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.job.InvalidJobException;
import dev.agentexecutor.job.Job;
import dev.agentexecutor.job.MultitaskStrategy;
import dev.agentexecutor.job.ResultEvents;
import dev.agentexecutor.model.ModelClient;
import dev.agentexecutor.model.ModelException;
import dev.agentexecutor.observability.LogContext;
import dev.agentexecutor.observability.Metrics;
import dev.agentexecutor.observability.Redactor;
import dev.agentexecutor.observability.TraceContext;
import dev.agentexecutor.observability.Tracing;
import dev.agentexecutor.store.JobRecord;
import dev.agentexecutor.store.JobStatus;
import dev.agentexecutor.store.ThreadTurns;
import io.cloudevents.CloudEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution path, top to bottom: already finished? republish its result. Otherwise build the
 * agent, run it (resuming from the thread's last checkpoint), stream its events, store the result
 * and publish it. Backend outages and shutdown become {@link Outcome.Retry}; nothing else escapes.
 * {@link #shutdown} stops it in order: no new job, one deadline, then abandon and join.
 */
public final class JobRunner implements JobExecutor, JobRuns {
  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

  /** Longest error message a failed result event carries. */
  private static final int MAX_ERROR_MESSAGE = 2_000;

  /**
   * How long a shutdown waits for abandoned jobs to stop: a step in progress finishes first, and a
   * model call in flight can take up to MODEL_TIMEOUT_SECONDS, which no shutdown should wait for.
   */
  static final Duration JOIN_GRACE = Duration.ofSeconds(5);

  private final Backends backends;
  private final AgentRuntime runtime;
  private final Settings.Limits limits;
  private final Metrics metrics;
  private final Redactor redactor;
  private final Clock clock;
  private final RunningJobs running = new RunningJobs();
  private final ThreadStart threads;

  public JobRunner(
      Backends backends,
      ModelClient model,
      Settings settings,
      Metrics metrics,
      Redactor redactor,
      Tracing tracing,
      Clock clock) {
    this.backends = backends;
    this.limits = settings.limits();
    this.metrics = metrics;
    this.redactor = redactor;
    this.clock = clock;
    this.threads = new ThreadStart(backends, running, clock);
    HttpToolPolicy toolPolicy = new HttpToolPolicy(settings.httpToolAllowedHosts());
    HttpToolClient httpTools =
        HttpToolClient.create(toolPolicy, settings.limits().httpToolTimeout());
    this.runtime =
        new AgentRuntime(
            model,
            backends.checkpointer(),
            httpTools,
            tracing,
            settings.model(),
            settings.limits(),
            settings.agent(),
            new McpConnector(toolPolicy, settings.agent()));
    // A cancel request taken by any replica reaches the one running the job.
    backends.cancels().subscribe(this::cancel);
  }

  @Override
  public Outcome execute(Job job) {
    Optional<RunningJobs.Run> claimed = claim(job);
    if (claimed.isEmpty()) return notClaimed(job);
    return runClaimed(job, claimed.get());
  }

  /** Not claimed: shutting down, or the id runs here (the same job, or another tenant's). */
  private Outcome notClaimed(Job job) {
    if (!running.accepting())
      return new Outcome.Retry(job.jobId(), "this instance is shutting down");
    Optional<RunningJobs.Run> other = running.get(job.jobId());
    if (other.isPresent() && !other.get().control().tenant().equals(job.tenant()))
      return new Outcome.OtherTenant(job.jobId());
    return new Outcome.AlreadyRunning(job.jobId());
  }

  /**
   * Starts the job on a virtual thread and returns at once; false when the job is already running
   * here or this instance is shutting down. The outcome is reported like any other run (events, job
   * store, result event).
   */
  @Override
  public boolean start(Job job, Runnable whenDone) {
    Optional<RunningJobs.Run> claimed = claim(job);
    if (claimed.isEmpty()) return false;
    Thread.ofVirtual()
        .name("job-" + job.jobId())
        .start(
            () -> {
              try {
                untilItsTurn(job, runClaimed(job, claimed.get()));
              } finally {
                whenDone.run();
              }
            });
    return true;
  }

  @Override
  public Outcome executeInTurn(Job job) {
    return untilItsTurn(job, execute(job));
  }

  /**
   * While the job is queued behind another run of its thread, asks for its turn again every {@link
   * ThreadStart#QUEUE_POLL} (which keeps its place), and runs it when its turn comes; stops asking
   * when this instance shuts down (the place lapses after {@link ThreadStart#QUEUED_STALE}).
   */
  private Outcome untilItsTurn(Job job, Outcome first) {
    Outcome outcome = first;
    while (outcome instanceof Outcome.Queued && running.accepting()) {
      try {
        Thread.sleep(ThreadStart.QUEUE_POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return outcome;
      }
      outcome = execute(job);
    }
    return outcome;
  }

  /**
   * Asks a job running here to stop at its next step boundary; false when it is not running here.
   */
  @Override
  public boolean cancel(String jobId) {
    Optional<RunningJobs.Run> run = running.get(jobId);
    run.ifPresent(r -> r.control().cancel("the job was cancelled by request"));
    return run.isPresent();
  }

  @Override
  public boolean isRunning(String jobId) {
    return running.get(jobId).isPresent();
  }

  @Override
  public Optional<String> runningTenant(String jobId) {
    return running.get(jobId).map(run -> run.control().tenant());
  }

  @Override
  public Optional<String> runningThread(String jobId) {
    return running.get(jobId).map(RunningJobs.Run::threadId);
  }

  @Override
  public java.util.List<String> runningOnThread(String threadId) {
    return running.onThread(threadId);
  }

  @Override
  public boolean accepting() {
    return running.accepting();
  }

  public int runningCount() {
    return running.count();
  }

  /**
   * Graceful stop, as Temporal's worker does it: no job is started any more, running jobs get until
   * the timeout to finish, the rest are abandoned through their run control (they stop at their
   * next step boundary and resume from their checkpoints when run again) and joined, for at most
   * {@link #JOIN_GRACE}. True when every job finished in time. Backends may be closed afterwards.
   */
  public boolean shutdown(Duration timeout) {
    return running.shutdown(timeout, JOIN_GRACE);
  }

  /** Immediate stop: no job is started any more and every running one is abandoned and joined. */
  public void shutdownNow() {
    running.shutdown(Duration.ZERO, JOIN_GRACE);
  }

  private Optional<RunningJobs.Run> claim(Job job) {
    RunControl control =
        new RunControl(
            limits.maxSteps(), limits.runTimeout(), limits.tokenBudget(), clock, job.tenant());
    return running.claim(job.jobId(), job.threadId(), job.namesThread(), control);
  }

  private Outcome runClaimed(Job job, RunningJobs.Run claimed) {
    String jobId = job.jobId();
    try (LogContext ignored = LogContext.of(job.traceId(), jobId)) {
      Optional<JobRecord> stored = backends.jobs().find(jobId);
      if (stored.isPresent() && !stored.get().tenant().equals(job.tenant()))
        return otherTenant(jobId);
      if (stored.isPresent()
          && stored.get().status().finished()
          && stored.get().resultEvent() != null) {
        if (job.namesThread()) backends.turns().release(jobId); // in case it ended before that
        return replay(stored.get());
      }
      ThreadStart.Start start = threads.prepare(job);
      if (start instanceof ThreadStart.Refused refused) return refuse(job, refused);
      if (job.namesThread()) {
        switch (threads.takeTurn(job, limits.runTimeout())) {
          case ThreadTurns.Turn.Granted granted -> {}
          case ThreadTurns.Turn.Busy busy -> {
            return refuse(job, ThreadStart.busy(job, busy.active()));
          }
          case ThreadTurns.Turn.Queued queued -> {
            return queue(job, queued.active());
          }
        }
      }
      Instant started = clock.instant();
      // No "running" record is written: a running job is visible through its checkpoints
      // (ThreadAdmin), which saves a synchronous database commit on every job.
      log.info("job started");
      Finished finished = run(job, claimed.control(), (ThreadStart.Ready) start);
      backends
          .jobs()
          .save(
              new JobRecord(
                      jobId,
                      job.traceId(),
                      finished.status,
                      stored.map(JobRecord::createdAt).orElse(started),
                      clock.instant(),
                      ResultEvents.toJsonNode(finished.event),
                      finished.error,
                      job.tenant())
                  .withJob(job.threadId(), null));
      if (job.namesThread()) backends.turns().release(jobId); // the next run of the thread may go
      backends.results().publish(jobId, finished.event);
      metrics.jobFinished(finished.status.wireName(), Duration.between(started, clock.instant()));
      log.info("job {}", finished.status.wireName());
      return outcome(finished.status, jobId, finished.event, false);
    } catch (ForeignThreadException e) {
      if (job.joinsThread()) return refuse(job, ThreadStart.unavailable(job));
      return otherTenant(jobId);
    } catch (BackendUnavailableException e) {
      discardPendingEvents(job.threadId());
      log.warn("job will be retried: {}", e.getMessage());
      return new Outcome.Retry(jobId, e.getMessage());
    } catch (RunStoppedException e) { // only an abandoned run leaves run() this way
      discardPendingEvents(job.threadId());
      log.info(
          "job abandoned ({}); it resumes from its checkpoints when run again", e.getMessage());
      return new Outcome.Retry(jobId, e.getMessage());
    } finally {
      running.release(jobId, claimed);
    }
  }

  private Outcome otherTenant(String jobId) {
    log.warn("job id {} belongs to another tenant: nothing run, nothing published", jobId);
    return new Outcome.OtherTenant(jobId);
  }

  /** Drops the unconfirmed events of a run that stops for a retry; the retry streams anew. */
  private void discardPendingEvents(String threadId) {
    try {
      backends.events().flush(threadId);
    } catch (BackendUnavailableException e) {
      log.debug("pending events of {} not confirmed: {}", threadId, e.getMessage());
    }
  }

  /**
   * A job that waits for its thread: queued (its place kept by the turns), to be asked again. With
   * multitask_strategy interrupt, the thread's runs here are cancelled first: they stop at their
   * next step, and the job's turn comes before the others waiting.
   */
  private Outcome queue(Job job, java.util.List<String> active) {
    if (job.multitask() == MultitaskStrategy.INTERRUPT) {
      for (RunningJobs.Run run : threads.runningHere(job)) {
        run.control()
            .cancel(
                "the job was interrupted by job "
                    + job.jobId()
                    + " on its thread (multitask_strategy interrupt)");
      }
    }
    log.info("job queued: thread {} is busy with {}", job.threadId(), active);
    return new Outcome.Queued(job.jobId(), active);
  }

  /**
   * A job its thread does not take: nothing runs, nothing is stored (the job id stays free for the
   * same job sent again later) and its failed event is published, naming the problem's code.
   */
  private Outcome refuse(Job job, ThreadStart.Refused refused) {
    CloudEvent event =
        ResultEvents.failed(
            job.jobId(),
            job.threadId(),
            refused.message(),
            refused.code().name(),
            "",
            job.trace().child());
    log.warn("job refused by its thread ({}): {}", refused.code(), refused.message());
    backends.results().publish(job.jobId(), event);
    return new Outcome.Refused(
        job.jobId(), event, refused.code(), refused.path(), refused.message());
  }

  private record Finished(JobStatus status, CloudEvent event, String error) {}

  /**
   * Runs the agent and turns how it ended into a result event; only backend outages, a foreign
   * thread and abandonment (shutdown) escape, as none of them ends the job.
   */
  private Finished run(Job job, RunControl control, ThreadStart.Ready start) {
    String jobId = job.jobId();
    StreamingListener events = new StreamingListener(backends.events(), job.threadId(), jobId);
    Span span = runtime.tracing().startJob(jobId, job.trace());
    TraceContext outgoing = runtime.tracing().outgoing(span, job.trace());
    Finished finished;
    try (Scope ignored = span.makeCurrent();
        DeepAgent agent = DeepAgent.build(job.definition(), runtime)) {
      RunResult result =
          agent.run(
              new RunRequest(
                  job.threadId(),
                  jobId,
                  job.input(),
                  Map.of(),
                  control,
                  events,
                  null,
                  start.forkedState()));
      if (result instanceof RunResult.Parked parked) {
        // The job lifecycle that parks a job and resumes it with decisions is not built yet.
        finished =
            failure(
                job,
                JobStatus.FAILED,
                "the run stopped to wait for approval of "
                    + parked.interrupts().size()
                    + " tool call(s) (interrupt_on), which this runner cannot take yet",
                "InterruptNotSupported",
                outgoing);
      } else {
        AgentState end = result.state();
        String output = end.lastMessage() == null ? "" : end.lastMessage().content();
        finished =
            new Finished(
                JobStatus.COMPLETED,
                ResultEvents.completed(
                    jobId,
                    job.threadId(),
                    output,
                    result.usage(),
                    ((RunResult.Finished) result).structuredResponse(),
                    control.usageLedger().byNode(),
                    control.usageLedger().byModel(),
                    outgoing),
                null);
      }
    } catch (McpServerException e) {
      log.warn("job cannot run: {}", e.getMessage());
      finished =
          failure(job, JobStatus.FAILED, shortMessage(e.getMessage()), "McpServerError", outgoing);
    } catch (BackendUnavailableException | ForeignThreadException e) {
      span.end();
      throw e; // no error or end event: a retry streams anew, and a foreign thread is not ours to
      // stream on
    } catch (RunStoppedException e) {
      if (e.kind() == RunStoppedException.Kind.ABANDONED) {
        span.end();
        throw e; // not finished: like an outage, the job is run again and streams anew
      }
      finished =
          e.kind() == RunStoppedException.Kind.CANCELLED
              ? cancelled(job, shortMessage(e.getMessage()), outgoing)
              : failure(
                  job, JobStatus.FAILED, shortMessage(e.getMessage()), e.errorType(), outgoing);
    } catch (ModelException e) {
      log.warn("job failed: the model call failed", e);
      finished =
          failure(job, JobStatus.FAILED, shortMessage(e.getMessage()), "ModelError", outgoing);
    } catch (CheckpointIncompatibleException e) {
      log.warn("job cannot run: {}", e.getMessage()); // not a fault of this service: no stack trace
      finished =
          failure(
              job,
              JobStatus.FAILED,
              shortMessage(e.getMessage()),
              "CheckpointIncompatible",
              outgoing);
    } catch (RuntimeException e) {
      log.error("job failed unexpectedly", e);
      finished =
          failure(
              job,
              JobStatus.FAILED,
              "the job failed unexpectedly ("
                  + e.getClass().getSimpleName()
                  + "); see the service log for job "
                  + jobId,
              "InternalError",
              outgoing);
    }
    span.setAttribute("agent.status", finished.status.wireName());
    span.end();
    if (finished.status != JobStatus.COMPLETED)
      events.error(finished.error, "job " + jobId + " " + finished.status.wireName());
    events.end();
    return finished;
  }

  /**
   * A failed run's result: a short, redacted message and a stable error type. Stack traces stay in
   * the service log: result events go to every consumer of the status stream.
   */
  private Finished failure(
      Job job, JobStatus status, String message, String type, TraceContext trace) {
    return new Finished(
        status,
        ResultEvents.failed(job.jobId(), job.threadId(), message, type, "", trace),
        message);
  }

  /** A cancelled run's result: the cancelled event, on its own subject. */
  private static Finished cancelled(Job job, String message, TraceContext trace) {
    return new Finished(
        JobStatus.CANCELLED,
        ResultEvents.cancelled(job.jobId(), job.threadId(), message, trace),
        message);
  }

  private String shortMessage(String message) {
    String text = redactor.redact(String.valueOf(message));
    return text.length() <= MAX_ERROR_MESSAGE ? text : text.substring(0, MAX_ERROR_MESSAGE) + "...";
  }

  private Outcome replay(JobRecord record) {
    CloudEvent event = ResultEvents.fromJson(record.resultEvent());
    backends.results().publish(record.jobId(), event);
    log.info("job already {}: stored result republished, nothing run", record.status().wireName());
    return outcome(record.status(), record.jobId(), event, true);
  }

  /** The outcome of a finished job, from its final status. */
  static Outcome outcome(JobStatus status, String jobId, CloudEvent event, boolean replayed) {
    return switch (status) {
      case COMPLETED -> new Outcome.Completed(jobId, event, replayed);
      case CANCELLED -> new Outcome.Cancelled(jobId, event, replayed);
      default -> new Outcome.Failed(jobId, event, replayed);
    };
  }

  @Override
  public Outcome reject(InvalidJobException problem, TraceContext trace) {
    String jobId = problem.jobId();
    try (LogContext ignored = LogContext.of(null, jobId)) {
      CloudEvent event =
          ResultEvents.failed(jobId, problem.getMessage(), "ValidationError", "", trace.child());
      log.warn("invalid job rejected: {}", problem.getMessage());
      backends.results().publish(jobId == null ? "unknown-" + event.getId() : jobId, event);
      return new Outcome.Rejected(jobId, event, problem.getMessage());
    } catch (BackendUnavailableException e) {
      return new Outcome.Retry(jobId, e.getMessage());
    }
  }

  @Override
  public Outcome giveUp(String jobId, String tenant, TraceContext trace, String reason) {
    try (LogContext ignored = LogContext.of(null, jobId)) {
      if (readableOwner(jobId).filter(owner -> !owner.equals(tenant)).isPresent())
        return otherTenant(jobId);
      String message = "the job could not be run: " + redactor.redact(reason);
      CloudEvent event =
          ResultEvents.failed(jobId, message, "BackendUnavailable", "", trace.child());
      Instant now = clock.instant();
      try {
        backends
            .jobs()
            .save(
                new JobRecord(
                    jobId,
                    null,
                    JobStatus.FAILED,
                    now,
                    now,
                    ResultEvents.toJsonNode(event),
                    message,
                    tenant));
      } catch (BackendUnavailableException e) {
        log.warn("could not store the failed result: {}", e.getMessage());
      }
      backends.results().publish(jobId, event);
      metrics.jobFinished("failed", Duration.ZERO);
      log.error("job given up: {}", message);
      return new Outcome.Failed(jobId, event, false);
    } catch (BackendUnavailableException e) {
      return new Outcome.Retry(jobId, e.getMessage());
    }
  }

  /**
   * The thread's owner when the backends can tell (its record, else its newest checkpoint): a job
   * given up after outages must not claim, or publish under, another tenant's id.
   */
  private Optional<String> readableOwner(String jobId) {
    try {
      Optional<String> recorded = backends.jobs().find(jobId).map(JobRecord::tenant);
      return recorded.isPresent()
          ? recorded
          : backends.checkpointer().latest(jobId, "").map(c -> c.tenant());
    } catch (BackendUnavailableException e) {
      return Optional.empty();
    }
  }
}
