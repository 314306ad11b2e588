package dev.agentexecutor.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentexecutor.core.Tenants;
import dev.agentexecutor.core.state.Usage;
import java.time.Instant;

/**
 * What is kept about a job beyond its checkpoints. {@code resultEvent} is the result CloudEvent in
 * structured JSON form, stored before it is published so that a redelivered job republishes it
 * instead of running again; {@code error} is the failure message of a failed or cancelled job;
 * {@code tenant} is who the job belongs to.
 *
 * @param threadId the conversation the job runs on (its job id when it names none)
 * @param job the job object as sent (CloudEvent data or /invoke body), so that a resume needs no
 *     definition; null in records that need no resume
 * @param interrupts the pending interrupts (a JSON array) while the job is interrupted, else null
 * @param decisions the decisions of the latest resume as a JSON object keyed by interrupt id, kept
 *     while the resumed run goes on so that a resume that crashed continues with them; else null
 * @param usage the job's token usage so far, when known
 * @param parkedAt when the job last parked; it expires a TTL later
 */
public record JobRecord(
    String jobId,
    String traceId,
    JobStatus status,
    Instant createdAt,
    Instant updatedAt,
    JsonNode resultEvent,
    String error,
    String tenant,
    String threadId,
    JsonNode job,
    JsonNode interrupts,
    JsonNode decisions,
    Usage usage,
    Instant parkedAt) {

  public JobRecord {
    tenant = Tenants.orDefault(tenant);
    threadId = threadId == null ? jobId : threadId;
  }

  /** A record without lifecycle details (a job on its own thread). */
  public JobRecord(
      String jobId,
      String traceId,
      JobStatus status,
      Instant createdAt,
      Instant updatedAt,
      JsonNode resultEvent,
      String error,
      String tenant) {
    this(
        jobId,
        traceId,
        status,
        createdAt,
        updatedAt,
        resultEvent,
        error,
        tenant,
        null,
        null,
        null,
        null,
        null,
        null);
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

  /**
   * The job ended: its final status, result event and error. The thread, the job as sent, the
   * decisions and the usage stay (the run's history); pending interrupts go.
   */
  public JobRecord finish(JobStatus finalStatus, JsonNode event, String errorMessage, Instant now) {
    return new JobRecord(
        jobId,
        traceId,
        finalStatus,
        createdAt,
        now,
        event,
        errorMessage,
        tenant,
        threadId,
        job,
        null,
        decisions,
        usage,
        parkedAt);
  }

  /** The job parked at {@code now} waiting for decisions on {@code pending}. */
  public JobRecord interrupted(JsonNode pending, Usage usageSoFar, Instant now) {
    return new JobRecord(
        jobId,
        traceId,
        JobStatus.INTERRUPTED,
        createdAt,
        now,
        null,
        null,
        tenant,
        threadId,
        job,
        pending,
        null,
        usageSoFar,
        now);
  }

  /** The parked job resumed at {@code now} with {@code byInterruptId}; its interrupts are done. */
  public JobRecord resumed(JsonNode byInterruptId, Instant now) {
    return new JobRecord(
        jobId,
        traceId,
        JobStatus.RUNNING,
        createdAt,
        now,
        null,
        null,
        tenant,
        threadId,
        job,
        null,
        byInterruptId,
        usage,
        parkedAt);
  }

  /** The same record with the job as sent and its thread. */
  public JobRecord withJob(String thread, JsonNode source) {
    return new JobRecord(
        jobId,
        traceId,
        status,
        createdAt,
        updatedAt,
        resultEvent,
        error,
        tenant,
        thread,
        source,
        interrupts,
        decisions,
        usage,
        parkedAt);
  }

  /** The same record with the job's usage so far. */
  public JobRecord withUsage(Usage usageSoFar) {
    return new JobRecord(
        jobId,
        traceId,
        status,
        createdAt,
        updatedAt,
        resultEvent,
        error,
        tenant,
        threadId,
        job,
        interrupts,
        decisions,
        usageSoFar,
        parkedAt);
  }
}
