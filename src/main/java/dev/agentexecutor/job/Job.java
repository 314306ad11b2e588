package dev.agentexecutor.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.agent.definition.AgentDefinition;
import dev.agentexecutor.core.Tenants;
import dev.agentexecutor.core.state.AgentState;
import dev.agentexecutor.observability.TraceContext;

/**
 * A job as the edge parsed and validated it, once: its ids, the agent definition, the state its run
 * starts from and the trace it continues. {@code tenant} is set by the ingress (the API token's
 * tenant over HTTP, the CloudEvent's {@code tenant} attribute over NATS), never by the job's JSON;
 * {@code source} is the job object as it came (the CloudEvent's data, or the body of /invoke), kept
 * for consumers that store or show the job as sent.
 *
 * @param threadId the thread (conversation) the run's checkpoints and events go to: the job's
 *     {@code thread_id}, its job id when it names none, and its job id for a fork (a fork writes a
 *     new thread)
 * @param fork the earlier checkpoint a fork starts from ({@code thread_id} and {@code
 *     checkpoint_id}), or null
 * @param multitask what to do when the thread already has an active run
 */
public record Job(
    String jobId,
    String traceId,
    String tenant,
    AgentDefinition definition,
    AgentState input,
    TraceContext trace,
    ObjectNode source,
    String threadId,
    ForkPoint fork,
    MultitaskStrategy multitask) {

  public Job {
    tenant = Tenants.orDefault(tenant);
    threadId = threadId == null || fork != null ? jobId : threadId;
    multitask = multitask == null ? MultitaskStrategy.REJECT : multitask;
  }

  /** A job on its own thread (thread id = job id), the default strategy. */
  public Job(
      String jobId,
      String traceId,
      String tenant,
      AgentDefinition definition,
      AgentState input,
      TraceContext trace,
      ObjectNode source) {
    this(jobId, traceId, tenant, definition, input, trace, source, null, null, null);
  }

  /**
   * The job names its thread ({@code thread_id} in its JSON, even its own id): it takes the
   * thread's turn before it runs (multitask_strategy). A job that names none, or a fork (a new
   * thread), runs at once as jobs always did.
   */
  public boolean namesThread() {
    return fork == null && source != null && source.hasNonNull("thread_id");
  }

  /** The job runs on a thread it names rather than its own. */
  public boolean joinsThread() {
    return !threadId.equals(jobId);
  }

  public Job withTenant(String owner) {
    return new Job(
        jobId, traceId, owner, definition, input, trace, source, threadId, fork, multitask);
  }

  public Job withTrace(TraceContext context) {
    return new Job(
        jobId, traceId, tenant, definition, input, context, source, threadId, fork, multitask);
  }

  /**
   * Where a fork starts: checkpoint {@code checkpointId} of the orchestrator on thread {@code
   * threadId}. The fork's run copies that state into a new thread (the job's id) and adds its input
   * as the next turn; the source thread is not changed.
   */
  public record ForkPoint(String threadId, String checkpointId) {}
}
