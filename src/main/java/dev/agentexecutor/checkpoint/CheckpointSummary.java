package dev.agentexecutor.checkpoint;

import java.time.Instant;

/**
 * One checkpoint of a thread as its history lists it, without its state: where it sits (thread,
 * namespace, id, parent, step), what the loop does next from it, when, and the job (run) that wrote
 * it.
 */
public record CheckpointSummary(
    String threadId,
    String namespace,
    String id,
    String parentId,
    int step,
    Checkpoint.Next next,
    Instant createdAt,
    String jobId) {

  /**
   * The step of the loop that wrote it: {@code tools} after a batch of tool calls (the model is
   * next), {@code model} after a model call.
   */
  public String node() {
    return nodeBefore(next);
  }

  /** The loop step a checkpoint with this {@code next} was saved by. */
  public static String nodeBefore(Checkpoint.Next next) {
    return next == Checkpoint.Next.MODEL ? "tools" : "model";
  }

  public static CheckpointSummary of(Checkpoint checkpoint) {
    return new CheckpointSummary(
        checkpoint.threadId(),
        checkpoint.namespace(),
        checkpoint.id(),
        checkpoint.parentId(),
        checkpoint.step(),
        checkpoint.next(),
        checkpoint.createdAt(),
        checkpoint.jobId());
  }

  /** {@code next} as a checkpoint's metadata stores it (lower case); unknown: the model. */
  public static Checkpoint.Next next(String storedNext) {
    for (Checkpoint.Next next : Checkpoint.Next.values()) {
      if (next.name().equalsIgnoreCase(storedNext)) return next;
    }
    return Checkpoint.Next.MODEL;
  }
}
