package dev.agentexecutor.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentexecutor.core.Tenants;

/**
 * A job as clients send it (the data of a dev.my-platform.agent.execute CloudEvent, or the body of
 * POST /invoke). {@code jobId} is also the thread id of the job's checkpoints and events. {@code
 * tenant} is who it belongs to: set by the ingress (the API token's tenant over HTTP, the
 * CloudEvent's {@code tenant} attribute over NATS), never by the job's own JSON.
 */
public record JobExecutionEvent(
    @JsonProperty("trace_id") String traceId,
    @JsonProperty("job_id") String jobId,
    @JsonProperty("agent_definition") ObjectNode agentDefinition,
    @JsonProperty("input_payload") ObjectNode inputPayload,
    @JsonIgnore String tenant) {

  public JobExecutionEvent {
    tenant = Tenants.orDefault(tenant);
  }

  /** A job of the default tenant. */
  public JobExecutionEvent(
      String traceId, String jobId, ObjectNode agentDefinition, ObjectNode inputPayload) {
    this(traceId, jobId, agentDefinition, inputPayload, Tenants.DEFAULT);
  }

  public JobExecutionEvent withTenant(String owner) {
    return new JobExecutionEvent(traceId, jobId, agentDefinition, inputPayload, owner);
  }
}
