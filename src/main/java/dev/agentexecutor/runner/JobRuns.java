package dev.agentexecutor.runner;

import dev.agentexecutor.job.InvalidJobException;
import dev.agentexecutor.job.Job;
import dev.agentexecutor.job.ResumeRequest;
import dev.agentexecutor.observability.TraceContext;
import java.util.List;
import java.util.Optional;

/**
 * What the client API needs of this instance's execution path: run a job and wait for its outcome,
 * start one and return at once, and cancel or look up a job running here.
 */
public interface JobRuns {
  /** Runs the job to its end (see {@link JobExecutor#execute}). */
  Outcome execute(Job job);

  /**
   * Runs the job to its end, waiting first while it is queued behind another run of its thread
   * (multitask_strategy enqueue or interrupt): never {@link Outcome.Queued} unless shutting down.
   */
  Outcome executeInTurn(Job job);

  /**
   * Starts the job on a thread of its own and returns at once; {@code whenDone} runs when it ends
   * (a job queued behind another run of its thread waits for its turn first). False when the job is
   * already running here or this instance is shutting down.
   */
  boolean start(Job job, Runnable whenDone);

  /**
   * Resumes the caller's parked job with decisions: the one continuation is taken atomically in the
   * job store and the job runs again on a thread of its own ({@code whenDone} runs when it ends);
   * see {@link Resumption} for the refusals.
   */
  Resumption startResume(ResumeRequest request, Caller caller, Runnable whenDone);

  /**
   * Publishes the failed result of a job that cannot run as sent (see {@link JobExecutor#reject}).
   */
  Outcome reject(InvalidJobException problem, TraceContext trace);

  /** Asks a job running here to stop at its next step boundary; false when none runs here. */
  boolean cancel(String jobId);

  boolean isRunning(String jobId);

  /** The tenant of the job running here under that id, if one is. */
  Optional<String> runningTenant(String jobId);

  /** The thread of the job running here under that id, if one is. */
  Optional<String> runningThread(String jobId);

  /** The ids of the jobs running here on the thread. */
  java.util.List<String> runningOnThread(String threadId);

  /** The jobs running here now, in no particular order. */
  List<RunningJob> running();

  /** False once shutdown began: no job is started or run any more. */
  boolean accepting();
}
