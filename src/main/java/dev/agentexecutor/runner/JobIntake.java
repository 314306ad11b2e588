package dev.agentexecutor.runner;

import dev.agentexecutor.job.Job;
import dev.agentexecutor.job.ResumeRequest;

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

  /**
   * POST /jobs/{job_id}/resume and the resume CloudEvent on POST /: takes the continuation of the
   * caller's parked job (see {@link Resumption}) and runs it, on the durable queue when there is
   * one (a worker's death does not strand it), else here. {@code whenDone} runs once, when this
   * intake no longer works for the call.
   */
  Resumption resume(ResumeRequest request, Caller caller, Runnable whenDone);
}
