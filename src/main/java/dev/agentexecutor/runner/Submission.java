package dev.agentexecutor.runner;

/**
 * What an HTTP submission got: the job's outcome (HTTP maps it as before: 200 with the result
 * event, 409, 503...), or the job goes on without an answer yet (POST / answers 202 with where to
 * follow it, /invoke that it started).
 */
public sealed interface Submission {
  record Done(Outcome outcome) implements Submission {}

  /**
   * @param status {@code queued} (no worker has taken it yet) or {@code running}
   */
  record Pending(String jobId, String status) implements Submission {}
}
