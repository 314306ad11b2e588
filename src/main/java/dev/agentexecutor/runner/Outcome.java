package dev.agentexecutor.runner;

import dev.agentexecutor.core.problem.ProblemCode;
import io.cloudevents.CloudEvent;

/**
 * How handling a job ended, for the ingress to translate: NATS acks Completed, Failed and
 * Cancelled, terms Rejected, Refused and OtherTenant and naks Retry after a backoff (and Queued, to
 * ask again); HTTP answers 200 with the result event, 400 for Rejected, the problem's status for
 * Refused, 409 for OtherTenant and 503 for Retry. {@code replayed} means the job had already
 * finished and its stored result was published again without running anything.
 */
public sealed interface Outcome {
  String jobId();

  /** The job ran (or had run) to completion; the completed event is published. */
  record Completed(String jobId, CloudEvent result, boolean replayed) implements Outcome {}

  /** The job failed; the failed event is published. Not retried. */
  record Failed(String jobId, CloudEvent result, boolean replayed) implements Outcome {}

  /** The job was cancelled; the cancelled event is published (once). Not retried. */
  record Cancelled(String jobId, CloudEvent result, boolean replayed) implements Outcome {}

  /** The input was not a valid job; a failed event is published. Never retried. */
  record Rejected(String jobId, CloudEvent result, String reason) implements Outcome {}

  /**
   * A backend was unavailable, or this instance is shutting down: nothing is lost and the job
   * should be tried again later (when, is the ingress's policy: NATS backs off per delivery).
   */
  record Retry(String jobId, String reason) implements Outcome {}

  /**
   * A valid job that its thread does not take as sent ({@code code}: the thread is busy, another
   * tenant's, or has no such checkpoint to fork from): nothing was run and its failed event is
   * published. HTTP answers the code's status with the problem, NATS terms the message.
   */
  record Refused(String jobId, CloudEvent result, ProblemCode code, String path, String message)
      implements Outcome {}

  /**
   * The job's thread is busy and its multitask_strategy lets it wait (enqueue, interrupt): it is
   * queued and runs when it is asked again at its turn. NATS naks it with a delay; HTTP asks again
   * while the client waits. {@code active}: the runs holding the thread.
   */
  record Queued(String jobId, java.util.List<String> active) implements Outcome {}

  /** The same job is running in this process right now. */
  record AlreadyRunning(String jobId) implements Outcome {}

  /**
   * The job id belongs to another tenant's job: nothing was run and nothing published (a result
   * under that id would reach the owner's consumers). HTTP answers 409, NATS terms the message.
   */
  record OtherTenant(String jobId) implements Outcome {}
}
