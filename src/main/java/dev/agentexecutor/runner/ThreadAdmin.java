package dev.agentexecutor.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.checkpoint.Checkpoint;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.job.ResultEvents;
import dev.agentexecutor.store.JobRecord;
import dev.agentexecutor.store.JobStatus;
import dev.agentexecutor.util.Json;
import java.util.Optional;

/**
 * Reads and removes what is kept about a thread (job), for the client API's /state, /cleanup,
 * /cancel and streams, each time on behalf of a {@link Caller}: a thread another tenant owns is
 * answered exactly like one that does not exist.
 */
public final class ThreadAdmin {
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
    RUNNING
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
   * What is known about a thread: the tenant of its job running here, its final record, its newest
   * orchestrator checkpoint. Its owner is the first of these that exists.
   */
  public record ThreadView(
      String threadId,
      Optional<String> runningTenant,
      Optional<JobRecord> record,
      Optional<Checkpoint> latest) {
    public Optional<String> owner() {
      return runningTenant
          .or(() -> record.map(JobRecord::tenant))
          .or(() -> latest.map(Checkpoint::tenant));
    }

    public boolean exists() {
      return owner().isPresent();
    }

    /** A final record and no run here: nothing more will happen on this thread. */
    public boolean finished() {
      return runningTenant.isEmpty() && record.map(r -> r.status().finished()).orElse(false);
    }
  }

  /** Everything known about the thread, whoever owns it (for access checks and streaming). */
  public ThreadView view(String threadId) {
    Optional<String> runningTenant = runner.runningTenant(threadId);
    Optional<JobRecord> record = backends.jobs().find(threadId);
    Optional<Checkpoint> latest = backends.checkpointer().latest(threadId, "");
    return new ThreadView(threadId, runningTenant, record, latest);
  }

  /** The thread as the caller may see it: empty when unknown or another tenant's. */
  public Optional<ThreadView> visible(String threadId, Caller caller) {
    ThreadView view = view(threadId);
    return view.owner().filter(caller::sees).map(owner -> view);
  }

  /** The tenant owning the thread, if the thread exists. */
  public Optional<String> owner(String threadId) {
    Optional<String> running = runner.runningTenant(threadId);
    if (running.isPresent()) return running;
    Optional<String> recorded = backends.jobs().find(threadId).map(JobRecord::tenant);
    return recorded.isPresent()
        ? recorded
        : backends.checkpointer().latest(threadId, "").map(Checkpoint::tenant);
  }

  /**
   * {thread_id, status, result, generated_files, error}, or empty for an unknown (or another
   * tenant's) thread.
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
        Json.object().put("thread_id", view.threadId()).put("status", status.wireName());
    JsonNode data =
        view.record()
            .map(JobRecord::resultEvent)
            .filter(e -> !runningHere)
            .map(e -> ResultEvents.data(ResultEvents.fromJson(e)))
            .orElse(null);
    body.set("result", data == null ? null : data.get("result"));
    body.set("error", data == null ? null : data.get("error"));
    body.set(
        "generated_files",
        Json.tree(
            view.latest()
                .map(Checkpoint::state)
                .map(AgentState::files)
                .orElse(java.util.Map.of())));
    return body;
  }

  public Cleanup cleanup(String threadId, Caller caller) {
    Optional<String> owner = owner(threadId);
    if (owner.isPresent() && !caller.sees(owner.get())) return Cleanup.NOT_FOUND;
    if (runner.isRunning(threadId)) return Cleanup.RUNNING;
    boolean job = backends.jobs().delete(threadId);
    boolean checkpoints = backends.checkpointer().deleteThread(threadId);
    backends.events().delete(threadId);
    return job || checkpoints ? Cleanup.REMOVED : Cleanup.NOT_FOUND;
  }

  /** Asks the caller's job running here to stop at its next step boundary. */
  public Cancel cancel(String threadId, Caller caller) {
    Optional<String> runningTenant = runner.runningTenant(threadId);
    if (runningTenant.isPresent() && caller.sees(runningTenant.get()) && runner.cancel(threadId)) {
      return new Cancel(Cancel.Kind.CANCELLING, JobStatus.RUNNING.wireName());
    }
    return state(threadId, caller)
        .map(state -> new Cancel(Cancel.Kind.NOT_RUNNING, state.path("status").asText()))
        .orElse(new Cancel(Cancel.Kind.NOT_FOUND, null));
  }
}
