package dev.agentexecutor.runner;

import dev.agentexecutor.job.Job;
import dev.agentexecutor.job.ResumeRequest;

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

  /**
   * Puts the continuation of a parked job whose resume this process took (its record is running
   * with the decisions stored) on the queue, so that a worker runs it and, if that worker dies, the
   * next one continues it. Throws like {@link #enqueue}.
   */
  void enqueueResume(ResumeRequest taken);
}
