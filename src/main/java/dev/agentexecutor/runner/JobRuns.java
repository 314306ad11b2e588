package dev.agentexecutor.runner;

import dev.agentexecutor.job.InvalidJobException;
import dev.agentexecutor.job.Job;
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
   * Starts the job on a thread of its own and returns at once; {@code whenDone} runs when it ends.
   * False when the job is already running here or this instance is shutting down.
   */
  boolean start(Job job, Runnable whenDone);

  /**
   * Publishes the failed result of a job that cannot run as sent (see {@link JobExecutor#reject}).
   */
  Outcome reject(InvalidJobException problem, TraceContext trace);

  /** Asks a job running here to stop at its next step boundary; false when none runs here. */
  boolean cancel(String jobId);

  boolean isRunning(String jobId);

  /** The tenant of the job running here under that id, if one is. */
  Optional<String> runningTenant(String jobId);

  /** The jobs running here now, in no particular order. */
  List<RunningJob> running();

  /** False once shutdown began: no job is started or run any more. */
  boolean accepting();
}
