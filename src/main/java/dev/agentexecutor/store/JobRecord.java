package dev.agentexecutor.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.core.Tenants;
import java.time.Instant;

/**
 * What is kept about a job beyond its checkpoints. {@code resultEvent} is the result CloudEvent in
 * structured JSON form, stored before it is published so that a redelivered job republishes it
 * instead of running again; {@code error} is the failure message of a failed or cancelled job;
 * {@code tenant} is who the job belongs to.
 */
public record JobRecord(
    String jobId,
    String traceId,
    JobStatus status,
    Instant createdAt,
    Instant updatedAt,
    JsonNode resultEvent,
    String error,
    String tenant) {

  public JobRecord {
    tenant = Tenants.orDefault(tenant);
  }

  /** A record of the default tenant's job. */
  public JobRecord(
      String jobId,
      String traceId,
      JobStatus status,
      Instant createdAt,
      Instant updatedAt,
      JsonNode resultEvent,
      String error) {
    this(jobId, traceId, status, createdAt, updatedAt, resultEvent, error, Tenants.DEFAULT);
  }

  public JobRecord finish(JobStatus finalStatus, JsonNode event, String errorMessage, Instant now) {
    return new JobRecord(jobId, traceId, finalStatus, createdAt, now, event, errorMessage, tenant);
  }
}
