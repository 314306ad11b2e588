package dev.agentexecutor.checkpoint;

import dev.agentexecutor.core.state.AgentState;
import java.time.Instant;

/**
 * The state of one agent loop after a step. {@code threadId} names the conversation (the job id
 * unless the job names a thread); {@code namespace} is "" for the orchestrator and
 * "task:{tool_call_id}" for a subagent run inside it (as LangGraph names subgraph checkpoints). Ids
 * sort in creation order within a thread and namespace. {@code next} says what the loop does when
 * resumed from here. {@code tenant} is who the thread belongs to (the job's tenant), so that
 * ownership is known while a job runs; {@code jobId} is the run (job) that wrote it, the thread id
 * when absent (checkpoints written before threads had several runs).
 */
public record Checkpoint(
    String threadId,
    String namespace,
    String id,
    String parentId,
    int step,
    Instant createdAt,
    Next next,
    AgentState state,
    String tenant,
    String jobId) {

  public Checkpoint {
    tenant = dev.agentexecutor.core.Tenants.orDefault(tenant);
    jobId = jobId == null ? threadId : jobId;
  }

  /** A checkpoint written by the job whose id is the thread's id. */
  public Checkpoint(
      String threadId,
      String namespace,
      String id,
      String parentId,
      int step,
      Instant createdAt,
      Next next,
      AgentState state,
      String tenant) {
    this(threadId, namespace, id, parentId, step, createdAt, next, state, tenant, null);
  }

  /** A checkpoint of the default tenant's thread. */
  public Checkpoint(
      String threadId,
      String namespace,
      String id,
      String parentId,
      int step,
      Instant createdAt,
      Next next,
      AgentState state) {
    this(threadId, namespace, id, parentId, step, createdAt, next, state, null, null);
  }

  /** What the loop does next when resumed from this checkpoint. */
  public enum Next {
    /** Call the model (the last message is user input or tool results). */
    MODEL,
    /** Run the tool calls of the last assistant message. */
    TOOLS,
    /** Nothing: the loop finished with a final answer. */
    DONE
  }
}
