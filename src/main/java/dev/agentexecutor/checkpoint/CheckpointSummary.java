package dev.agentexecutor.checkpoint;

import java.time.Instant;

/**
 * One checkpoint of a thread as its history lists it, without its state: where it sits (thread,
 * namespace, id, parent, step), which step of the loop wrote it ({@code node}: {@code model} after
 * a model call, {@code tools} after a batch of tool calls), when, and the job (run) that wrote it.
 */
public record CheckpointSummary(
    String threadId,
    String namespace,
    String id,
    String parentId,
    int step,
    String node,
    Instant createdAt,
    String jobId) {

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
        nodeBefore(checkpoint.next()),
        checkpoint.createdAt(),
        checkpoint.jobId());
  }

  /** The same from {@code next} as a checkpoint's metadata stores it (lower case). */
  public static String nodeBefore(String storedNext) {
    return "model".equals(storedNext) ? "tools" : "model";
  }
}
