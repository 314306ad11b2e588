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
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.job.InvalidJobException;
import dev.agentexecutor.job.Job;
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
import io.cloudevents.CloudEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
                runClaimed(job, claimed.get());
              } finally {
                whenDone.run();
              }
            });
    return true;
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
  public List<RunningJob> running() {
    return running.all().entrySet().stream()
        .map(
            e ->
                new RunningJob(
                    e.getKey(),
                    e.getValue().control().tenant(),
                    e.getValue().startedAt(),
                    e.getValue().control().usage()))
        .toList();
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
    return running.claim(job.jobId(), control);
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
        return replay(stored.get());
      }
      Instant started = clock.instant();
      // No "running" record is written: a running job is visible through its checkpoints
      // (ThreadAdmin), which saves a synchronous database commit on every job.
      log.info("job started");
      Finished finished = run(job, claimed.control());
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
                  job.tenant()));
      backends.results().publish(jobId, finished.event);
      metrics.jobFinished(finished.status.wireName(), Duration.between(started, clock.instant()));
      log.info("job {}", finished.status.wireName());
      return finished.status == JobStatus.COMPLETED
          ? new Outcome.Completed(jobId, finished.event, false)
          : new Outcome.Failed(jobId, finished.event, false);
    } catch (ForeignThreadException e) {
      return otherTenant(jobId);
    } catch (BackendUnavailableException e) {
      discardPendingEvents(jobId);
      log.warn("job will be retried: {}", e.getMessage());
      return new Outcome.Retry(jobId, e.getMessage());
    } catch (RunStoppedException e) { // only an abandoned run leaves run() this way
      discardPendingEvents(jobId);
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
  private void discardPendingEvents(String jobId) {
    try {
      backends.events().flush(jobId);
    } catch (BackendUnavailableException e) {
      log.debug("pending events of {} not confirmed: {}", jobId, e.getMessage());
    }
  }

  private record Finished(JobStatus status, CloudEvent event, String error) {}

  /**
   * Runs the agent and turns how it ended into a result event; only backend outages, a foreign
   * thread and abandonment (shutdown) escape, as none of them ends the job.
   */
  private Finished run(Job job, RunControl control) {
    String jobId = job.jobId();
    StreamingListener events = new StreamingListener(backends.events(), jobId);
    Span span = runtime.tracing().startJob(jobId, job.trace());
    TraceContext outgoing = runtime.tracing().outgoing(span, job.trace());
    Finished finished;
    try (Scope ignored = span.makeCurrent();
        DeepAgent agent = DeepAgent.build(job.definition(), runtime)) {
      RunResult result =
          agent.run(
              new RunRequest(
                  job.threadId(), jobId, job.input(), Map.of(), control, events, Usage.ZERO));
      if (result instanceof RunResult.Parked parked) {
        // The job lifecycle that parks a job and resumes it with decisions is not built yet.
        finished =
            failure(
                jobId,
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
          failure(
              jobId, JobStatus.FAILED, shortMessage(e.getMessage()), "McpServerError", outgoing);
    } catch (BackendUnavailableException | ForeignThreadException e) {
      span.end();
      throw e; // no error or end event: a retry streams anew, and a foreign thread is not ours to
      // stream on
    } catch (RunStoppedException e) {
      if (e.kind() == RunStoppedException.Kind.ABANDONED) {
        span.end();
        throw e; // not finished: like an outage, the job is run again and streams anew
      }
      JobStatus status =
          e.kind() == RunStoppedException.Kind.CANCELLED ? JobStatus.CANCELLED : JobStatus.FAILED;
      finished = failure(jobId, status, shortMessage(e.getMessage()), e.errorType(), outgoing);
    } catch (ModelException e) {
      log.warn("job failed: the model call failed", e);
      finished =
          failure(jobId, JobStatus.FAILED, shortMessage(e.getMessage()), "ModelError", outgoing);
    } catch (CheckpointIncompatibleException e) {
      log.warn("job cannot run: {}", e.getMessage()); // not a fault of this service: no stack trace
      finished =
          failure(
              jobId,
              JobStatus.FAILED,
              shortMessage(e.getMessage()),
              "CheckpointIncompatible",
              outgoing);
    } catch (RuntimeException e) {
      log.error("job failed unexpectedly", e);
      finished =
          failure(
              jobId,
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
      String jobId, JobStatus status, String message, String type, TraceContext trace) {
    return new Finished(status, ResultEvents.failed(jobId, message, type, "", trace), message);
  }

  private String shortMessage(String message) {
    String text = redactor.redact(String.valueOf(message));
    return text.length() <= MAX_ERROR_MESSAGE ? text : text.substring(0, MAX_ERROR_MESSAGE) + "...";
  }

  private Outcome replay(JobRecord record) {
    CloudEvent event = ResultEvents.fromJson(record.resultEvent());
    backends.results().publish(record.jobId(), event);
    log.info("job already {}: stored result republished, nothing run", record.status().wireName());
    return record.status() == JobStatus.COMPLETED
        ? new Outcome.Completed(record.jobId(), event, true)
        : new Outcome.Failed(record.jobId(), event, true);
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
