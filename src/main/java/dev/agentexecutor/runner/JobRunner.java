package dev.agentexecutor.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.agent.AgentRuntime;
import dev.agentexecutor.agent.DeepAgent;
import dev.agentexecutor.agent.ForeignThreadException;
import dev.agentexecutor.agent.run.Decision;
import dev.agentexecutor.agent.run.RunControl;
import dev.agentexecutor.agent.run.RunRequest;
import dev.agentexecutor.agent.run.RunResult;
import dev.agentexecutor.agent.run.RunStoppedException;
import dev.agentexecutor.agent.tools.HttpToolClient;
import dev.agentexecutor.agent.tools.HttpToolPolicy;
import dev.agentexecutor.agent.tools.mcp.McpConnector;
import dev.agentexecutor.agent.tools.mcp.McpServerException;
import dev.agentexecutor.cancel.CancelSignals;
import dev.agentexecutor.checkpoint.CheckpointIncompatibleException;
import dev.agentexecutor.config.Settings;
import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.core.state.Usage;
import dev.agentexecutor.job.InvalidJobException;
import dev.agentexecutor.job.Job;
import dev.agentexecutor.job.JobParser;
import dev.agentexecutor.job.MultitaskStrategy;
import dev.agentexecutor.job.ResultEvents;
import dev.agentexecutor.job.ResumeRequest;
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
import dev.agentexecutor.util.Json;
import io.cloudevents.CloudEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
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

  /** How long a resume waits for the run that parked its job to let go of it here. */
  private static final Duration PARKING_GRACE = Duration.ofSeconds(2);

  private final Backends backends;
  private final AgentRuntime runtime;
  private final Settings.Limits limits;
  private final Metrics metrics;
  private final Redactor redactor;
  private final Clock clock;
  private final RunningJobs running = new RunningJobs();

  /** Jobs waiting here for their thread's turn, by id: the thread that asks again. */
  private final Map<String, Thread> waitingForTurn = new ConcurrentHashMap<>();

  private final ParkedJobs parked;
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
    this.parked =
        new ParkedJobs(
            backends,
            new JobParser(settings.maxPayloadBytes(), settings.limits().state()),
            metrics,
            clock,
            settings.limits().interruptTtl());
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
    backends.cancels().subscribe(this::cancelRequested);
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
    return start(job, outcome -> whenDone.run());
  }

  /**
   * As {@link #start(Job, Runnable)}, handing the outcome to {@code whenDone} on the job's thread,
   * once the job no longer runs here (so {@code whenDone} may run it again).
   */
  public boolean start(Job job, Consumer<Outcome> whenDone) {
    Optional<RunningJobs.Run> claimed = claim(job);
    if (claimed.isEmpty()) return false;
    Thread.ofVirtual()
        .name("job-" + job.jobId())
        .start(
            () -> {
              Outcome outcome = null;
              try {
                outcome = untilItsTurn(job, runClaimed(job, claimed.get()));
              } finally {
                whenDone.accept(
                    outcome != null ? outcome : new Outcome.Retry(job.jobId(), "the run failed"));
              }
            });
    return true;
  }

  @Override
  public Resumption startResume(ResumeRequest request, Caller caller, Runnable whenDone) {
    String jobId = request.jobId();
    try (LogContext ignored = LogContext.of(request.traceId(), jobId)) {
      Taken taken = takeResume(request, caller, false);
      if (taken.refusal() != null) return taken.refusal();
      Thread.ofVirtual()
          .name("job-" + jobId)
          .start(
              () -> {
                try {
                  runClaimed(taken.job(), taken.run());
                } finally {
                  whenDone.run();
                }
              });
      return new Resumption.Started(jobId, taken.job().threadId());
    } catch (BackendUnavailableException e) {
      return new Resumption.Unavailable(jobId, e.getMessage());
    }
  }

  /**
   * Takes the continuation of the caller's parked job (the atomic interrupted → running move that
   * stores the decisions) without running it here: {@link Resumption.Started} when this call won
   * it, the refusal otherwise. Whoever runs it then continues a taken resume ({@link #resume} with
   * {@code taken}).
   */
  public Resumption takeResume(ResumeRequest request, Caller caller) {
    String jobId = request.jobId();
    try (LogContext ignored = LogContext.of(request.traceId(), jobId)) {
      Taken taken = takeResume(request, caller, false);
      if (taken.refusal() != null) return taken.refusal();
      running.release(jobId, taken.run());
      return new Resumption.Started(jobId, taken.job().threadId());
    } catch (BackendUnavailableException e) {
      return new Resumption.Unavailable(jobId, e.getMessage());
    }
  }

  /** Runs here, on a thread of its own, a continuation {@link #takeResume} took. */
  public void continueTaken(ResumeRequest request, Runnable whenDone) {
    Thread.ofVirtual()
        .name("job-" + request.jobId())
        .start(
            () -> {
              try {
                resume(request, true);
              } finally {
                whenDone.run();
              }
            });
  }

  @Override
  public Outcome resume(ResumeRequest request, boolean redelivered) {
    String jobId = request.jobId();
    try (LogContext ignored = LogContext.of(request.traceId(), jobId)) {
      Taken taken = takeResume(request, Caller.tenant(request.tenant()), redelivered);
      return switch (taken.refusal()) {
        case null -> runClaimed(taken.job(), taken.run());
        case Resumption.Invalid invalid -> reject(invalid.problem(), request.trace());
        case Resumption.Unavailable unavailable -> new Outcome.Retry(jobId, unavailable.reason());
        case Resumption.NotFound notFound -> {
          log.warn("resume of job {} ignored: no such job of tenant {}", jobId, request.tenant());
          yield new Outcome.Ignored(jobId, "no such job");
        }
        case Resumption.NotInterrupted not -> {
          log.info("resume of job {} ignored: the job is {}", jobId, not.status());
          yield new Outcome.Ignored(jobId, "the job is " + not.status());
        }
        case Resumption.Started started -> throw new IllegalStateException("not a refusal");
      };
    } catch (BackendUnavailableException e) {
      return new Outcome.Retry(jobId, e.getMessage());
    }
  }

  /** A resume that won its continuation (job and claimed run), or the answer refusing it. */
  private record Taken(Job job, RunningJobs.Run run, Resumption refusal) {
    static Taken refused(Resumption refusal) {
      return new Taken(null, null, refusal);
    }
  }

  /**
   * Checks the resume, claims the run here, then takes the continuation in the store; a resume that
   * loses the store's transition gives its claim back and is refused as not interrupted.
   */
  private Taken takeResume(ResumeRequest request, Caller caller, boolean redelivered) {
    String jobId = request.jobId();
    ParkedJobs.Check check = parked.check(request, caller, redelivered, this::stillRunningHere);
    if (check.ready().isEmpty()) return Taken.refused(check.refusal());
    ParkedJobs.Ready ready = check.ready().get();
    Optional<RunningJobs.Run> run = claim(ready.job());
    if (run.isEmpty()) run = claimAfterParking(ready.job());
    if (run.isEmpty()) {
      return Taken.refused(
          running.accepting()
              ? new Resumption.NotInterrupted(jobId, JobStatus.RUNNING.wireName())
              : new Resumption.Unavailable(jobId, "this instance is shutting down"));
    }
    boolean won = false;
    try {
      won = parked.take(ready);
    } finally {
      if (!won) running.release(jobId, run.get());
    }
    if (!won) return Taken.refused(new Resumption.NotInterrupted(jobId, parked.statusNow(jobId)));
    return new Taken(ready.job(), run.get(), null);
  }

  /**
   * Whether the job runs here, after waiting briefly for a run that only holds it for a moment (a
   * concurrent resume that lost the atomic move gives its claim back at once): a continuation is
   * not given up for a claim that is about to go.
   */
  private boolean stillRunningHere(String jobId) {
    return !letGoWithinGrace(jobId) || isRunning(jobId);
  }

  /**
   * The record says parked, but the run that parked the job may still hold it here for a moment:
   * its interrupted event went out (and answered its caller) just before it let go. A resume that
   * quick waits for that run to end, briefly, rather than being refused.
   */
  private Optional<RunningJobs.Run> claimAfterParking(Job job) {
    if (!isRunning(job.jobId()) || !letGoWithinGrace(job.jobId())) return Optional.empty();
    return claim(job);
  }

  /** True when no run of the job is here, or the one here ended within {@link #PARKING_GRACE}. */
  private boolean letGoWithinGrace(String jobId) {
    Optional<RunningJobs.Run> run = running.get(jobId);
    if (run.isEmpty()) return true;
    try {
      run.get().ended().get(PARKING_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The sweep that fails parked jobs past INTERRUPT_TTL_SECONDS, every {@code interval}; the caller
   * starts and closes it.
   */
  public ExpirySweeper expirySweeper(Duration interval) {
    return new ExpirySweeper(parked, interval);
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
      waitingForTurn.put(job.jobId(), Thread.currentThread());
      try {
        LockSupport.parkNanos(ThreadStart.QUEUE_POLL.toNanos()); // a cancel wakes it early
      } finally {
        waitingForTurn.remove(job.jobId(), Thread.currentThread());
      }
      if (Thread.currentThread().isInterrupted()) return outcome;
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

  /** A cancel request from any replica: stops the job if it runs here for the tenant named. */
  private boolean cancelRequested(CancelSignals.Request request) {
    Thread waiting = waitingForTurn.get(request.jobId());
    if (waiting != null) { // cancelled in line (ThreadTurns.cancelQueued): it asks again now
      LockSupport.unpark(waiting);
      return true;
    }
    Optional<RunningJobs.Run> run = running.get(request.jobId());
    if (run.isEmpty()) return false;
    if (request.tenant() != null && !run.get().control().tenant().equals(request.tenant()))
      return false;
    run.get().control().cancel("the job was cancelled by request");
    return true;
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
    return running.claim(job.jobId(), job.threadId(), job.namesThread(), control);
  }

  private Outcome runClaimed(Job job, RunningJobs.Run claimed) {
    String jobId = job.jobId();
    try (LogContext ignored = LogContext.of(job.traceId(), jobId)) {
      Optional<JobRecord> stored = backends.jobs().find(jobId);
      if (stored.isPresent() && !stored.get().tenant().equals(job.tenant()))
        return otherTenant(jobId);
      if (stored.isPresent() && replayable(stored.get())) {
        if (job.namesThread() && stored.get().status().finished())
          backends.turns().release(jobId); // in case it ended before that
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
          case ThreadTurns.Turn.Cancelled cancelled -> {
            return cancelledInLine(job);
          }
        }
      }
      Instant started = clock.instant();
      // A resumed job's record is running with its decisions (see resume); a new job has no
      // record while it runs: it is visible through its checkpoints (ThreadAdmin), which saves a
      // synchronous database commit on every job.
      Map<String, Decision> decisions =
          stored.map(JobRecord::decisions).map(ParkedJobs::decisionsOf).orElse(Map.of());
      if (decisions.isEmpty()) log.info("job started");
      else log.info("job resumed with {} decision(s)", decisions.size());
      JobRecord base =
          stored
              .orElseGet(
                  () ->
                      new JobRecord(
                          jobId,
                          job.traceId(),
                          JobStatus.RUNNING,
                          started,
                          started,
                          null,
                          null,
                          job.tenant()))
              .withJob(job.threadId(), job.source());
      // A parked run keeps its thread's turn: the thread is busy until the run ends.
      Ended ended = run(job, claimed.control(), decisions, (ThreadStart.Ready) start);
      if (ended instanceof Parked parked) return park(jobId, base, parked);
      Finished finished = (Finished) ended;
      backends
          .jobs()
          .save(
              base.withUsage(finished.usage)
                  .finish(
                      finished.status,
                      ResultEvents.toJsonNode(finished.event),
                      finished.error,
                      clock.instant()));
      if (job.namesThread()) backends.turns().release(jobId); // the next run of the thread may go
      publishStored(jobId, finished.event);
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

  /**
   * A job whose stored result stands: finished, or parked (its interrupted event is republished and
   * nothing runs until it is resumed).
   */
  private static boolean replayable(JobRecord record) {
    return record.resultEvent() != null
        && (record.status().finished() || record.status() == JobStatus.INTERRUPTED);
  }

  /**
   * The run parked: the record is stored interrupted (what a resume needs) before anyone hears of
   * it, then the stream shows the interrupts and ends, then the interrupted event is published.
   */
  private Outcome park(String jobId, JobRecord base, Parked parked) {
    RunResult.Parked result = parked.result;
    JsonNode interrupts = Json.tree(result.interrupts());
    CloudEvent event =
        ResultEvents.interrupted(jobId, base.threadId(), interrupts, parked.outgoing);
    backends
        .jobs()
        .save(
            base.interrupted(
                interrupts, result.usage(), ResultEvents.toJsonNode(event), clock.instant()));
    parked.events.interrupted(jobId, interrupts);
    parked.events.end();
    publishStored(jobId, event);
    metrics.jobInterrupted();
    log.info("job interrupted: waiting for {} decision(s)", result.interrupts().size());
    return new Outcome.Interrupted(jobId, event, false);
  }

  /**
   * Publishes a result that is already stored. When the publisher is down the job has still ended:
   * the result waits in the job store's outbox, and the relay ({@link ResultOutbox}) publishes it
   * when the publisher is back.
   */
  private void publishStored(String jobId, CloudEvent event) {
    try {
      backends.results().publish(jobId, event);
    } catch (BackendUnavailableException e) {
      log.warn("result stored; it is published from the outbox once possible: {}", e.getMessage());
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

  /** How a run ended: finished (its stream ended) or parked (its stream still open). */
  private sealed interface Ended {}

  private record Finished(JobStatus status, CloudEvent event, String error, Usage usage)
      implements Ended {
    Finished(JobStatus status, CloudEvent event, String error) {
      this(status, event, error, null);
    }
  }

  private record Parked(RunResult.Parked result, StreamingListener events, TraceContext outgoing)
      implements Ended {}

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
   * A job cancelled while it waited for its thread: it ends cancelled without running, as the one
   * that owns it (its turn's asker, so the cancelled event is published once): the record is stored
   * first (the outbox publishes the event if NATS is down), then its row in line goes.
   */
  private Outcome cancelledInLine(Job job) {
    String jobId = job.jobId();
    String message =
        "the job was cancelled by request while it waited for its turn on thread " + job.threadId();
    CloudEvent event = ResultEvents.cancelled(jobId, job.threadId(), message, job.trace().child());
    Instant now = clock.instant();
    JobRecord record =
        new JobRecord(jobId, job.traceId(), JobStatus.RUNNING, now, now, null, null, job.tenant())
            .withJob(job.threadId(), job.source())
            .finish(JobStatus.CANCELLED, ResultEvents.toJsonNode(event), message, now);
    backends.jobs().save(record);
    backends.turns().release(jobId);
    publishStored(jobId, event);
    metrics.jobFinished(JobStatus.CANCELLED.wireName(), Duration.ZERO);
    log.info("job cancelled before its turn on thread {}", job.threadId());
    return new Outcome.Cancelled(jobId, event, false);
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
    backends.results().publishRefusal(job.jobId(), event);
    return new Outcome.Refused(
        job.jobId(), event, refused.code(), refused.path(), refused.message());
  }

  /**
   * Runs the agent and turns how it ended into a result event; only backend outages, a foreign
   * thread and abandonment (shutdown) escape, as none of them ends the job.
   */
  private Ended run(
      Job job, RunControl control, Map<String, Decision> decisions, ThreadStart.Ready start) {
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
                  decisions,
                  control,
                  events,
                  null,
                  start.forkedState()));
      if (result instanceof RunResult.Parked parked) {
        span.setAttribute("agent.status", JobStatus.INTERRUPTED.wireName());
        span.end();
        return new Parked(parked, events, outgoing);
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
                null,
                result.usage());
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
    publishStored(record.jobId(), event);
    log.info("job already {}: stored result republished, nothing run", record.status().wireName());
    return outcome(record.status(), record.jobId(), event, true);
  }

  /** The outcome of a finished job, from its final status. */
  static Outcome outcome(JobStatus status, String jobId, CloudEvent event, boolean replayed) {
    return switch (status) {
      case COMPLETED -> new Outcome.Completed(jobId, event, replayed);
      case CANCELLED -> new Outcome.Cancelled(jobId, event, replayed);
      case INTERRUPTED -> new Outcome.Interrupted(jobId, event, replayed);
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
      backends.results().publishRefusal(jobId == null ? "unknown-" + event.getId() : jobId, event);
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
      // Stored before it is published, as every result: a published result that is not stored
      // would leave the job "running" in /state, and a later delivery would run it again.
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
      publishStored(jobId, event);
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
