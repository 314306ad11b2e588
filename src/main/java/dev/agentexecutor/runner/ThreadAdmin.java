package dev.agentexecutor.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.cancel.CancelSignals;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.checkpoint.CheckpointSummary;
import dev.agentexecutor.core.problem.BackendUnavailableException;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.job.ResultEvents;
import dev.agentexecutor.observability.TraceContext;
import dev.agentexecutor.store.JobQuery;
import dev.agentexecutor.store.JobRecord;
import dev.agentexecutor.store.JobStatus;
import dev.agentexecutor.store.ThreadTurns;
import dev.agentexecutor.util.Ids;
import dev.agentexecutor.util.Json;
import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and removes what is kept about a thread (job), for the client API's /state, /cleanup,
 * /cancel and streams, each time on behalf of a {@link Caller}: a thread another tenant owns is
 * answered exactly like one that does not exist.
 */
public final class ThreadAdmin implements JobCancels {
  /**
   * How long a cancel waits for the replica running the job to say it stopped it: a round trip
   * through PostgreSQL, milliseconds when all is well.
   */
  static final Duration ANSWER_WAIT = Duration.ofSeconds(1);

  /** History rows read at a time when looking for a job's checkpoints on its thread. */
  private static final int HISTORY_PAGE = 100;

  private final Backends backends;
  private final JobRuns runner;
  private final JobListing listing;

  public ThreadAdmin(Backends backends, JobRuns runner) {
    this.backends = backends;
    this.runner = runner;
    this.listing = new JobListing(backends, runner);
  }

  /** A page of the caller's jobs, newest first (GET /jobs; see {@link JobListing}). */
  public ObjectNode jobs(JobListing.Request request, Caller caller) {
    return listing.page(request, caller);
  }

  /** Outcome of a cleanup request. */
  public enum Cleanup {
    REMOVED,
    NOT_FOUND,
    RUNNING,
    /** A run of it waits for decisions: cancel it (or resume it) first. */
    PARKED
  }

  /** Outcome of a cancel request; {@code status} is the job's status when it is not running. */
  public record Cancel(Kind kind, String status) {
    public enum Kind {
      CANCELLING,
      NOT_RUNNING,
      NOT_FOUND
    }
  }

  /**
   * What is known about a thread, or about one job (run) on it: the tenant of its run here, the
   * final record of the run shown ({@code jobId}: the thread's latest run, or the job asked for),
   * and its newest orchestrator checkpoint (for a job, the newest it wrote). Its owner is the first
   * of these that exists.
   */
  public record ThreadView(
      String threadId,
      Optional<String> runningTenant,
      Optional<JobRecord> record,
      Optional<Checkpoint> latest,
      String jobId,
      Optional<ThreadTurns.ThreadRun> queued) {
    public ThreadView(
        String threadId,
        Optional<String> runningTenant,
        Optional<JobRecord> record,
        Optional<Checkpoint> latest) {
      this(threadId, runningTenant, record, latest, threadId, Optional.empty());
    }

    public Optional<String> owner() {
      return runningTenant
          .or(() -> record.map(JobRecord::tenant))
          .or(() -> latest.map(Checkpoint::tenant))
          .or(() -> queued.map(ThreadTurns.ThreadRun::tenant));
    }

    public boolean exists() {
      return owner().isPresent();
    }

    /** A final record and no run here: nothing more will happen on this thread. */
    public boolean finished() {
      return runningTenant.isEmpty() && record.map(r -> r.status().finished()).orElse(false);
    }
  }

  /**
   * Everything known about {@code id}, whoever owns it (for access checks and streaming): a job
   * whose thread is another id is shown as that job on its thread; any other id is a thread, shown
   * with its latest run.
   */
  public ThreadView view(String id) {
    Optional<String> runningThread = runner.runningThread(id);
    if (runningThread.isPresent() && !runningThread.get().equals(id))
      return jobView(id, runningThread.get(), Optional.empty());
    Optional<JobRecord> record = backends.jobs().find(id);
    Optional<String> recordedThread = record.map(ThreadAdmin::threadOf);
    if (recordedThread.isPresent() && !recordedThread.get().equals(id))
      return jobView(id, recordedThread.get(), record);
    if (record.isEmpty() && runningThread.isEmpty()) {
      Optional<ThreadTurns.ThreadRun> waiting =
          backends
              .turns()
              .find(id)
              // Cancelled in line shows as queued until the job hears it and ends cancelled.
              .filter(run -> !ThreadTurns.ThreadRun.RUNNING.equals(run.status()));
      if (waiting.isPresent()) {
        return new ThreadView(
            waiting.get().threadId(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            id,
            waiting);
      }
    }
    return threadView(id, record);
  }

  /**
   * A thread and its latest run: one running here, else the one that wrote its newest checkpoint.
   */
  private ThreadView threadView(String threadId, Optional<JobRecord> ownRecord) {
    Optional<Checkpoint> latest = backends.checkpointer().latest(threadId, "");
    List<String> here = runner.runningOnThread(threadId);
    String shown =
        !here.isEmpty() ? here.getFirst() : latest.map(Checkpoint::jobId).orElse(threadId);
    Optional<JobRecord> record = shown.equals(threadId) ? ownRecord : backends.jobs().find(shown);
    return new ThreadView(
        threadId, runner.runningTenant(shown), record, latest, shown, Optional.empty());
  }

  private ThreadView jobView(String jobId, String threadId, Optional<JobRecord> record) {
    Optional<JobRecord> known = record.isPresent() ? record : backends.jobs().find(jobId);
    return new ThreadView(
        threadId,
        runner.runningTenant(jobId),
        known,
        newestOfJob(threadId, jobId),
        jobId,
        Optional.empty());
  }

  /** The newest orchestrator checkpoint the job wrote on the thread (later runs may follow it). */
  private Optional<Checkpoint> newestOfJob(String threadId, String jobId) {
    Optional<Checkpoint> latest = backends.checkpointer().latest(threadId, "");
    if (latest.isEmpty() || latest.get().jobId().equals(jobId)) return latest;
    String before = null;
    while (true) {
      List<CheckpointSummary> page =
          backends.checkpointer().history(threadId, before, HISTORY_PAGE);
      for (CheckpointSummary row : page) {
        if (row.namespace().isEmpty() && row.jobId().equals(jobId))
          return backends.checkpointer().get(threadId, "", row.id());
      }
      if (page.size() < HISTORY_PAGE) return Optional.empty();
      before = page.getLast().id();
    }
  }

  /** The thread the job ran on (records of older versions name none: the job's own id). */
  static String threadOf(JobRecord record) {
    return record.threadId();
  }

  /** The thread as the caller may see it: empty when unknown or another tenant's. */
  public Optional<ThreadView> visible(String threadId, Caller caller) {
    ThreadView view = view(threadId);
    return view.owner().filter(caller::sees).map(owner -> view);
  }

  /**
   * {thread_id, checkpoints: [{checkpoint_id, parent_checkpoint_id, step, node, namespace,
   * created_at, job_id}], next_before}: one page of the thread's checkpoints, newest first, those
   * before {@code before} (null: from the newest); {@code next_before} names the next page, null
   * after the last. Empty for an unknown (or another tenant's) thread.
   */
  public Optional<ObjectNode> history(String threadId, String before, int limit, Caller caller) {
    if (visible(threadId, caller).isEmpty()) return Optional.empty();
    List<CheckpointSummary> rows = backends.checkpointer().history(threadId, before, limit + 1);
    ObjectNode body = Json.object().put("thread_id", threadId);
    var checkpoints = body.putArray("checkpoints");
    for (CheckpointSummary row : rows.subList(0, Math.min(limit, rows.size()))) {
      checkpoints
          .addObject()
          .put("checkpoint_id", row.id())
          .put("parent_checkpoint_id", row.parentId())
          .put("step", row.step())
          .put("node", row.node())
          .put("namespace", row.namespace())
          .put("created_at", row.createdAt() == null ? null : row.createdAt().toString())
          .put("job_id", row.jobId());
    }
    body.put("next_before", rows.size() > limit ? rows.get(limit - 1).id() : null);
    return Optional.of(body);
  }

  /** The tenant owning the thread (or job), if it exists. */
  public Optional<String> owner(String id) {
    return view(id).owner();
  }

  /**
   * {thread_id, job_id, status, result, generated_files, error} of a thread (its latest run) or of
   * a job, with the pending {@code interrupts} of an interrupted job, or empty for an unknown (or
   * another tenant's) one.
   */
  public Optional<ObjectNode> state(String threadId, Caller caller) {
    return visible(threadId, caller).map(ThreadAdmin::stateBody);
  }

  private static ObjectNode stateBody(ThreadView view) {
    boolean runningHere = view.runningTenant().isPresent();
    // Without a final record, checkpoints mean the job is running (here, on another worker, or
    // interrupted and waiting for its redelivery).
    JobStatus status =
        runningHere || view.record().isEmpty() ? JobStatus.RUNNING : view.record().get().status();
    ObjectNode body =
        Json.object()
            .put("thread_id", view.threadId())
            .put("job_id", view.jobId())
            .put(
                "status",
                view.queued().isPresent() ? JobStatus.QUEUED.wireName() : status.wireName());
    JsonNode data =
        view.record()
            .map(JobRecord::resultEvent)
            .filter(e -> !runningHere)
            .map(e -> ResultEvents.data(ResultEvents.fromJson(e)))
            .orElse(null);
    body.set("result", data == null ? null : data.get("result"));
    body.set("error", data == null ? null : data.get("error"));
    if (status == JobStatus.INTERRUPTED) body.set("interrupts", view.record().get().interrupts());
    body.set(
        "generated_files",
        Json.tree(
            view.latest()
                .map(Checkpoint::state)
                .map(AgentState::files)
                .orElse(java.util.Map.of())));
    return body;
  }

  /**
   * Removes a thread with everything of it: its checkpoints, its events and the records of every
   * run on it; or the record of a job that ran on another thread. Refused while a run of the thread
   * is in progress anywhere (running here or on another replica, queued for it) or waits for
   * decisions (parked): removing its checkpoints would lose what it needs to go on.
   */
  public Cleanup cleanup(String id, Caller caller) {
    ThreadView view = view(id);
    if (view.owner().isPresent() && !caller.sees(view.owner().get())) return Cleanup.NOT_FOUND;
    if (runner.isRunning(id)) return Cleanup.RUNNING;
    if (!view.threadId().equals(id)) {
      if (view.queued().isPresent()) return Cleanup.RUNNING;
      JobStatus status = view.record().map(JobRecord::status).orElse(null);
      if (status == JobStatus.INTERRUPTED) return Cleanup.PARKED;
      return backends.jobs().delete(id) ? Cleanup.REMOVED : Cleanup.NOT_FOUND;
    }
    if (!runner.runningOnThread(id).isEmpty()) return Cleanup.RUNNING;
    Optional<JobStatus> unfinished = unfinishedRun(view);
    if (unfinished.isPresent())
      return unfinished.get() == JobStatus.INTERRUPTED ? Cleanup.PARKED : Cleanup.RUNNING;
    boolean records = deleteRecordsOfThread(id);
    boolean checkpoints = backends.checkpointer().deleteThread(id);
    backends.events().delete(id);
    return records || checkpoints ? Cleanup.REMOVED : Cleanup.NOT_FOUND;
  }

  /**
   * A run of the thread that has not ended, as storage sees it: a record queued, running or
   * interrupted on the thread, or a newest checkpoint whose job has no final record (it runs on a
   * replica, and a new job has no record while it runs).
   */
  private Optional<JobStatus> unfinishedRun(ThreadView view) {
    List<JobRecord> open =
        backends
            .jobs()
            .list(
                new JobQuery(
                    Optional.empty(),
                    Set.of(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.INTERRUPTED),
                    Optional.of(view.threadId()),
                    Optional.empty(),
                    1));
    if (!open.isEmpty()) return Optional.of(open.getFirst().status());
    if (view.latest().isEmpty()) return Optional.empty();
    String writer = view.latest().get().jobId();
    Optional<JobRecord> record =
        writer.equals(view.jobId()) ? view.record() : backends.jobs().find(writer);
    return record.map(r -> r.status().finished()).orElse(false)
        ? Optional.empty()
        : Optional.of(record.map(JobRecord::status).orElse(JobStatus.RUNNING));
  }

  /** Deletes the records of every run on the thread; true when there was one. */
  private boolean deleteRecordsOfThread(String threadId) {
    boolean any = false;
    while (true) {
      List<JobRecord> page =
          backends
              .jobs()
              .list(
                  new JobQuery(
                      Optional.empty(),
                      Set.of(),
                      Optional.of(threadId),
                      Optional.empty(),
                      HISTORY_PAGE));
      for (JobRecord record : page) any |= backends.jobs().delete(record.jobId());
      if (page.size() < HISTORY_PAGE) return any | backends.jobs().delete(threadId);
    }
  }

  /**
   * Asks the caller's job to stop, wherever it runs: the job of that id, or the runs of the thread
   * of that id. A job running here is cancelled at once. A finished one is not running. Otherwise
   * every replica is asked (see {@link CancelSignals}): the one running the job for the caller's
   * tenant stops it and says so, which the job's first model call needs, as a job leaves no trace
   * in storage until its first checkpoint. A job known to storage as in progress (checkpoints, no
   * final record) is reported cancelling even when no replica answered in time; one nobody knows is
   * not found, as is another tenant's.
   */
  @Override
  public Cancel cancel(String threadId, Caller caller) {
    List<String> jobs =
        runner.isRunning(threadId) ? List.of(threadId) : runner.runningOnThread(threadId);
    boolean cancelling = false;
    for (String jobId : jobs) {
      Optional<String> tenant = runner.runningTenant(jobId);
      if (tenant.isPresent() && caller.sees(tenant.get()) && runner.cancel(jobId))
        cancelling = true;
    }
    if (cancelling) return new Cancel(Cancel.Kind.CANCELLING, JobStatus.RUNNING.wireName());
    Optional<ObjectNode> state = state(threadId, caller);
    String status = state.map(s -> s.path("status").asText()).orElse(null);
    if (JobStatus.INTERRUPTED.wireName().equals(status)) return cancelParked(threadId, caller);
    if (JobStatus.QUEUED.wireName().equals(status)) return cancelQueued(threadId, caller);
    if (status != null && !JobStatus.RUNNING.wireName().equals(status))
      return new Cancel(Cancel.Kind.NOT_RUNNING, status);
    CancelSignals signals = backends.cancels();
    // Without a shared backend no other replica can hear a request: there is nothing to stop.
    if (signals.crossReplica() && Ids.isValidClientId(threadId)) {
      CancelSignals.Request request =
          new CancelSignals.Request(threadId, caller.restricted() ? caller.tenant() : null);
      if (signals.request(request, ANSWER_WAIT))
        return new Cancel(Cancel.Kind.CANCELLING, JobStatus.RUNNING.wireName());
      if (status != null) return new Cancel(Cancel.Kind.CANCELLING, status);
    }
    return status == null
        ? new Cancel(Cancel.Kind.NOT_FOUND, null)
        : new Cancel(Cancel.Kind.NOT_RUNNING, status);
  }

  /**
   * Cancels a parked job without running it: interrupted → cancelled in one compare-and-set, so a
   * resume and a cancel arriving together cannot both win; only the winner publishes the cancelled
   * event (stored first: the outbox publishes it if NATS is down).
   */
  private Cancel cancelParked(String jobId, Caller caller) {
    Optional<JobRecord> parked =
        backends.jobs().find(jobId).filter(record -> record.status() == JobStatus.INTERRUPTED);
    if (parked.isEmpty()) return afterLostMove(jobId, caller);
    String message = "the job was cancelled by request while it waited for decisions";
    CloudEvent event =
        ResultEvents.cancelled(jobId, parked.get().threadId(), message, TraceContext.fresh());
    JobRecord cancelled =
        parked
            .get()
            .finish(JobStatus.CANCELLED, ResultEvents.toJsonNode(event), message, Instant.now());
    if (!backends.jobs().transition(jobId, JobStatus.INTERRUPTED, cancelled))
      return afterLostMove(jobId, caller);
    try {
      backends.results().publish(jobId, event);
    } catch (BackendUnavailableException e) {
      // Stored: the result outbox publishes it when the publisher is back.
    }
    ParkedJobs.streamEnded(backends, parked.get(), message, ResultEvents.CANCELLED_ERROR);
    return new Cancel(Cancel.Kind.CANCELLING, JobStatus.CANCELLED.wireName());
  }

  /**
   * Cancels a job waiting in line for its thread without running it: its row is marked cancelled in
   * the same atomic step as the turn decisions, so it either had the turn already (and is cancelled
   * as a running job) or never gets it. The job ends cancelled when it next asks for its turn (in
   * {@link ThreadStart#QUEUE_POLL}, or at its NATS redelivery): it is woken at once on whichever
   * replica it waits, and only it publishes its cancelled event.
   */
  private Cancel cancelQueued(String jobId, Caller caller) {
    // Not in line any more: it got its turn (it is cancelled as a running job) or it ended.
    if (!backends.turns().cancelQueued(jobId)) return cancel(jobId, caller);
    CancelSignals.Request wake =
        new CancelSignals.Request(jobId, caller.restricted() ? caller.tenant() : null);
    try {
      backends.cancels().request(wake, Duration.ZERO);
    } catch (BackendUnavailableException e) {
      // It hears it when it asks again anyway.
    }
    return new Cancel(Cancel.Kind.CANCELLING, JobStatus.QUEUED.wireName());
  }

  /**
   * Another request moved the parked job first: a resume (the job runs again, so it is cancelled
   * like any running job) or another cancel (it is no longer running).
   */
  private Cancel afterLostMove(String jobId, Caller caller) {
    Optional<JobStatus> now = backends.jobs().find(jobId).map(JobRecord::status);
    if (now.isPresent() && now.get() == JobStatus.RUNNING) return cancel(jobId, caller);
    return new Cancel(Cancel.Kind.NOT_RUNNING, now.map(JobStatus::wireName).orElse("unknown"));
  }
}
