package dev.agentexecutor.runner;

import dev.agentexecutor.job.Job;

/**
 * The durable job queue every worker takes jobs from (NATS: the job stream). Jobs that arrive over
 * HTTP are put on it when it exists, so that redelivery, outage backoff and crash recovery apply to
 * them as to jobs published there directly.
 */
public interface JobQueue {
  /**
   * Puts the validated job on the queue, as the job's tenant, and returns once the queue stored it.
   * The same job id enqueued again shortly after is a duplicate the queue drops. Throws {@link
   * dev.agentexecutor.core.problem.BackendUnavailableException} when the queue is unreachable.
   */
  void enqueue(Job job);
}
