package dev.agentexecutor.publish;

import io.cloudevents.CloudEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps published results in memory (embedded mode, where no NATS is configured). Deduplicates
 * like JetStream does: a second publish of the same job and type is ignored.
 */
public final class MemoryResultPublisher implements ResultPublisher {
  private final Map<String, CloudEvent> byKey = new ConcurrentHashMap<>();
  private final List<CloudEvent> published = new ArrayList<>();

  @Override
  public void publish(String jobId, CloudEvent result) {
    if (byKey.putIfAbsent(jobId + "|" + result.getType(), result) == null) {
      synchronized (published) {
        published.add(result);
      }
    }
  }

  public List<CloudEvent> published() {
    synchronized (published) {
      return List.copyOf(published);
    }
  }
}
