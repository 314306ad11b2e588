package dev.agentexecutor.cancel;

import java.util.function.Consumer;

/**
 * Cancel requests that reach every replica of the service: a request for a job is published once
 * and every subscriber (each replica's runner) hears it, so the replica that runs the job stops it
 * whichever replica took the request. Delivery is best effort: a job that runs nowhere just ignores
 * it, and the caller may send it again.
 */
public interface CancelSignals extends AutoCloseable {
  /**
   * Sends a cancel request for the job to every replica, this one included. Throws {@link
   * dev.agentexecutor.core.problem.BackendUnavailableException} when it cannot be sent.
   */
  void publish(String jobId);

  /**
   * Calls {@code handler} with the job id of each cancel request from now on (on a thread of the
   * adapter: it must be quick and must not throw).
   */
  void subscribe(Consumer<String> handler);

  /** True when requests reach other processes; false when they stay in this one (memory). */
  boolean crossReplica();

  @Override
  default void close() {}
}
