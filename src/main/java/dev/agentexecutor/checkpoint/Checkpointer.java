package dev.agentexecutor.checkpoint;

import java.util.Optional;

/**
 * Durable storage of agent loop checkpoints, keyed by thread (job id) and namespace. A put has
 * survived the service's own crash when it returns (a database crash too, for PostgreSQL with
 * CHECKPOINT_SYNC_COMMIT=true; otherwise the next synchronous commit covers it); implementations
 * throw {@link dev.agentexecutor.core.problem.BackendUnavailableException} when their backend
 * cannot be reached, so that the job is retried rather than failed.
 */
public interface Checkpointer {
  void put(Checkpoint checkpoint);

  /** The newest checkpoint of the thread in that namespace. */
  Optional<Checkpoint> latest(String threadId, String namespace);

  /** Removes every checkpoint of the thread (all namespaces); false when there was none. */
  boolean deleteThread(String threadId);
}
