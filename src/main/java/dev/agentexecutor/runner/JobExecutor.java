package dev.agentexecutor.runner;

import dev.agentexecutor.job.InvalidJobException;
import dev.agentexecutor.job.Job;
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

  /** Publishes a failed event for input that is not a valid job (job id null when unreadable). */
  Outcome reject(InvalidJobException problem, TraceContext trace);

  /**
   * Gives up on a job that could not be run because of repeated backend outages (NATS: max
   * deliveries reached): publishes and stores its failed event, owned by {@code tenant}.
   */
  Outcome giveUp(String jobId, String tenant, TraceContext trace, String reason);
}
