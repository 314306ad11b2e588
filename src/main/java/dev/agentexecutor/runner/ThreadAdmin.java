package dev.agentexecutor.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.state.AgentState;
import dev.agentexecutor.job.ResultEvents;
import dev.agentexecutor.store.JobRecord;
import dev.agentexecutor.store.JobStatus;
import dev.agentexecutor.util.Json;
import java.util.Optional;

/** Reads and removes what is kept about a thread (job): the client API's /state and /cleanup. */
public final class ThreadAdmin {
  private final Backends backends;
  private final JobRunner runner;

  public ThreadAdmin(Backends backends, JobRunner runner) {
    this.backends = backends;
    this.runner = runner;
  }

  /** Outcome of a cleanup request. */
  public enum Cleanup { REMOVED, NOT_FOUND, RUNNING }

  /** {thread_id, status, result, generated_files, error}, or empty for an unknown thread. */
  public Optional<ObjectNode> state(String threadId) {
    Optional<JobRecord> record = backends.jobs().find(threadId);
    boolean runningHere = runner.isRunning(threadId);
    Optional<AgentState> latest = backends.checkpointer().latest(threadId, "").map(c -> c.state());
    // Without a final record, checkpoints mean the job is running (here, on another worker, or
    // interrupted and waiting for its redelivery).
    if (record.isEmpty() && !runningHere && latest.isEmpty()) return Optional.empty();
    JobStatus status = runningHere || record.isEmpty() ? JobStatus.RUNNING : record.get().status();
    ObjectNode body = Json.object().put("thread_id", threadId).put("status", status.wireName());
    JsonNode data = record.map(JobRecord::resultEvent).filter(e -> !runningHere)
        .map(e -> ResultEvents.data(ResultEvents.fromJson(e))).orElse(null);
    body.set("result", data == null ? null : data.get("result"));
    body.set("error", data == null ? null : data.get("error"));
    body.set("generated_files", Json.tree(latest.map(AgentState::files).orElse(java.util.Map.of())));
    return Optional.of(body);
  }

  public Cleanup cleanup(String threadId) {
    if (runner.isRunning(threadId)) return Cleanup.RUNNING;
    boolean job = backends.jobs().delete(threadId);
    boolean checkpoints = backends.checkpointer().deleteThread(threadId);
    backends.events().delete(threadId);
    return job || checkpoints ? Cleanup.REMOVED : Cleanup.NOT_FOUND;
  }
}
