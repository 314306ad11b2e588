package dev.agentexecutor.checkpoint;

import java.util.List;
import java.util.Optional;

/**
 * Durable storage of agent loop checkpoints, keyed by thread and namespace, with the pending writes
 * of the step that follows each one. A put has survived the service's own crash when it returns (a
 * database crash too, for PostgreSQL with CHECKPOINT_SYNC_COMMIT=true; otherwise the next
 * synchronous commit covers it); implementations throw {@link
 * dev.agentexecutor.core.problem.BackendUnavailableException} when their backend cannot be reached,
 * so that the job is retried rather than failed.
 */
public interface Checkpointer {
  void put(Checkpoint checkpoint);

  /** The newest checkpoint of the thread in that namespace. */
  Optional<Checkpoint> latest(String threadId, String namespace);

  /** Removes every checkpoint of the thread (all namespaces); false when there was none. */
  boolean deleteThread(String threadId);

  /**
   * Records {@code write} against checkpoint {@code checkpointId}; a second write of the same task
   * and channel is ignored (the first one stands), so a decision or a result is recorded once.
   */
  void putWrite(String threadId, String namespace, String checkpointId, PendingWrite write);

  /** The writes recorded against the checkpoint, in the order they were put. */
  List<PendingWrite> writes(String threadId, String namespace, String checkpointId);
}
