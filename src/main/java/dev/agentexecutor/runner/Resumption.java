package dev.agentexecutor.runner;

import dev.agentexecutor.job.InvalidJobException;

/**
 * What a request to resume a parked job came to, for the client API to answer: started (202), no
 * such job for the caller (404), not interrupted (409 {@code NOT_INTERRUPTED}: never parked,
 * resumed already, expired or finished), decisions that do not fit (400 {@code DECISIONS_INVALID}),
 * or not now (503: shutting down or a backend outage).
 */
public sealed interface Resumption {
  String jobId();

  /** The job runs again on this instance, from its checkpoints, with the decisions. */
  record Started(String jobId, String threadId) implements Resumption {}

  record NotFound(String jobId) implements Resumption {}

  /** {@code status} is the job's status now (running when another resume won). */
  record NotInterrupted(String jobId, String status) implements Resumption {}

  record Invalid(String jobId, InvalidJobException problem) implements Resumption {}

  record Unavailable(String jobId, String reason) implements Resumption {}
}
