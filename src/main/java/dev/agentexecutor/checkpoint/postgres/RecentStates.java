package dev.agentexecutor.checkpoint.postgres;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last state put per thread and namespace, so that a put can tell what changed without reading
 * the parent back. Bounded: the least recently used threads are forgotten first, and a forgotten
 * thread costs one read of its parent on its next put.
 */
final class RecentStates {
  private final Map<String, Map<String, StoredState>> byThread;

  RecentStates(int maxThreads) {
    this.byThread =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Map<String, StoredState>> eldest) {
            return size() > maxThreads;
          }
        };
  }

  /**
   * The state last put as checkpoint {@code checkpointId}, or null when that is not what is known.
   */
  synchronized StoredState get(String threadId, String namespace, String checkpointId) {
    Map<String, StoredState> namespaces = byThread.get(threadId);
    StoredState state = namespaces == null ? null : namespaces.get(namespace);
    return state != null && state.checkpointId().equals(checkpointId) ? state : null;
  }

  synchronized void remember(String threadId, String namespace, StoredState state) {
    byThread.computeIfAbsent(threadId, id -> new HashMap<>()).put(namespace, state);
  }

  synchronized void forget(String threadId, String namespace) {
    Map<String, StoredState> namespaces = byThread.get(threadId);
    if (namespaces == null) return;
    namespaces.remove(namespace);
    if (namespaces.isEmpty()) byThread.remove(threadId);
  }

  synchronized void forgetThread(String threadId) {
    byThread.remove(threadId);
  }
}
