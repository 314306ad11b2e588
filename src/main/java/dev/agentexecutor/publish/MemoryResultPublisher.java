package dev.agentexecutor.publish;

import io.cloudevents.CloudEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the most recent results in memory (embedded mode, where no NATS is configured), bounded so
 * that a long-running service does not grow without limit. Deduplicates like JetStream does: a
 * second publish of the same job and type (of an interrupted event: the same event) is ignored.
 */
public final class MemoryResultPublisher implements ResultPublisher {
  /**
   * How many results are kept; older ones are forgotten (their jobs keep them in the job store).
   */
  public static final int CAPACITY = 10_000;

  private final Map<String, CloudEvent> recent =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CloudEvent> eldest) {
          return size() > CAPACITY;
        }
      };

  @Override
  public synchronized void publish(String jobId, CloudEvent result) {
    // A job parks once per round of approvals: each interrupted event is kept (by its own id).
    String key =
        result.getType().endsWith(".interrupted")
            ? jobId + "|" + result.getType() + "|" + result.getId()
            : jobId + "|" + result.getType();
    recent.putIfAbsent(key, result);
  }

  /** The kept results, oldest first. */
  public synchronized List<CloudEvent> published() {
    return new ArrayList<>(recent.values());
  }
}
