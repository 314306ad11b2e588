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

  /** The checkpoint of that id in the thread's namespace, if there is one. */
  Optional<Checkpoint> get(String threadId, String namespace, String checkpointId);

  /**
   * The thread's checkpoints in every namespace, newest first (by id, which sorts in creation
   * order), at most {@code limit} of them, only those older than {@code before} when it is not
   * null. States are not read: this is cheap however large the thread's state is.
   */
  List<CheckpointSummary> history(String threadId, String before, int limit);

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
