package dev.agentexecutor.runner;

import dev.agentexecutor.job.InvalidJobException;
import dev.agentexecutor.job.Job;
import dev.agentexecutor.job.ResumeRequest;
import dev.agentexecutor.observability.TraceContext;

/**
 * The one execution path every ingress hands jobs to (HTTP, client API, NATS, command line).
 * Methods never throw for the job's or the backends' faults: they return an {@link Outcome}.
 */
public interface JobExecutor {
  /**
   * Runs the job (or resumes it from its last checkpoint, or republishes its stored result if it
   * already finished), publishes the result event and returns how it ended.
   */
  Outcome execute(Job job);

  /**
   * Resumes a parked job with decisions (a resume CloudEvent over NATS) and runs it here to its
   * next end: Interrupted, Completed or Failed; Ignored when the job is not interrupted (another
   * resume won) or unknown to the event's tenant; Rejected when the decisions do not fit. With
   * {@code redelivered}, a job whose resume already won but did not end (a crash) is continued.
   */
  Outcome resume(ResumeRequest request, boolean redelivered);

  /** Publishes a failed event for input that is not a valid job (job id null when unreadable). */
  Outcome reject(InvalidJobException problem, TraceContext trace);

  /**
   * Gives up on a job that could not be run because of repeated backend outages (NATS: max
   * deliveries reached): publishes and stores its failed event, owned by {@code tenant}.
   */
  Outcome giveUp(String jobId, String tenant, TraceContext trace, String reason);
}
