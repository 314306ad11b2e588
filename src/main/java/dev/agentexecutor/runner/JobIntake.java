package dev.agentexecutor.runner;

import dev.agentexecutor.job.Job;

/**
 * How jobs that arrive over HTTP are run: on the durable queue when there is one ({@link
 * QueuedIntake}), else in this process with retries through backend outages ({@link LocalIntake}).
 * Either way no job is left without an owner: it ends with a stored, published result.
 */
public interface JobIntake {
  /**
   * POST /: runs the job and waits for its outcome, at most HTTP_RESULT_WAIT_SECONDS, after which
   * the job goes on ({@link Submission.Pending}). {@code whenDone} runs once, when this intake no
   * longer works for the call (the HTTP slot it holds is then free).
   */
  Submission run(Job job, Runnable whenDone);

  /** /invoke: starts the job and returns at once; {@code whenDone} as for {@link #run}. */
  Submission start(Job job, Runnable whenDone);
}
