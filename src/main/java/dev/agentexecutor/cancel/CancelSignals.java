package dev.agentexecutor.cancel;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Cancel requests that reach every replica of the service: a request for a job goes to every
 * subscriber (each replica's runner), the replica that runs the job stops it and says so, and the
 * sender learns that it did. A request for a job that runs nowhere is answered by nobody.
 */
public interface CancelSignals extends AutoCloseable {
  /**
   * A request to cancel {@code jobId}, on behalf of {@code tenant} (null: whoever owns it, as in
   * open mode); a replica stops the job only when its owner is that tenant.
   */
  record Request(String jobId, String tenant) {}

  /**
   * Sends the request to every replica, this one included, and waits at most {@code wait} for one
   * of them to say that it stopped the job. False when none did in time: no replica runs the job
   * (or it runs for another tenant). Throws {@link
   * dev.agentexecutor.core.problem.BackendUnavailableException} when it cannot be sent.
   */
  boolean request(Request request, Duration wait);

  /**
   * Calls {@code handler} with every request from now on; it answers true when it stopped a run of
   * the job (on a thread of the adapter: it must be quick and must not throw).
   */
  void subscribe(Predicate<Request> handler);

  /** True when requests reach other processes; false when they stay in this one (memory). */
  boolean crossReplica();

  @Override
  default void close() {}
}
