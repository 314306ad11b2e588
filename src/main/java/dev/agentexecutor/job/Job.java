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
 */
public record Job(
    String jobId,
    String traceId,
    String tenant,
    AgentDefinition definition,
    AgentState input,
    TraceContext trace,
    ObjectNode source) {

  public Job {
    tenant = Tenants.orDefault(tenant);
  }

  /** The thread the job's checkpoints and events belong to: its job id (one run per thread). */
  public String threadId() {
    return jobId;
  }

  public Job withTenant(String owner) {
    return new Job(jobId, traceId, owner, definition, input, trace, source);
  }

  public Job withTrace(TraceContext context) {
    return new Job(jobId, traceId, tenant, definition, input, context, source);
  }
}
