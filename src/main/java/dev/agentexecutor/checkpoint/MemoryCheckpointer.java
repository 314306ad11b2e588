package dev.agentexecutor.checkpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Checkpoints kept in process memory: the embedded default, lost when the process ends. */
public final class MemoryCheckpointer implements Checkpointer {
  private final Map<String, Map<String, List<Checkpoint>>> threads = new ConcurrentHashMap<>();

  /** Per thread, the pending writes of each checkpoint (by namespace and checkpoint id). */
  private final Map<String, Map<String, List<PendingWrite>>> writes = new ConcurrentHashMap<>();

  @Override
  public void put(Checkpoint checkpoint) {
    threads
        .computeIfAbsent(checkpoint.threadId(), id -> new ConcurrentHashMap<>())
        .computeIfAbsent(
            checkpoint.namespace(), ns -> Collections.synchronizedList(new ArrayList<>()))
        .add(checkpoint);
  }

  @Override
  public Optional<Checkpoint> latest(String threadId, String namespace) {
    Map<String, List<Checkpoint>> thread = threads.get(threadId);
    if (thread == null) return Optional.empty();
    List<Checkpoint> list = thread.get(namespace);
    if (list == null) return Optional.empty();
    synchronized (list) { // the synchronized list's own lock: size and get must agree
      return list.isEmpty() ? Optional.empty() : Optional.of(list.get(list.size() - 1));
    }
  }

  @Override
  public Optional<Checkpoint> get(String threadId, String namespace, String checkpointId) {
    return history(threadId, namespace).stream()
        .filter(checkpoint -> checkpoint.id().equals(checkpointId))
        .findFirst();
  }

  @Override
  public List<CheckpointSummary> history(String threadId, String before, int limit) {
    Map<String, List<Checkpoint>> thread = threads.get(threadId);
    if (thread == null) return List.of();
    List<CheckpointSummary> all = new ArrayList<>();
    for (String namespace : thread.keySet()) {
      for (Checkpoint checkpoint : history(threadId, namespace)) {
        if (before == null || checkpoint.id().compareTo(before) < 0)
          all.add(CheckpointSummary.of(checkpoint));
      }
    }
    all.sort(Comparator.comparing(CheckpointSummary::id).reversed());
    return List.copyOf(all.subList(0, Math.min(limit, all.size())));
  }

  /** Every checkpoint of the thread in that namespace, oldest first (for tests and tools). */
  public List<Checkpoint> history(String threadId, String namespace) {
    Map<String, List<Checkpoint>> thread = threads.get(threadId);
    List<Checkpoint> list = thread == null ? null : thread.get(namespace);
    if (list == null) return List.of();
    synchronized (list) {
      return List.copyOf(list);
    }
  }

  @Override
  public boolean deleteThread(String threadId) {
    writes.remove(threadId);
    return threads.remove(threadId) != null;
  }

  @Override
  public void putWrite(String threadId, String namespace, String checkpointId, PendingWrite write) {
    List<PendingWrite> list =
        writes
            .computeIfAbsent(threadId, id -> new ConcurrentHashMap<>())
            .computeIfAbsent(
                key(namespace, checkpointId), k -> Collections.synchronizedList(new ArrayList<>()));
    synchronized (list) {
      for (PendingWrite existing : list) {
        if (existing.taskId().equals(write.taskId()) && existing.channel().equals(write.channel()))
          return;
      }
      list.add(write);
    }
  }

  @Override
  public List<PendingWrite> writes(String threadId, String namespace, String checkpointId) {
    Map<String, List<PendingWrite>> thread = writes.get(threadId);
    List<PendingWrite> list = thread == null ? null : thread.get(key(namespace, checkpointId));
    if (list == null) return List.of();
    synchronized (list) {
      return List.copyOf(list);
    }
  }

  private static String key(String namespace, String checkpointId) {
    return namespace + '\u0000' + checkpointId;
  }
}
