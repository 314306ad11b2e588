package dev.agentexecutor.publish;

import io.cloudevents.CloudEvent;

/**
 * Publishes result CloudEvents (dev.my-platform.agent.completed / .failed / .cancelled). A publish
 * is durable when it returns (NATS: JetStream publish ack), and deduplicated by {@code job_id +
 * status}, so a repeated publish of the same result is harmless. Throws {@link
 * dev.agentexecutor.core.problem.BackendUnavailableException} when it cannot be stored.
 */
public interface ResultPublisher extends AutoCloseable {
  void publish(String jobId, CloudEvent result);

  @Override
  default void close() {}
}
