package dev.agentexecutor.publish;

import io.cloudevents.CloudEvent;

/**
 * Publishes result CloudEvents (dev.my-platform.agent.completed / .failed / .cancelled /
 * .interrupted). A publish is durable when it returns (NATS: JetStream publish ack), and
 * deduplicated by {@code job_id + status}, so a repeated publish of the same result is harmless.
 * Throws {@link dev.agentexecutor.core.problem.BackendUnavailableException} when it cannot be
 * stored.
 */
public interface ResultPublisher extends AutoCloseable {
  void publish(String jobId, CloudEvent result);

  /**
   * Publishes the failed event of a message refused before it ran (invalid job, resume or cancel; a
   * thread that does not take the job): no result is stored for it and the job id stays free, so it
   * must not be deduplicated with the job's own result, earlier or later. Deduplicated by the
   * event's own id instead.
   */
  default void publishRefusal(String jobId, CloudEvent refusal) {
    publish(jobId, refusal);
  }

  @Override
  default void close() {}
}
