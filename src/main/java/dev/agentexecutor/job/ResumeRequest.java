package dev.agentexecutor.job;

import dev.agentexecutor.agent.run.Decision;
import dev.agentexecutor.core.Tenants;
import dev.agentexecutor.observability.TraceContext;
import java.util.List;

/**
 * A request to resume a parked job with people's decisions, as the edge read it ({@code POST
 * /jobs/{job_id}/resume} or a {@value JobParser#RESUME_TYPE} CloudEvent): one decision per pending
 * interrupt, in order. Whether they fit the job's interrupts is checked against its record.
 *
 * @param traceId the trace id the event named (null over the HTTP route)
 * @param tenant who asks: the caller's tenant over HTTP, the event's {@code tenant} attribute over
 *     NATS
 */
public record ResumeRequest(
    String jobId, String traceId, String tenant, List<Decision> decisions, TraceContext trace) {

  public ResumeRequest {
    tenant = Tenants.orDefault(tenant);
    decisions = List.copyOf(decisions);
  }

  public ResumeRequest withTenant(String owner) {
    return new ResumeRequest(jobId, traceId, owner, decisions, trace);
  }

  public ResumeRequest withTrace(TraceContext context) {
    return new ResumeRequest(jobId, traceId, tenant, decisions, context);
  }
}
